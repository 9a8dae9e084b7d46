"""What goes in and out of the conversations API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from contactbook.core.platform import Id

MAX_LENGTH = 4000


class MessageIn(ma.Schema):
    """A message's text, sent as a form field beside an optional `photo` file."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_LENGTH))


class MessageOut(ma.Schema):
    id = fields.Integer()
    sender_name = fields.String()
    sender_role = fields.String()
    is_mine = fields.Boolean()
    body = fields.String()
    photo_url = fields.String(allow_none=True)
    sent_at = fields.DateTime()
    sent_at_label = fields.String()


class NewMessagesOut(ma.Schema):
    messages = fields.List(fields.Nested(MessageOut))
    last_id = fields.Integer()
    is_closed = fields.Boolean()


class AfterArgs(ma.Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ConversationOut(ma.Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    is_closed = fields.Boolean()
    url = fields.String()


class ConversationRowOut(ma.Schema):
    id = fields.Integer(attribute="conversation.id")
    student_name = fields.String(attribute="conversation.student.full_name")
    unread = fields.Integer()
    last_message_at = fields.DateTime(allow_none=True)


class ClosedIn(ma.Schema):
    is_closed = fields.Boolean(required=True)


class ParticipantIn(ma.Schema):
    user_id = Id(required=True)


class OfficeHoursIn(ma.Schema):
    starts_at = fields.Time(required=True)
    ends_at = fields.Time(required=True)


class OfficeHoursOut(ma.Schema):
    starts_at = fields.Time()
    ends_at = fields.Time()


class QuickReplyIn(ma.Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))


class QuickReplyOut(ma.Schema):
    id = fields.Integer()
    body = fields.String()

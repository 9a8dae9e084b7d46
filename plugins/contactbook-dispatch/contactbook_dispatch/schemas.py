"""What goes in and out of the dispatch API: the sending form's fields, and the answers."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from contactbook.core.platform import Id, Role, Urgency
from contactbook_dispatch.models import Audience
from contactbook_dispatch.services.documents import ADDRESSABLE_ROLES

TEXT_MAX = 4000


def not_blank(value: str) -> None:
    """Text made of spaces says nothing: refuse it as empty."""
    if not value.strip():
        raise ma.ValidationError(str(_l("Write something here.")))


def _text(max_length: int) -> fields.String:
    return fields.String(
        required=True, validate=[validate.Length(min=1, max=max_length), not_blank]
    )


class DocumentIn(ma.Schema):
    """Sent as a form (multipart), with the PDF as the file `attachment`."""

    audience = fields.Enum(Audience, by_value=True, required=True)
    school_ids = fields.List(Id(), load_default=list)
    roles = fields.List(
        fields.Enum(Role, by_value=True, validate=validate.OneOf(ADDRESSABLE_ROLES)),
        load_default=list,
    )
    classroom_ids = fields.List(Id(), load_default=list)
    number = _text(50)
    issued_on = fields.Date(required=True)
    issuer = _text(200)
    subject = _text(300)
    summary = _text(TEXT_MAX)
    urgency = fields.Enum(Urgency, by_value=True, load_default=Urgency.NORMAL)
    reply_requested = fields.Boolean(load_default=False)
    reply_deadline = fields.Date(load_default=None)


class ReplyIn(ma.Schema):
    """A recipient's answer as a form, with an optional PDF `attachment`."""

    text = _text(TEXT_MAX)


class MarksOut(ma.Schema):
    """The reader's own marks on a document addressed to them."""

    delivered_at = fields.AwareDateTime()
    opened_at = fields.AwareDateTime(allow_none=True)
    confirmed_at = fields.AwareDateTime(allow_none=True)
    replied_at = fields.AwareDateTime(allow_none=True)
    reply_text = fields.String(allow_none=True)


class DocumentOut(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    issued_on = fields.Date()
    issuer = fields.String()
    subject = fields.String()
    summary = fields.String()
    urgency = fields.Enum(Urgency, by_value=True)
    reply_requested = fields.Boolean()
    reply_deadline = fields.Date(allow_none=True)
    audience = fields.Enum(Audience, by_value=True)
    created_at = fields.AwareDateTime()
    attachment_url = fields.Function(lambda row: url_for("dispatch.attachment", document_id=row.id))


class RecipientStatusOut(ma.Schema):
    recipient_id = fields.Integer()
    name = fields.String()
    school = fields.String()
    delivered_at = fields.AwareDateTime()
    opened_at = fields.AwareDateTime(allow_none=True)
    confirmed_at = fields.AwareDateTime(allow_none=True)
    replied_at = fields.AwareDateTime(allow_none=True)
    reply_text = fields.String(allow_none=True)
    has_reply_attachment = fields.Boolean()


class StatusOut(ma.Schema):
    """What the sender sees: counts and each recipient's marks."""

    total = fields.Integer()
    opened = fields.Integer()
    confirmed = fields.Integer()
    replied = fields.Integer()
    recipients = fields.List(fields.Nested(RecipientStatusOut))


class RemindedOut(ma.Schema):
    reminded = fields.Integer()

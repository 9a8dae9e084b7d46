"""What goes in and out of the announcements API (the form fields of a post, and the answers)."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from contactbook.core.platform import Id, WholeNumber
from contactbook.modules.messaging.models import Audience

TITLE_MAX, BODY_MAX = 200, 4000


def not_blank(value: str) -> None:
    """Text made of spaces says nothing: refuse it as empty."""
    if not value.strip():
        raise ma.ValidationError(str(_l("Write something here.")))


class AnnouncementIn(ma.Schema):
    """Sent as a form (multipart), as the page's form is."""

    audience = fields.Enum(Audience, by_value=True, required=True)
    school_id = Id(load_default=None)
    classroom_id = Id(load_default=None)
    grade_levels = fields.List(WholeNumber(low=1, high=12), load_default=list)
    title = fields.String(
        required=True, validate=[validate.Length(min=1, max=TITLE_MAX), not_blank]
    )
    body = fields.String(required=True, validate=[validate.Length(min=1, max=BODY_MAX), not_blank])
    deadline = fields.Date(load_default=None)
    needs_acknowledgement = fields.Boolean(load_default=False)


class ReceiptOut(ma.Schema):
    """The reader's own marks; families never see anyone else's."""

    read_at = fields.AwareDateTime(allow_none=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True)


class AnnouncementOut(ma.Schema):
    id = fields.Integer()
    audience = fields.Enum(Audience, by_value=True)
    classroom_id = fields.Integer(allow_none=True)
    grade_levels = fields.List(fields.Integer())
    title = fields.String()
    body = fields.String()
    deadline = fields.Date(allow_none=True)
    needs_acknowledgement = fields.Boolean()
    created_at = fields.AwareDateTime()
    attachment_url = fields.Function(
        lambda row: (
            url_for("messaging_announcements.attachment", announcement_id=row.id)
            if row.attachment_id
            else None
        )
    )


class FamilyStatusOut(ma.Schema):
    guardian_name = fields.String()
    children = fields.String()
    read_at = fields.AwareDateTime(allow_none=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True)


class ReceiptsOut(ma.Schema):
    """What the sender sees: counts and each family's marks."""

    total = fields.Integer()
    read = fields.Integer()
    acknowledged = fields.Integer()
    families = fields.List(fields.Nested(FamilyStatusOut))

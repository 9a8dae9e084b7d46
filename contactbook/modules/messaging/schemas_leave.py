"""What goes in and out of the leave requests API."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from marshmallow import fields, validate

from contactbook.modules.messaging.models import DayPart, LeaveStatus
from contactbook.modules.messaging.schemas_announcements import not_blank

REASON_MAX = 1000


class LeaveIn(ma.Schema):
    """Sent as a form (multipart), as the page's form is."""

    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    day_part = fields.Enum(DayPart, by_value=True, load_default=DayPart.WHOLE_DAY)
    reason = fields.String(
        required=True, validate=[validate.Length(min=1, max=REASON_MAX), not_blank]
    )


class DecisionIn(ma.Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "decline"]))
    comment = fields.String(load_default="", validate=validate.Length(max=REASON_MAX))


class LeaveOut(ma.Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    student_name = fields.Function(lambda row: row.student.full_name)
    classroom_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    day_part = fields.Enum(DayPart, by_value=True)
    reason = fields.String()
    status = fields.Enum(LeaveStatus, by_value=True)
    decision_comment = fields.String()
    decided_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    # Opens for the family and the homeroom teacher only; anyone else gets a 404 there.
    doctors_note_url = fields.Function(
        lambda row: (
            url_for("messaging_leave.doctors_note", leave_id=row.id)
            if row.doctors_note_id
            else None
        )
    )

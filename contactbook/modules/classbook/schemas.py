"""What goes in and out of the contact book's JSON API."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from contactbook.core.platform import AwareDateTime, Id, WholeNumber
from contactbook.modules.classbook.models import (
    AttendanceStatus,
    CommentKind,
    DaySession,
    GradeKind,
    HealthCategory,
)


class ScoreText(fields.Field):
    """A score as typed: "8,5", "8.5" or a number; the rule set decides if it is valid.

    Only ASCII digits: Python would read "١٠" or "８" as numbers, but no grade book writes them.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"type": ["string", "number"]})
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ma.ValidationError(_("Not a score."))
        if isinstance(value, str) and not value.isascii():
            raise ma.ValidationError(_("Type scores with the digits 0 to 9."))
        return str(value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


class MarkIn(ma.Schema):
    student_id = Id(required=True)
    status = fields.Enum(AttendanceStatus, by_value=True, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))


class RollCallIn(ma.Schema):
    day = fields.Date(required=True)
    session = fields.Enum(DaySession, by_value=True, required=True)
    marks = fields.List(fields.Nested(MarkIn), required=True)


class RollCallQuery(ma.Schema):
    day = fields.Date(required=True)
    session = fields.Enum(DaySession, by_value=True, required=True)


class MarkOut(ma.Schema):
    student_id = fields.Integer()
    student_name = fields.String()
    status = fields.Enum(AttendanceStatus, by_value=True)
    note = fields.String()
    leave_reason = fields.String(metadata={"description": "why the pupil is expected away"})


class RollCallOut(ma.Schema):
    day = fields.Date()
    session = fields.Enum(DaySession, by_value=True)
    is_saved = fields.Boolean()
    marks = fields.List(fields.Nested(MarkOut))


class ColumnQuery(ma.Schema):
    subject_id = Id(required=True)
    term_id = Id(required=True)
    kind = fields.Enum(GradeKind, by_value=True, required=True)
    slot = WholeNumber(low=1, load_default=1)


class GradeEntryIn(ma.Schema):
    student_id = Id(required=True)
    score = ScoreText(load_default=None, allow_none=True)
    rating = fields.String(load_default=None, allow_none=True)


class GradeColumnIn(ColumnQuery):
    entries = fields.List(fields.Nested(GradeEntryIn), required=True)


class GradeEntryOut(ma.Schema):
    student_id = fields.Integer()
    student_name = fields.String()
    score = ScoreText(allow_none=True)
    rating = fields.String(allow_none=True)
    score_text = fields.String(metadata={"description": 'the score as pages show it: "8,5"'})
    rating_text = fields.String(metadata={"description": "the rating's name, as pages show it"})


class GradeColumnOut(ColumnQuery):
    entries = fields.List(fields.Nested(GradeEntryOut))


class TraitQuery(ma.Schema):
    term_id = Id(required=True)
    trait = fields.String(required=True)
    slot = WholeNumber(low=1, load_default=2)


class TraitEntryIn(ma.Schema):
    student_id = Id(required=True)
    rating = fields.String(load_default=None, allow_none=True)


class TraitColumnIn(TraitQuery):
    entries = fields.List(fields.Nested(TraitEntryIn), required=True)


class TraitEntryOut(ma.Schema):
    student_id = fields.Integer()
    student_name = fields.String()
    rating = fields.String(allow_none=True)
    rating_text = fields.String(metadata={"description": "the rating's name, as pages show it"})


class TraitColumnOut(TraitQuery):
    entries = fields.List(fields.Nested(TraitEntryOut))


class HealthNoteIn(ma.Schema):
    category = fields.Enum(HealthCategory, by_value=True, required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))
    is_urgent = fields.Boolean(load_default=False)
    measured_value = fields.Decimal(
        load_default=None, allow_none=True, places=1, validate=validate.Range(0, 999)
    )
    observed_at = AwareDateTime(load_default=None, allow_none=True)


class HealthNoteOut(ma.Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    category = fields.Enum(HealthCategory, by_value=True)
    text = fields.String()
    is_urgent = fields.Boolean()
    measured_value = fields.Decimal(as_string=True, allow_none=True)
    observed_at = fields.AwareDateTime()


CHOOSE_KIND = _l("Choose praise or concern.")
KIND_ERRORS = {"required": CHOOSE_KIND, "null": CHOOSE_KIND, "unknown": CHOOSE_KIND}


class CommentIn(ma.Schema):
    # No default: a concern sent as praise because nobody chose is worse than a question.
    kind = fields.Enum(CommentKind, by_value=True, required=True, error_messages=KIND_ERRORS)
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))
    subject_id = Id(load_default=None, allow_none=True)


class CommentChangeIn(ma.Schema):
    """A correction: only the fields sent change; `subject_id: null` makes it about no subject."""

    kind = fields.Enum(CommentKind, by_value=True, error_messages=KIND_ERRORS)
    text = fields.String(validate=validate.Length(min=1, max=500))
    subject_id = Id(allow_none=True)


class CommentOut(ma.Schema):
    id = fields.Integer()
    student_id = fields.Integer()
    kind = fields.Enum(CommentKind, by_value=True)
    text = fields.String()
    subject_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    corrected_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "when its author last corrected it, or null"}
    )


class SummaryDayIn(ma.Schema):
    day = fields.Date(required=True)


class SummaryRunOut(ma.Schema):
    day = fields.Date()
    built = fields.Integer()
    sent = fields.Integer()
    skipped = fields.Integer()
    note = fields.String()


class ClosedDayIn(ma.Schema):
    day = fields.Date(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class SummarySettingsIn(ma.Schema):
    daily_summary_time = fields.Time(required=True)
    always_send_summary = fields.Boolean(required=True)

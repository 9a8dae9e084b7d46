"""What goes in and out of the structure API: years, terms, days, classes, subjects."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from contactbook.core.directory import Assessment
from contactbook.core.platform import Id, WholeNumber


class DatesIn(ma.Schema):
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class YearDatesIn(DatesIn):
    hk1 = fields.Nested(DatesIn, required=True)
    hk2 = fields.Nested(DatesIn, required=True)


class YearIn(YearDatesIn):
    name = fields.String(required=True, validate=validate.Length(min=1, max=20))


class YearOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()


class TermStateIn(ma.Schema):
    is_closed = fields.Boolean(required=True)
    confirm_gaps = fields.Boolean(load_default=False)


class TermOut(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    is_closed = fields.Boolean()


class GapOut(ma.Schema):
    teacher_name = fields.String()
    class_name = fields.String()
    subject_name = fields.String()
    column_label = fields.String()


class SchoolDaysIn(ma.Schema):
    """ISO weekday (1 is Monday) to ticked or not, as the page's checkboxes send them."""

    weekdays = fields.Dict(keys=WholeNumber(low=1, high=7), values=fields.Boolean(), required=True)


class ClosedDaysIn(ma.Schema):
    first = fields.Date(required=True)
    last = fields.Date(load_default=None)
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class ClassIn(ma.Schema):
    school_year_id = Id(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=20))
    grade_level = WholeNumber(low=1, high=12, required=True)
    homeroom_teacher_id = Id(load_default=None)


class ClassChangeIn(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=20))
    grade_level = WholeNumber(low=1, high=12, required=True)
    homeroom_teacher_id = Id(load_default=None)


class ArchiveIn(ma.Schema):
    archived = fields.Boolean(required=True)


class ClassOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    grade_level = fields.Integer()
    homeroom_teacher_id = fields.Integer(allow_none=True)
    archived = fields.Function(lambda room: room.archived_at is not None)


class SubjectIn(ma.Schema):
    grade_level = WholeNumber(low=1, high=12, required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    periods_per_year = WholeNumber(low=1, high=1000, required=True)
    assessment = fields.Enum(Assessment, by_value=True, required=True)


class ProgrammeIn(ma.Schema):
    grade_level = WholeNumber(low=1, high=12, required=True)


class SubjectOut(ma.Schema):
    id = fields.Integer()
    grade_level = fields.Integer()
    code = fields.String()
    name = fields.String()
    periods_per_year = fields.Integer()
    assessment = fields.String()
    archived = fields.Function(lambda subject: subject.archived_at is not None)


class AssignmentIn(ma.Schema):
    subject_id = Id(required=True)
    teacher_id = Id(required=True)


class AssignmentOut(ma.Schema):
    id = fields.Integer()
    classroom_id = fields.Integer()
    subject_id = fields.Integer()
    teacher_id = fields.Integer()


class NurseIn(ma.Schema):
    user_id = Id(required=True)

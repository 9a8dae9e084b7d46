"""JSON routes of the contact book: parse with a schema, call a service, dump with a schema."""

from __future__ import annotations

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.directory import Classroom, School, Student, access
from contactbook.core.platform import conditional, idempotent
from contactbook.modules.classbook import schemas
from contactbook.modules.classbook.services import (
    attendance,
    class_pages,
    comments,
    grades,
    notes,
    summaries,
    traits,
)
from contactbook.modules.classbook.services.freshness import class_stamp

bp = Blueprint("classbook_api", __name__, description="Roll call, grades, health notes, comments")


def _classroom(classroom_id: int) -> Classroom:
    return class_pages.class_seen(current_user, classroom_id)


def _student(student_id: int) -> Student:
    return access.get_visible_or_404(access.students_visible_to(current_user), Student, student_id)


@bp.route("/classes/<int:classroom_id>/attendance", methods=["GET"])
@login_required
@conditional(class_stamp)
@bp.arguments(schemas.RollCallQuery, location="query")
@bp.response(200, schemas.RollCallOut)
def get_roll_call(query, classroom_id):
    return attendance.roll_call_sheet(
        current_user, _classroom(classroom_id), query["day"], query["session"]
    )


@bp.route("/classes/<int:classroom_id>/attendance", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.RollCallIn)
@bp.response(200, schemas.RollCallOut)
def save_roll_call(payload, classroom_id):
    classroom = _classroom(classroom_id)
    marks = [attendance.MarkIn(**mark) for mark in payload["marks"]]
    attendance.save_roll_call(current_user, classroom, payload["day"], payload["session"], marks)
    return attendance.roll_call_sheet(current_user, classroom, payload["day"], payload["session"])


@bp.route("/classes/<int:classroom_id>/grades", methods=["GET"])
@login_required
@conditional(class_stamp)
@bp.arguments(schemas.ColumnQuery, location="query")
@bp.response(200, schemas.GradeColumnOut)
def get_grade_column(query, classroom_id):
    classroom = _classroom(classroom_id)
    return grades.grade_sheet(current_user, classroom, grades.find_column(**query))


@bp.route("/classes/<int:classroom_id>/grades", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.GradeColumnIn)
@bp.response(200, schemas.GradeColumnOut)
def save_grade_column(payload, classroom_id):
    classroom = _classroom(classroom_id)
    entries = [grades.GradeIn(**entry) for entry in payload.pop("entries")]
    column = grades.find_column(**payload)
    grades.save_grade_column(current_user, classroom, column, entries)
    return grades.grade_sheet(current_user, classroom, column)


@bp.route("/classes/<int:classroom_id>/traits", methods=["GET"])
@login_required
@bp.arguments(schemas.TraitQuery, location="query")
@bp.response(200, schemas.TraitColumnOut)
def get_trait_column(query, classroom_id):
    classroom = _classroom(classroom_id)
    return traits.trait_sheet(current_user, classroom, traits.find_trait_column(**query))


@bp.route("/classes/<int:classroom_id>/traits", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.TraitColumnIn)
@bp.response(200, schemas.TraitColumnOut)
def save_trait_column(payload, classroom_id):
    classroom = _classroom(classroom_id)
    entries = [(entry["student_id"], entry["rating"]) for entry in payload.pop("entries")]
    column = traits.find_trait_column(**payload)
    traits.save_trait_column(current_user, classroom, column, entries)
    return traits.trait_sheet(current_user, classroom, column)


@bp.route("/students/<int:student_id>/health-notes", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.HealthNoteIn)
@bp.response(201, schemas.HealthNoteOut)
def add_health_note(payload, student_id):
    return notes.add_health_note(current_user, _student(student_id), notes.HealthNoteIn(**payload))


@bp.route("/students/<int:student_id>/comments", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.CommentIn)
@bp.response(201, schemas.CommentOut)
def add_comment(payload, student_id):
    return comments.add_comment(current_user, _student(student_id), comments.CommentIn(**payload))


@bp.route("/comments/<int:comment_id>", methods=["PATCH"])
@login_required
@idempotent
@bp.arguments(schemas.CommentChangeIn)
@bp.response(200, schemas.CommentOut)
def correct_comment(payload, comment_id):
    """Its author corrects kind, text or subject within 24 hours of writing it; else 403."""
    comment = comments.visible_comment(current_user, comment_id)
    return comments.correct_comment(current_user, comment, comments.CommentChange(**payload))


@bp.route("/comments/<int:comment_id>", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def withdraw_comment(comment_id):
    """Its author withdraws it within 24 hours of writing it: families no longer see it."""
    comments.withdraw_comment(current_user, comments.visible_comment(current_user, comment_id))


def _school(school_id: int) -> School:
    return access.get_visible_or_404(access.schools_visible_to(current_user), School, school_id)


@bp.route("/schools/<int:school_id>/summaries", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.SummaryDayIn)
@bp.response(200, schemas.SummaryRunOut)
def send_summaries_now(payload, school_id):
    """Send a past day's or today's summaries now; a day still to come is refused (422)."""
    return summaries.send_now(current_user, _school(school_id), payload["day"])


@bp.route("/schools/<int:school_id>/closed-days", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.ClosedDayIn)
@bp.response(204)
def close_day(payload, school_id):
    summaries.mark_closed(current_user, _school(school_id), payload["day"], payload["reason"])


@bp.route("/schools/<int:school_id>/summary-settings", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.SummarySettingsIn)
@bp.response(204)
def summary_settings(payload, school_id):
    summaries.set_summary_settings(current_user, _school(school_id), **payload)

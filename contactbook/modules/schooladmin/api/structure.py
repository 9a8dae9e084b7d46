"""JSON routes of the school's structure: years and terms, days, classes, subjects, assignments."""

from __future__ import annotations

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.platform import Role, idempotent
from contactbook.modules.schooladmin.api import structure_schemas as schemas
from contactbook.modules.schooladmin.services import (
    staff,
    structure_calendar,
    structure_classes,
    structure_subjects,
    structure_years,
)
from contactbook.modules.schooladmin.services import structure_find as find

bp = Blueprint(
    "schooladmin_structure_api", __name__, description="School years, terms, classes, subjects"
)


def _dates(data: dict) -> structure_years.Dates:
    return structure_years.Dates(data["starts_on"], data["ends_on"])


@bp.route("/structure/schools/<int:school_id>/years", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.YearIn)
@bp.response(201, schemas.YearOut)
def create_year(payload, school_id):
    school = find.school_or_404(current_user, school_id)
    return structure_years.create_year(
        current_user,
        school,
        payload["name"].strip(),
        _dates(payload),
        _dates(payload["hk1"]),
        _dates(payload["hk2"]),
    )


@bp.route("/structure/years/<int:year_id>", methods=["PATCH"])
@login_required
@idempotent
@bp.arguments(schemas.YearDatesIn)
@bp.response(200, schemas.YearOut)
def set_year_dates(payload, year_id):
    year = find.year_or_404(current_user, year_id)
    structure_years.set_year_dates(
        current_user, year, _dates(payload), _dates(payload["hk1"]), _dates(payload["hk2"])
    )
    return year


@bp.route("/structure/terms/<int:term_id>/gaps", methods=["GET"])
@login_required
@bp.response(200, schemas.GapOut(many=True))
def term_gaps(term_id):
    """What is still missing in the term, by teacher: the warning before closing it."""
    term = find.term_or_404(current_user, term_id)
    structure_years.require_manager(current_user, term)
    return structure_years.gaps_before_closing(term)


@bp.route("/structure/terms/<int:term_id>", methods=["PATCH"])
@login_required
@idempotent
@bp.arguments(schemas.TermStateIn)
@bp.response(200, schemas.TermOut)
def set_term_state(payload, term_id):
    """Close or reopen a term; closing with grade columns missing needs `confirm_gaps`."""
    term = find.term_or_404(current_user, term_id)
    return structure_years.set_term_closed(current_user, term, **payload)


@bp.route("/structure/schools/<int:school_id>/school-days", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.SchoolDaysIn)
@bp.response(204)
def set_school_days(payload, school_id):
    school = find.school_or_404(current_user, school_id)
    days = [day for day, on in payload["weekdays"].items() if on]
    structure_calendar.set_school_days(current_user, school, days)


@bp.route("/structure/schools/<int:school_id>/closed-days", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.ClosedDaysIn)
@bp.response(204)
def add_closed_days(payload, school_id):
    school = find.school_or_404(current_user, school_id)
    structure_calendar.add_closed_days(
        current_user, school, payload["first"], payload["last"], payload["reason"].strip()
    )


@bp.route("/structure/closed-days/<int:closed_day_id>", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def reopen_day(closed_day_id):
    structure_calendar.reopen_day(current_user, find.closed_day_or_404(current_user, closed_day_id))


def _class_in(school, payload) -> structure_classes.ClassIn:
    teacher_id = payload.get("homeroom_teacher_id")
    teacher = find.staff_member_or_404(school, teacher_id, Role.TEACHER) if teacher_id else None
    return structure_classes.ClassIn(payload["name"].strip(), payload["grade_level"], teacher)


@bp.route("/structure/classes", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.ClassIn)
@bp.response(201, schemas.ClassOut)
def create_class(payload):
    year = find.year_or_404(current_user, payload["school_year_id"])
    structure_years.require_manager(current_user, year.school)
    return structure_classes.create_class(current_user, year, _class_in(year.school, payload))


@bp.route("/structure/classes/<int:classroom_id>", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.ClassChangeIn)
@bp.response(200, schemas.ClassOut)
def edit_class(payload, classroom_id):
    room = find.classroom_or_404(current_user, classroom_id)
    structure_years.require_manager(current_user, room)
    return structure_classes.edit_class(current_user, room, _class_in(room.school, payload))


@bp.route("/structure/classes/<int:classroom_id>/archived", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.ArchiveIn)
@bp.response(200, schemas.ClassOut)
def archive_class(payload, classroom_id):
    room = find.classroom_or_404(current_user, classroom_id)
    return structure_classes.set_class_archived(current_user, room, payload["archived"])


@bp.route("/structure/schools/<int:school_id>/subjects", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.SubjectIn)
@bp.response(201, schemas.SubjectOut)
def add_subject(payload, school_id):
    school = find.school_or_404(current_user, school_id)
    return structure_subjects.add_subject(current_user, school, _subject_in(payload))


@bp.route("/structure/schools/<int:school_id>/programme", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.ProgrammeIn)
@bp.response(201, schemas.SubjectOut(many=True))
def add_programme(payload, school_id):
    """Give a grade the 2018 programme's subjects it lacks (Circular 22 / 27 defaults)."""
    school = find.school_or_404(current_user, school_id)
    return structure_subjects.add_programme(current_user, school, payload["grade_level"])


@bp.route("/structure/subjects/<int:subject_id>", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.SubjectIn)
@bp.response(200, schemas.SubjectOut)
def edit_subject(payload, subject_id):
    subject = find.subject_or_404(current_user, subject_id)
    return structure_subjects.edit_subject(current_user, subject, _subject_in(payload))


@bp.route("/structure/subjects/<int:subject_id>/archived", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.ArchiveIn)
@bp.response(200, schemas.SubjectOut)
def archive_subject(payload, subject_id):
    subject = find.subject_or_404(current_user, subject_id)
    return structure_subjects.set_subject_archived(current_user, subject, payload["archived"])


def _subject_in(payload: dict) -> structure_subjects.SubjectIn:
    return structure_subjects.SubjectIn(
        payload["grade_level"],
        payload["code"].strip(),
        payload["name"].strip(),
        payload["periods_per_year"],
        payload["assessment"],
    )


@bp.route("/structure/classes/<int:classroom_id>/assignments", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.AssignmentIn)
@bp.response(201, schemas.AssignmentOut)
def assign_teacher(payload, classroom_id):
    room = find.classroom_or_404(current_user, classroom_id)
    structure_years.require_manager(current_user, room)
    subject = find.subject_of_school_or_404(room.school, payload["subject_id"])
    teacher = find.staff_member_or_404(room.school, payload["teacher_id"], Role.TEACHER)
    return structure_subjects.assign_teacher(current_user, room, subject, teacher)


@bp.route("/structure/assignments/<int:assignment_id>", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def remove_assignment(assignment_id):
    assignment = find.assignment_or_404(current_user, assignment_id)
    structure_subjects.remove_assignment(current_user, assignment)


@bp.route("/structure/schools/<int:school_id>/nurses", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.NurseIn)
@bp.response(204)
def add_nurse(payload, school_id):
    """Make a staff member the school nurse, keeping their other roles here."""
    school = find.school_or_404(current_user, school_id)
    structure_years.require_manager(current_user, school)
    person = find.staff_member_or_404(school, payload["user_id"])
    staff.set_roles(current_user, school, person, staff.roles_here(person, school) | {Role.NURSE})


@bp.route("/structure/schools/<int:school_id>/nurses/<int:user_id>", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def remove_nurse(school_id, user_id):
    school = find.school_or_404(current_user, school_id)
    structure_years.require_manager(current_user, school)
    person = find.staff_member_or_404(school, user_id, Role.NURSE)
    staff.set_roles(current_user, school, person, staff.roles_here(person, school) - {Role.NURSE})

"""Pages of the school's structure (reads only; their forms post to the structure API)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.sql.base import ExecutableOption

from contactbook.core.directory import School, SchoolYear
from contactbook.core.platform import Hidden, Role, parse_id
from contactbook.modules.schooladmin.services import (
    staff,
    structure_calendar,
    structure_classes,
    structure_subjects,
    structure_years,
)
from contactbook.modules.schooladmin.services import structure_find as find

bp = Blueprint("schooladmin_structure", __name__, template_folder="../templates")
WEEKDAYS = range(1, 8)


def _school(school_id: int, *options: ExecutableOption) -> School:
    school = find.school_or_404(current_user, school_id, *options)
    structure_years.require_manager(current_user, school)
    return school


def _teachers(school: School) -> list:
    return [row.user for row in staff.staff_of(school) if Role.TEACHER in row.roles]


@bp.get("/structure/<int:school_id>")
@login_required
def overview(school_id: int) -> str:
    """Years and terms, the school week, closed days and the nurse, with links to the rest."""
    school = _school(school_id, structure_years.WITH_YEARS_AND_TERMS)
    people = staff.staff_of(school)
    return render_template(
        "schooladmin/structure/overview.html",
        school=school,
        years=structure_years.loaded_years_of(school),
        weekdays=WEEKDAYS,
        closed_days=structure_calendar.closed_days_of(school),
        nurses=[row.user for row in people if Role.NURSE in row.roles],
        staff=[row.user for row in people if Role.NURSE not in row.roles],
    )


@bp.get("/structure/<int:school_id>/terms/<int:term_id>/close")
@login_required
def close_term(school_id: int, term_id: int) -> str:
    """Before closing: every grade column still missing, by teacher, then the confirm button."""
    school, term = find.school_and_term_or_404(current_user, school_id, term_id)
    structure_years.require_manager(current_user, school)
    return render_template(
        "schooladmin/structure/close_term.html",
        school=school,
        term=term,
        gaps=structure_years.gaps_before_closing(term),
    )


def _year(years: list[SchoolYear]) -> SchoolYear | None:
    wanted = request.args.get("year", type=parse_id)
    if wanted is None:
        return years[0] if years else None
    chosen = next((year for year in years if year.id == wanted), None)
    if chosen is None:
        raise Hidden()
    return chosen


@bp.get("/structure/<int:school_id>/classes")
@login_required
def classes(school_id: int) -> str:
    """A year's classes with their homeroom teachers, a form to add one, the archived ones."""
    school = _school(school_id, structure_years.WITH_YEARS)
    years = structure_years.loaded_years_of(school)
    year = _year(years)
    current, archived = structure_classes.current_and_archived(year) if year else ([], [])
    return render_template(
        "schooladmin/structure/classes.html",
        school=school,
        year=year,
        years=years,
        classes=current,
        archived=archived,
        grades=structure_classes.grades_of(school),
        teachers=_teachers(school),
    )


@bp.get("/structure/<int:school_id>/classes/<int:classroom_id>")
@login_required
def classroom(school_id: int, classroom_id: int) -> str:
    """One class: its name, grade and homeroom teacher, and who teaches which subject."""
    school, room = find.school_and_classroom_or_404(current_user, school_id, classroom_id)
    structure_years.require_manager(current_user, school)
    subjects, assignments = structure_classes.subjects_and_assignments(room)
    return render_template(
        "schooladmin/structure/classroom.html",
        school=school,
        room=room,
        grades=structure_classes.grades_of(school),
        teachers=_teachers(school),
        subjects=subjects,
        assignments=assignments,
    )


@bp.get("/structure/<int:school_id>/subjects")
@login_required
def subjects(school_id: int) -> str:
    """Subjects per grade, with the programme's defaults a tap away."""
    school = _school(school_id)
    everything = structure_subjects.subjects_of(school, archived=None)
    current = [subject for subject in everything if subject.archived_at is None]
    return render_template(
        "schooladmin/structure/subjects.html",
        school=school,
        grades=structure_classes.grades_of(school),
        by_grade={
            grade: [s for s in current if s.grade_level == grade]
            for grade in structure_classes.grades_of(school)
        },
        archived=[subject for subject in everything if subject.archived_at is not None],
    )

"""What a school's admins see of its classes: every class to open read-only, and the classes
whose roll call is still missing today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import Classroom, School, SchoolYear, Subject, User, access
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark
from contactbook.modules.classbook.rules import ruleset_of

OVERSEE = "classbook.classes.oversee"


@dataclass(frozen=True)
class ClassLinks:
    """One class as the admin's list shows it: what of it they can open."""

    classroom: Classroom
    subjects: list[Subject]
    has_traits: bool


@dataclass(frozen=True)
class MissingRollCalls:
    """Today at the school and the classes with no roll call saved for it yet.

    `is_school_day` is false on a day without lessons, a closed day or between terms: then no
    roll call is expected and `classes` is empty.
    """

    day: date
    is_school_day: bool
    classes: list[Classroom]


def current_year(school: School, today: date) -> SchoolYear | None:
    """The school year under way, or else the latest one that has started.

    It comes with its terms and closed days: whether today is a school day is asked of them.
    """
    found = db.session.scalars(
        select(SchoolYear)
        .where(SchoolYear.school_id == school.id, SchoolYear.starts_on <= today)
        .order_by(SchoolYear.starts_on.desc())
        .limit(1)
        .options(joinedload(SchoolYear.terms), joinedload(SchoolYear.closed_days))
    )
    return found.unique().first()


def _classes_of(year: SchoolYear | None) -> list[Classroom]:
    if year is None:
        return []
    return list(
        db.session.scalars(
            select(Classroom)
            .where(Classroom.school_year_id == year.id, Classroom.archived_at.is_(None))
            .order_by(Classroom.grade_level, Classroom.name)
            .options(joinedload(Classroom.homeroom_teacher))
        )
    )


def _subjects_by_grade(school: School, classes: list[Classroom]) -> dict[int, list[Subject]]:
    """The subjects of every grade level the classes are in, read at once (the grade books)."""
    found: dict[int, list[Subject]] = {room.grade_level: [] for room in classes}
    if not found:
        return found
    subjects = db.session.scalars(
        select(Subject)
        .where(Subject.school_id == school.id, Subject.grade_level.in_(list(found)))
        .order_by(Subject.id)
    )
    for subject in subjects:
        found[subject.grade_level].append(subject)
    return found


def school_classes(actor: User, school: School) -> list[ClassLinks]:
    """Every class of the school's current year, for its admins to open read-only."""
    access.require(actor, OVERSEE, school)
    year = current_year(school, school.today())
    classes = _classes_of(year)
    by_grade = _subjects_by_grade(school, classes)
    return [
        ClassLinks(room, by_grade[room.grade_level], bool(ruleset_of(room.school_year).traits))
        for room in classes
    ]


def missing_roll_calls(actor: User, school: School) -> MissingRollCalls:
    """The classes with no roll call saved today, on the school's own date, on a school day."""
    access.require(actor, OVERSEE, school)
    today = school.today()
    year = current_year(school, today)
    in_term = year is not None and any(
        term.starts_on <= today <= term.ends_on for term in year.terms
    )
    closed = year is not None and any(closed.day == today for closed in year.closed_days)
    if not (in_term and school.teaches_on(today) and not closed):
        return MissingRollCalls(today, False, [])
    classes = _classes_of(year)
    called = set(
        db.session.scalars(
            select(AttendanceMark.classroom_id).where(
                AttendanceMark.day == today,
                AttendanceMark.classroom_id.in_([room.id for room in classes]),
            )
        )
    )
    return MissingRollCalls(today, True, [room for room in classes if room.id not in called])

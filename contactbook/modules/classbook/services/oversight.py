"""What a school's admins see of its classes: every class to open read-only, and the classes
whose roll call is still missing today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select

from contactbook.core.directory import Classroom, School, SchoolYear, Subject, Term, User, access
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.services.calendar import is_closed
from contactbook.modules.classbook.services.teaching import subjects_of

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
    """The school year under way, or else the latest one that has started."""
    return db.session.scalar(
        select(SchoolYear)
        .where(SchoolYear.school_id == school.id, SchoolYear.starts_on <= today)
        .order_by(SchoolYear.starts_on.desc())
        .limit(1)
    )


def _classes_of(year: SchoolYear | None) -> list[Classroom]:
    if year is None:
        return []
    return list(
        db.session.scalars(
            select(Classroom)
            .where(Classroom.school_year_id == year.id, Classroom.archived_at.is_(None))
            .order_by(Classroom.grade_level, Classroom.name)
        )
    )


def school_classes(actor: User, school: School) -> list[ClassLinks]:
    """Every class of the school's current year, for its admins to open read-only."""
    access.require(actor, OVERSEE, school)
    year = current_year(school, school.today())
    by_grade: dict[int, list[Subject]] = {}
    links = []
    for room in _classes_of(year):
        if room.grade_level not in by_grade:
            by_grade[room.grade_level] = subjects_of(room)
        links.append(
            ClassLinks(room, by_grade[room.grade_level], bool(ruleset_of(room.school_year).traits))
        )
    return links


def missing_roll_calls(actor: User, school: School) -> MissingRollCalls:
    """The classes with no roll call saved today, on the school's own date, on a school day."""
    access.require(actor, OVERSEE, school)
    today = school.today()
    year = current_year(school, today)
    in_term = year is not None and bool(
        db.session.scalar(
            select(
                exists().where(
                    Term.school_year_id == year.id, Term.starts_on <= today, Term.ends_on >= today
                )
            )
        )
    )
    if not (in_term and school.teaches_on(today) and not is_closed(school.id, today)):
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

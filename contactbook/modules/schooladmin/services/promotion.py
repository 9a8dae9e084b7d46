"""Year-end promotion: each class moves up a grade into the new school year, the last grade
graduates. History stays: last year's classes and enrollments are kept as they were.

Guardianships belong to the pupil, not the class, so families follow without a copy.
Running it again finds what the first run made and creates nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    User,
    access,
)
from contactbook.core.platform import Hidden, Invalid, atomic, audit, utcnow
from contactbook.extensions import db

PERMISSION = "schooladmin.school.manage"
LAST_GRADE = {
    SchoolLevel.PRIMARY: 5,
    SchoolLevel.LOWER_SECONDARY: 9,
    SchoolLevel.UPPER_SECONDARY: 12,
}


@dataclass(frozen=True)
class Move:
    """What happens to one class: its pupils move to `to_name`, or graduate when it is None."""

    classroom: Classroom
    to_name: str | None
    pupils: list[Student]


def years_of(school: School) -> list[SchoolYear]:
    """The school's years, newest first: the admin picks the one that ends."""
    return list(
        db.session.scalars(
            select(SchoolYear)
            .where(SchoolYear.school_id == school.id)
            .order_by(SchoolYear.starts_on.desc())
        )
    )


def year_of_school(school: School, year_id: int, years: list[SchoolYear]) -> SchoolYear:
    """A year of this school, among its years already read; another school's looks missing."""
    year = next((year for year in years if year.id == year_id), None)
    if year is None or year.school_id != school.id:
        raise Hidden()
    return year


def next_name(name: str, grade_level: int) -> str:
    """6A -> 7A, 10C2 -> 11C2: the grade in front moves up, the rest stays."""
    return re.sub(r"^\d+", str(grade_level + 1), name) if name[:1].isdigit() else name


def preview(actor: User, school: School, year: SchoolYear) -> list[Move]:
    """The dry run: every class of the year, where its current pupils go; nothing is written.

    Classes, enrollments and pupils come in one statement, however large the school.
    """
    access.require(actor, PERMISSION, school)
    last = LAST_GRADE[school.level]
    rooms = db.session.scalars(
        select(Classroom)
        .outerjoin(Classroom.enrollments)
        .outerjoin(Enrollment.student)
        .options(contains_eager(Classroom.enrollments).contains_eager(Enrollment.student))
        .where(Classroom.school_year_id == year.id, Classroom.archived_at.is_(None))
        .order_by(Classroom.grade_level, Classroom.name, Enrollment.id)
    ).unique()
    return [
        Move(
            room,
            None if room.grade_level >= last else next_name(room.name, room.grade_level),
            [e.student for e in room.enrollments if e.student.archived_at is None],
        )
        for room in rooms
    ]


def promote(
    actor: User,
    school: School,
    year: SchoolYear,
    new_year_name: str,
    starts_on: date,
    ends_on: date,
) -> dict[str, int]:
    """Move every class up into the new year (made if missing) and graduate the last grade.

    Returns what was created, so the page can say so (all zero on a second run).
    """
    moves = preview(actor, school, year)
    if not (year.ends_on < starts_on < ends_on):
        raise Invalid(
            {
                "starts_on": [
                    _("The new year starts after the old one ends and before it ends itself.")
                ]
            }
        )
    name = new_year_name.strip()
    if name == year.name:
        raise Invalid({"new_year_name": [_("The new year needs another name.")]})
    counts = {"classes": 0, "enrollments": 0, "graduated": 0}
    with atomic():
        new_year = db.session.scalar(
            select(SchoolYear).where(SchoolYear.school_id == school.id, SchoolYear.name == name)
        )
        if new_year is None:
            new_year = SchoolYear(
                school_id=school.id, name=name, starts_on=starts_on, ends_on=ends_on
            )
            db.session.add(new_year)
            db.session.flush()
        existing = {room.name: room for room in new_year.classrooms}
        for move in moves:
            if move.to_name is None:
                for pupil in move.pupils:
                    pupil.archived_at = utcnow()
                    counts["graduated"] += 1
                continue
            room = existing.get(move.to_name)
            if room is None:
                room = Classroom(
                    school_year_id=new_year.id,
                    name=move.to_name,
                    grade_level=move.classroom.grade_level + 1,
                )
                db.session.add(room)
                db.session.flush()
                existing[room.name] = room
                counts["classes"] += 1
            enrolled = set(
                db.session.scalars(
                    select(Enrollment.student_id).where(Enrollment.classroom_id == room.id)
                )
            )
            for pupil in move.pupils:
                if pupil.id not in enrolled:
                    db.session.add(Enrollment(classroom_id=room.id, student_id=pupil.id))
                    counts["enrollments"] += 1
        audit.record(
            actor,
            "schooladmin.promotion",
            new_year,
            school_id=school.id,
            before={"year": year.name},
            after={"year": name, **counts},
        )
    return counts

"""What the pages show besides documents: the sending form's choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from contactbook.core.directory import Classroom, School, SchoolYear, User, access
from contactbook.core.platform import utcnow
from contactbook.extensions import db


@dataclass(frozen=True)
class Choices:
    """The schools a sender runs, and those schools' classes of the running year."""

    schools: list[School]
    classes: list[tuple[Classroom, School]]


def sending_choices(user: User) -> Choices:
    """Where this user may send documents; empty for anyone who runs no school."""
    managed = access.managed_school_ids(user)
    schools = list(
        db.session.scalars(select(School).where(School.id.in_(managed)).order_by(School.name))
    )
    rows = db.session.execute(
        select(Classroom, School)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .join(School, School.id == SchoolYear.school_id)
        .where(
            School.id.in_(managed),
            SchoolYear.ends_on >= utcnow().date(),
            Classroom.archived_at.is_(None),
        )
        .order_by(School.name, Classroom.grade_level, Classroom.name)
    )
    return Choices(schools=schools, classes=[(room, school) for room, school in rows])

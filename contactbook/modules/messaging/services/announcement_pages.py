"""What the announcement pages show besides announcements: who is a family, where one may post."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from contactbook.core.directory import Classroom, School, SchoolYear, User, access
from contactbook.core.platform import Role
from contactbook.extensions import db


@dataclass(frozen=True)
class AudienceChoices:
    """The classes a user may post to, and the schools they may post to as a whole."""

    classes: list[Classroom]
    schools: list[School]


def is_family(user: User) -> bool:
    """A guardian with no staff role reads the family feed."""
    return access.roles_of(user) == {Role.GUARDIAN}


def audience_choices(user: User) -> AudienceChoices:
    """Classes taught (this year's, not archived) and schools administered."""
    schools = list(
        db.session.scalars(
            select(School)
            .where(School.id.in_(access.managed_school_ids(user)))
            .order_by(School.name)
        )
    )
    classes = [
        room
        for room in db.session.scalars(
            access.classrooms_taught_by(user)
            .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
            .where(Classroom.archived_at.is_(None))
            .order_by(SchoolYear.starts_on.desc(), Classroom.name)
        )
        if access.allows(user, "messaging.announcements.post", room)
        and room.school_year.starts_on <= room.school.today() <= room.school_year.ends_on
    ]
    return AudienceChoices(classes=classes, schools=schools)

"""The class a contact-book page is about, loaded with what every such page asks of it."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from contactbook.core.directory import Classroom, SchoolYear, User, access
from contactbook.core.platform import Hidden
from contactbook.extensions import db


def class_seen(user: User, classroom_id: int) -> Classroom:
    """The class if the reader sees it (else `Hidden`), with its year, school, terms and the
    school's closed days that year.

    Entry pages ask about days many times (which term a day falls in, whether the school is
    closed then, the last day with lessons); loading the year's calendar with the class answers
    all of those in the class's one statement.
    """
    found = db.session.scalars(
        access.classrooms_visible_to(user)
        .where(Classroom.id == classroom_id)
        .options(
            joinedload(Classroom.school_year).joinedload(SchoolYear.terms),
            joinedload(Classroom.school_year).joinedload(SchoolYear.closed_days),
        )
    )
    classroom = found.unique().one_or_none()
    if classroom is None:
        raise Hidden()
    return classroom

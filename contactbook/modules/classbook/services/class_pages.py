"""The class a contact-book page is about, loaded with what every such page asks of it."""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from contactbook.core.directory import Classroom, SchoolYear, User, access
from contactbook.core.platform import Hidden
from contactbook.extensions import db


def class_seen(user: User, classroom_id: int) -> Classroom:
    """The class if the reader sees it (else `Hidden`), with its year, school and terms.

    Entry pages ask a class's terms many times (which term a day falls in, whether it is
    closed); loading them with the class answers all of those in the class's one statement.
    """
    found = db.session.scalars(
        access.classrooms_visible_to(user)
        .where(Classroom.id == classroom_id)
        .options(joinedload(Classroom.school_year).joinedload(SchoolYear.terms))
    )
    classroom = found.unique().first()
    if classroom is None:
        raise Hidden()
    return classroom

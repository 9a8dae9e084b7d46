"""The pupils of a class, in Vietnamese class-list order."""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.directory import Classroom, Enrollment, Student, name_key
from contactbook.extensions import db


def pupils_of(classroom: Classroom) -> list[Student]:
    """The class as its list is read out: by given name, then middle name, then family name."""
    students = db.session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == classroom.id)
    ).all()
    return sorted(students, key=lambda s: name_key(s.family_name, s.middle_name, s.given_name))

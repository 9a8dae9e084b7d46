"""The pupils of a class, in Vietnamese class-list order."""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.directory import Classroom, Enrollment, Student
from contactbook.extensions import db


def pupils_of(classroom: Classroom) -> list[Student]:
    """The class as its list is read out: by given name, then middle name, then family name."""
    students = db.session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == classroom.id)
    ).all()
    return sorted(students, key=lambda pupil: pupil.sort_key)

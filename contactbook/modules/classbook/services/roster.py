"""The pupils of a class, in Vietnamese class-list order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from contactbook.core.directory import Classroom, Enrollment, Student
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, DaySession


def pupils_of(classroom: Classroom) -> list[Student]:
    """The class as its list is read out: by given name, then middle name, then family name."""
    students = db.session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == classroom.id)
    ).all()
    return sorted(students, key=lambda pupil: pupil.sort_key)


def pupils_with_marks(
    classroom: Classroom, day: date, session: DaySession
) -> list[tuple[Student, AttendanceMark | None]]:
    """The class in list order, each pupil with the mark saved for one session, if any.

    One statement for the whole sheet, however many pupils the class has.
    """
    rows = db.session.execute(
        select(Student, AttendanceMark)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .outerjoin(
            AttendanceMark,
            and_(
                AttendanceMark.student_id == Student.id,
                AttendanceMark.classroom_id == classroom.id,
                AttendanceMark.day == day,
                AttendanceMark.session == session,
            ),
        )
        .where(Enrollment.classroom_id == classroom.id)
    )
    return sorted(((pupil, mark) for pupil, mark in rows), key=lambda row: row[0].sort_key)

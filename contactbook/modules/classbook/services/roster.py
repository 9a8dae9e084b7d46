"""The pupils of a class, in Vietnamese class-list order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, event, select
from sqlalchemy.orm import Session

from contactbook.core.directory import Classroom, Enrollment, Student
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, DaySession, Grade

# Where a unit of work keeps the class lists it read (see `pupils_of`).
_PUPILS_KEY = "classbook.pupils"


def pupils_of(classroom: Classroom) -> list[Student]:
    """The class as its list is read out: by given name, then middle name, then family name.

    A page asks for the same class list several times (the column picker, the sheet, the saved
    grades); it is read once per unit of work, and read afresh after any write.
    """
    session = db.session()
    known: dict[int, list[Student]] = session.info.setdefault(_PUPILS_KEY, {})
    if classroom.id in known and not (session.new or session.dirty or session.deleted):
        return list(known[classroom.id])
    students = session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == classroom.id)
    ).all()
    return remember_pupils(classroom, students)


def remember_pupils(classroom: Classroom, students: Iterable[Student]) -> list[Student]:
    """Keep a class list read along with something else, so `pupils_of` need not read it."""
    pupils = sorted(set(students), key=lambda pupil: pupil.sort_key)
    db.session().info.setdefault(_PUPILS_KEY, {})[classroom.id] = pupils
    return list(pupils)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_pupils(session: Session, *_context: object) -> None:
    """Drop the class lists a unit of work read: a write may have moved a pupil."""
    session.info.pop(_PUPILS_KEY, None)


def grades_with_pupils(classroom: Classroom, *conditions: ColumnElement[bool]) -> list[Grade]:
    """The class's grades that meet `conditions`, read in one statement with the class list,
    which is kept for `pupils_of`: a grade sheet needs both, and a class of 45 costs no more."""
    rows = db.session.execute(
        select(Student, Grade)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .outerjoin(Grade, and_(Grade.student_id == Student.id, *conditions))
        .where(Enrollment.classroom_id == classroom.id)
    ).all()
    remember_pupils(classroom, (pupil for pupil, _grade in rows))
    return [grade for _pupil, grade in rows if grade is not None]


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

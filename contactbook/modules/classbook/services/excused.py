"""Absences excused after the roll call: leave approved later turns K into P, audited.

Other modules excuse absences through the core hook `absence_excused`; the contact book owns
the marks, so it alone changes them, in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from contactbook.core.directory import Student
from contactbook.core.platform import ExcusedAbsence, audit
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    AuditAction,
    DaySession,
)


def excuse_recorded_absences(excused: ExcusedAbsence) -> None:
    """Turn the pupil's "absent without leave" marks in these sessions into "with leave".

    Present, late and already excused marks stay as they are: the leave excuses an absence,
    it does not invent one. The day still counts toward the absence limit.
    """
    if not excused.sessions:
        return
    student = db.session.get(Student, excused.student_id)
    marks = db.session.scalars(
        select(AttendanceMark).where(
            AttendanceMark.student_id == excused.student_id,
            AttendanceMark.status == AttendanceStatus.UNEXCUSED,
            or_(
                *(
                    and_(AttendanceMark.day == day, AttendanceMark.session == DaySession(session))
                    for day, session in excused.sessions
                )
            ),
        )
    )
    for mark in marks:
        before = {"status": str(mark.status), "note": mark.note}
        mark.status = AttendanceStatus.EXCUSED
        mark.recorded_by_id = excused.actor.id
        audit.record(
            excused.actor,
            AuditAction.ATTENDANCE,
            mark,
            school_id=student.school_id,
            before=before,
            after={"status": str(mark.status), "note": mark.note, "reason": excused.reason},
        )

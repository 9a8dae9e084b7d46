"""Roll call: one save marks the whole class for a session; saving again edits that day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.delivery import FamilyNews, notify_families
from contactbook.core.directory import Classroom, Student, User, access
from contactbook.core.platform import Invalid, Urgency, atomic, module_hooks
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    AuditAction,
    DaySession,
)
from contactbook.modules.classbook.services.calendar import require_school_day
from contactbook.modules.classbook.services.columns import write_column
from contactbook.modules.classbook.services.roster import pupils_of, pupils_with_marks

ABSENT = {AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED}


@dataclass(frozen=True)
class MarkIn:
    """One pupil's mark as the teacher sent it; pupils a roll call leaves out are present."""

    student_id: int
    status: AttendanceStatus
    note: str = ""


def marks_for(classroom: Classroom, day: date, session: DaySession) -> list[AttendanceMark]:
    """The marks saved for one class session: what saving that session again edits."""
    return list(
        db.session.scalars(
            select(AttendanceMark).where(
                AttendanceMark.classroom_id == classroom.id,
                AttendanceMark.day == day,
                AttendanceMark.session == session,
            )
        )
    )


def roll_call_sheet(
    actor: User, classroom: Classroom, day: date, session: DaySession
) -> dict[str, Any]:
    """The whole class for one session, saved marks filled in, everyone else present.

    Read by the school's staff who see the class; `may_save` says whether the reader takes it.
    Pupils other modules expect away (approved leave) start absent with leave, and their row
    carries the reason whatever was saved, so the teacher sees why.
    """
    access.require(actor, "classbook.records.view", classroom)
    roll = pupils_with_marks(classroom, day, session)
    saved = {pupil.id: mark for pupil, mark in roll if mark is not None}
    expected = {
        student_id: absence.reason
        for student_id, absence in module_hooks.expected_absences(classroom, day).items()
        if str(session) in absence.sessions
    }
    marks = [
        {
            "student_id": pupil.id,
            "student_name": pupil.full_name,
            "status": saved[pupil.id].status
            if pupil.id in saved
            else (AttendanceStatus.EXCUSED if pupil.id in expected else AttendanceStatus.PRESENT),
            "note": saved[pupil.id].note if pupil.id in saved else "",
            "leave_reason": expected.get(pupil.id, ""),
        }
        for pupil, _mark in roll
    ]
    return {
        "day": day,
        "session": session,
        "is_saved": bool(saved),
        "may_save": access.allows(actor, "classbook.attendance.record", classroom),
        "marks": marks,
    }


def save_roll_call(
    actor: User, classroom: Classroom, day: date, session: DaySession, marks: Sequence[MarkIn]
) -> list[AttendanceMark]:
    """Mark every pupil of the class; anyone not listed is present."""
    access.require(actor, "classbook.attendance.record", classroom)
    with atomic():
        require_school_day(classroom, day)
        pupils = {pupil.id: pupil for pupil in pupils_of(classroom)}
        strangers = [mark.student_id for mark in marks if mark.student_id not in pupils]
        if strangers:
            raise Invalid(
                {
                    "marks": [
                        _(
                            "These students are not in this class: %(ids)s",
                            ids=", ".join(map(str, strangers)),
                        )
                    ]
                }
            )
        wanted = {pupil_id: MarkIn(pupil_id, AttendanceStatus.PRESENT) for pupil_id in pupils}
        wanted.update({mark.student_id: mark for mark in marks})
        return write_column(
            actor,
            AuditAction.ATTENDANCE,
            classroom.school.id,
            AttendanceMark,
            existing={mark.student_id: mark for mark in marks_for(classroom, day, session)},
            wanted={
                pupil_id: {"status": mark.status, "note": mark.note}
                for pupil_id, mark in wanted.items()
            },
            new_row=lambda pupil_id: {
                "classroom_id": classroom.id,
                "student_id": pupil_id,
                "day": day,
                "session": session,
            },
            state=_state,
            on_changes=lambda changes: _tell_guardians(changes, pupils, classroom),
        )


def _state(row: AttendanceMark | None) -> dict | None:
    return None if row is None else {"status": str(row.status), "note": row.note}


def _tell_guardians(
    changes: list[tuple[AttendanceMark, dict | None]],
    pupils: dict[int, Student],
    classroom: Classroom,
) -> None:
    """Tell families of new absences and late arrivals, not of unchanged or present marks."""
    news: dict[str, list[FamilyNews]] = {}
    for row, before in changes:
        if before is not None and before["status"] == row.status:
            continue
        if row.status in ABSENT:
            event = "classbook.absence_recorded"
            urgency = Urgency.HIGH if row.status is AttendanceStatus.UNEXCUSED else Urgency.NORMAL
        elif row.status is AttendanceStatus.LATE:
            event, urgency = "classbook.late_recorded", Urgency.NORMAL
        else:
            continue
        student = pupils[row.student_id]
        data = {
            "student_name": student.full_name,
            "day": row.day.isoformat(),
            "session": str(row.session),
            "status": str(row.status),
            "classroom": classroom.name,
        }
        news.setdefault(event, []).append(FamilyNews(student, data, urgency=urgency))
    for event, items in news.items():
        notify_families(event, items)

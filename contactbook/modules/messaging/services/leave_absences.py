"""Leave as the roll call sees it: school days of a range, and who is expected away.

The roll call asks through the core hook `expected_absences`; it never imports messaging.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select

from contactbook.core.directory import Classroom, ClosedDay, Enrollment, School, Term
from contactbook.core.platform import ExpectedAbsence
from contactbook.extensions import db
from contactbook.modules.messaging.models import LeaveRequest, LeaveStatus


def days_between(starts_on: date, ends_on: date) -> Iterator[date]:
    """Every calendar day from the first to the last, both included."""
    for offset in range((ends_on - starts_on).days + 1):
        yield starts_on + timedelta(days=offset)


def school_days(school: School, starts_on: date, ends_on: date) -> list[date]:
    """The days of lessons in a range: the school's weekdays, less the days it marked closed."""
    closed = set(
        db.session.scalars(
            select(ClosedDay.day).where(
                ClosedDay.school_id == school.id,
                ClosedDay.day >= starts_on,
                ClosedDay.day <= ends_on,
            )
        )
    )
    return [
        day
        for day in days_between(starts_on, ends_on)
        if school.teaches_on(day) and day not in closed
    ]


def days_outside_terms(classroom: Classroom, days: list[date]) -> list[date]:
    """Which of these days fall in no term of the class's school year."""
    terms = db.session.execute(
        select(Term.starts_on, Term.ends_on).where(Term.school_year_id == classroom.school_year_id)
    ).all()
    return [day for day in days if not any(start <= day <= end for start, end in terms)]


def expected_absences(classroom: Classroom, day: date) -> dict[int, ExpectedAbsence]:
    """Pupils of the class with approved leave that day: the core hook the roll call asks."""
    pupils = select(Enrollment.student_id).where(Enrollment.classroom_id == classroom.id)
    found: dict[int, ExpectedAbsence] = {}
    for request in db.session.scalars(
        select(LeaveRequest)
        .where(
            LeaveRequest.student_id.in_(pupils),
            LeaveRequest.status == LeaveStatus.APPROVED,
            LeaveRequest.starts_on <= day,
            LeaveRequest.ends_on >= day,
        )
        .order_by(LeaveRequest.id)
    ):
        earlier = found.get(request.student_id)
        sessions = request.day_part.sessions | (earlier.sessions if earlier else frozenset())
        reason = f"{earlier.reason}; {request.reason}" if earlier else request.reason
        found[request.student_id] = ExpectedAbsence(sessions=sessions, reason=reason)
    return found

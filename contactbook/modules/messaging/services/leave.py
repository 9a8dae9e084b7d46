"""Leave requests (đơn xin nghỉ học): a guardian asks, the homeroom teacher decides.

An approval pre-fills the roll call (through the `expected_absences` hook) and, for days
already marked "absent without leave", excuses them through the `absence_excused` hook, in the
same transaction. Excused days still count toward the absence limit: only the mark changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from contactbook.core.delivery import notify
from contactbook.core.directory import (
    Classroom,
    Guardianship,
    SchoolYear,
    Student,
    User,
    access,
)
from contactbook.core.platform import ExcusedAbsence, Invalid, atomic, audit, module_hooks, utcnow
from contactbook.extensions import db
from contactbook.modules.messaging.models import DayPart, LeaveRequest, LeaveStatus
from contactbook.modules.messaging.services import uploads
from contactbook.modules.messaging.services.leave_absences import (
    days_outside_terms,
    school_days,
)

REQUESTED = "messaging.leave_requested"
DECIDED = "messaging.leave_decided"
AUDIT_ACTION = "messaging.leave_request"
# How far back a family may still ask: absences of the last few school days only.
MAX_SCHOOL_DAYS_BACK = 3
MAX_CALENDAR_DAYS = 31
OPEN_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


@dataclass(frozen=True)
class LeaveDraft:
    """What the family asked for; the shape is checked at the edge, the rules here."""

    starts_on: date
    ends_on: date
    day_part: DayPart
    reason: str
    doctors_note: IO[bytes] | None = None


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_dates(student: Student, classroom: Classroom, draft: LeaveDraft) -> None:
    """Refuse a range that is backwards, too long, too far back, between terms or overlapping."""
    if draft.ends_on < draft.starts_on:
        raise Invalid({"ends_on": [_("The last day comes before the first day.")]})
    if (draft.ends_on - draft.starts_on).days >= MAX_CALENDAR_DAYS:
        raise Invalid(
            {"ends_on": [_("A request covers at most %(days)d days.", days=MAX_CALENDAR_DAYS)]}
        )
    school = classroom.school
    today = school.today()
    days = school_days(school, draft.starts_on, draft.ends_on)
    if not days:
        raise Invalid({"starts_on": [_("There are no school days in these dates.")]})
    outside = days_outside_terms(classroom, days)
    if outside:
        raise Invalid(
            {
                "starts_on": [
                    _(
                        "%(day)s is outside the terms of the school year.",
                        day=_fmt(outside[0]),
                    )
                ]
            }
        )
    if draft.starts_on < today:
        missed = school_days(school, draft.starts_on, today)
        if len([day for day in missed if day < today]) > MAX_SCHOOL_DAYS_BACK:
            raise Invalid(
                {
                    "starts_on": [
                        _(
                            "Leave can be asked at most %(count)d school days back; "
                            "%(day)s is further.",
                            count=MAX_SCHOOL_DAYS_BACK,
                            day=_fmt(draft.starts_on),
                        )
                    ]
                }
            )
    earlier = _overlapping(student, draft)
    if earlier is not None:
        state = (
            _("waiting for the teacher") if earlier.status is LeaveStatus.PENDING else _("approved")
        )
        raise Invalid(
            {
                "starts_on": [
                    _(
                        "These days overlap an earlier request for %(first)s–%(last)s (%(state)s).",
                        first=_fmt(earlier.starts_on),
                        last=_fmt(earlier.ends_on),
                        state=state,
                    )
                ]
            }
        )


def _overlapping(student: Student, draft: LeaveDraft) -> LeaveRequest | None:
    """The child's earlier pending or approved request sharing a session with this one."""
    candidates = db.session.scalars(
        select(LeaveRequest)
        .where(
            LeaveRequest.student_id == student.id,
            LeaveRequest.status.in_(OPEN_STATUSES),
            LeaveRequest.starts_on <= draft.ends_on,
            LeaveRequest.ends_on >= draft.starts_on,
        )
        .order_by(LeaveRequest.starts_on)
    )
    return next(
        (found for found in candidates if found.day_part.sessions & draft.day_part.sessions),
        None,
    )


def _lock(student: Student) -> None:
    """Make a second request for the same child wait, so two overlapping ones cannot both pass."""
    db.session.execute(select(Student.id).where(Student.id == student.id).with_for_update())


def request_leave(actor: User, student: Student, draft: LeaveDraft) -> LeaveRequest:
    """Ask leave for one's own child; the homeroom teacher is told."""
    access.require(actor, "messaging.leave.request", student)
    with atomic():
        classroom = student.current_classroom
        if classroom is None:
            raise Invalid({"student": [_("This pupil is not in a class.")]})
        _lock(student)
        _check_dates(student, classroom, draft)
        leave = LeaveRequest(
            student_id=student.id,
            classroom_id=classroom.id,
            requested_by_id=actor.id,
            starts_on=draft.starts_on,
            ends_on=draft.ends_on,
            day_part=draft.day_part,
            reason=draft.reason,
            created_at=utcnow(),
        )
        if draft.doctors_note is not None:
            leave.doctors_note = uploads.save_upload(
                actor, draft.doctors_note, accept=uploads.IMAGES, field="doctors_note"
            )
        db.session.add(leave)
        db.session.flush()
        audit.record(actor, AUDIT_ACTION, leave, school_id=student.school_id, after=_state(leave))
        if classroom.homeroom_teacher is not None:
            notify(
                [classroom.homeroom_teacher],
                REQUESTED,
                student_id=student.id,
                leave_id=leave.id,
                student_name=student.full_name,
                classroom=classroom.name,
                starts_on=leave.starts_on.isoformat(),
                ends_on=leave.ends_on.isoformat(),
            )
    return leave


def decide_leave(actor: User, leave: LeaveRequest, approve: bool, comment: str) -> LeaveRequest:
    """The homeroom teacher approves or declines; the family is told, the roll call follows."""
    access.require(actor, "messaging.leave.decide", leave.classroom)
    with atomic():
        if leave.status is not LeaveStatus.PENDING:
            raise Invalid({"decision": [_("This request has already been answered.")]})
        before = _state(leave)
        leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.DECLINED
        leave.decided_by_id = actor.id
        leave.decided_at = utcnow()
        leave.decision_comment = comment
        audit.record(
            actor,
            AUDIT_ACTION,
            leave,
            school_id=leave.student.school_id,
            before=before,
            after=_state(leave),
        )
        if approve:
            days = school_days(leave.classroom.school, leave.starts_on, leave.ends_on)
            module_hooks.excuse_absences(
                ExcusedAbsence(
                    actor=actor,
                    student_id=leave.student_id,
                    sessions=tuple(
                        (day, session)
                        for day in days
                        for session in sorted(leave.day_part.sessions)
                    ),
                    reason=leave.reason,
                )
            )
        notify(
            access.guardians_of(leave.student),
            DECIDED,
            student_id=leave.student_id,
            leave_id=leave.id,
            student_name=leave.student.full_name,
            approved=approve,
            starts_on=leave.starts_on.isoformat(),
            ends_on=leave.ends_on.isoformat(),
        )
    return leave


def _state(leave: LeaveRequest) -> dict:
    return {
        "student_id": leave.student_id,
        "starts_on": leave.starts_on.isoformat(),
        "ends_on": leave.ends_on.isoformat(),
        "day_part": str(leave.day_part),
        "status": str(leave.status),
        "comment": leave.decision_comment or "",
        "doctors_note_id": leave.doctors_note_id,
    }


def leave_requests_visible_to(user: User) -> Select:
    """A family's own children's requests; teachers their classes'; admins their schools'."""
    own_children = select(Guardianship.student_id).where(Guardianship.user_id == user.id)
    taught = access.classrooms_taught_by(user).with_only_columns(Classroom.id)
    managed = (
        select(Classroom.id)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .where(SchoolYear.school_id.in_(access.managed_school_ids(user)))
    )
    return select(LeaveRequest).where(
        or_(
            LeaveRequest.student_id.in_(own_children),
            LeaveRequest.classroom_id.in_(taught),
            LeaveRequest.classroom_id.in_(managed),
        )
    )


def leave_requests_for(user: User, student: Student | None = None) -> list[LeaveRequest]:
    """What the user may see, waiting ones first, then the newest; one child's if asked."""
    query = leave_requests_visible_to(user)
    if student is not None:
        query = query.where(LeaveRequest.student_id == student.id)
    return list(
        db.session.scalars(
            query.order_by(
                (LeaveRequest.status == LeaveStatus.PENDING).desc(),
                LeaveRequest.starts_on.desc(),
                LeaveRequest.id.desc(),
            ).limit(100)
        )
    )

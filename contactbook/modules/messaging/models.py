"""What messaging stores: announcements and who received them, leave requests."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory import Classroom, Student, User
from contactbook.core.platform import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class Audience(enum.StrEnum):
    """Who an announcement is for: one class, a whole school, or some grade levels of it."""

    CLASS = "class"
    SCHOOL = "school"
    GRADES = "grades"


class Announcement(db.Model):
    """A notice from a teacher to a class or from the school; families read it in their feed."""

    __tablename__ = "messaging_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    audience: Mapped[Audience] = mapped_column(storable_enum(Audience))
    classroom_id: Mapped[int | None] = mapped_column(ForeignKey("classrooms.id"), index=True)
    grade_levels: Mapped[list[int]] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    needs_acknowledgement: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    author: Mapped[User] = relationship()
    classroom: Mapped[Classroom | None] = relationship()


class AnnouncementReceipt(db.Model):
    """One family member's copy of an announcement: fixed when posted, then read and acknowledged.

    The audience is taken once, at posting time: a family joining later does not get it.
    """

    __tablename__ = "messaging_announcement_receipts"
    __table_args__ = (
        UniqueConstraint("announcement_id", "guardian_id"),
        Index("ix_messaging_announcement_receipts_guardian_read", "guardian_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("messaging_announcements.id"), index=True
    )
    guardian_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The guardian's children in the audience, by name, as the sender's status list shows them.
    children: Mapped[str] = mapped_column(String(300), default="")
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    guardian: Mapped[User] = relationship()
    announcement: Mapped[Announcement] = relationship()


class DayPart(enum.StrEnum):
    """Which sessions of each requested day a leave request covers."""

    WHOLE_DAY = "whole_day"
    MORNING = "morning"
    AFTERNOON = "afternoon"

    @property
    def sessions(self) -> frozenset[str]:
        """The roll call sessions this part covers."""
        if self is DayPart.WHOLE_DAY:
            return frozenset({DayPart.MORNING.value, DayPart.AFTERNOON.value})
        return frozenset({self.value})


class LeaveStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class LeaveRequest(db.Model):
    """A guardian's request (đơn xin nghỉ học) for days away; the homeroom teacher decides."""

    __tablename__ = "messaging_leave_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    # The class at request time: its homeroom teacher decides, its roll call shows the leave.
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    day_part: Mapped[DayPart] = mapped_column(storable_enum(DayPart))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[LeaveStatus] = mapped_column(
        storable_enum(LeaveStatus), default=LeaveStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    student: Mapped[Student] = relationship()
    classroom: Mapped[Classroom] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

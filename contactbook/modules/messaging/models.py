"""What messaging stores: uploaded files, conversations and their messages, office hours and
quick replies; announcements and who received them; leave requests."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory import Classroom, School, Student, User
from contactbook.core.platform import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class StoredFile(db.Model):
    """A file someone uploaded, checked and (for images) re-encoded, kept under instance/.

    `storage_name` is random and the only name on disk; what the sender called the file is
    never used as a path. Who may read it is decided by whatever the file is attached to.
    """

    __tablename__ = "messaging_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def is_image(self) -> bool:
        """Whether pages may show the file inline as a picture."""
        return self.content_type.startswith("image/")


class Conversation(db.Model):
    """The one conversation about a child between their guardians and their teachers.

    It is a record: never deleted, only closed (no new messages) and reopened. Guardians and
    the homeroom teacher take part through the directory; other staff through `Participant`.
    `last_message_id` lets an open page ask "anything new?" in one cheap statement.
    """

    __tablename__ = "messaging_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_message_id: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    student: Mapped[Student] = relationship()
    school: Mapped[School] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", order_by="Participant.id"
    )

    @property
    def is_closed(self) -> bool:
        """Whether new messages are refused."""
        return self.closed_at is not None


class Participant(db.Model):
    """A subject teacher or the nurse the homeroom teacher brought into a conversation."""

    __tablename__ = "messaging_participants"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("messaging_conversations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Message(db.Model):
    """One message: its text exactly as sent (any Unicode, NFC or NFD), and maybe a photo."""

    __tablename__ = "messaging_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("messaging_conversations.id"), index=True
    )
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_files.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    sender: Mapped[User] = relationship()
    photo: Mapped[StoredFile | None] = relationship()


class ReadMark(db.Model):
    """How far one person has read a conversation: what their unread count starts from."""

    __tablename__ = "messaging_read_marks"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("messaging_conversations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)


class OfficeHours(db.Model):
    """When a teacher wants to hear about messages; outside them news waits (07:00–17:00 unset)."""

    __tablename__ = "messaging_office_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)


class QuickReply(db.Model):
    """A reply a teacher saved to send again with one tap."""

    __tablename__ = "messaging_quick_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    # A PDF or picture sent with it, opened by those who may read the announcement.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_files.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)

    author: Mapped[User] = relationship()
    classroom: Mapped[Classroom | None] = relationship()
    attachment: Mapped[StoredFile | None] = relationship()


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
    # A photo of a doctor's note: for the family and the homeroom teacher deciding, no one else.
    doctors_note_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_files.id"))
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
    doctors_note: Mapped[StoredFile | None] = relationship()

    @property
    def school(self) -> School:
        """The school whose roles act on the request: its class's."""
        return self.classroom.school

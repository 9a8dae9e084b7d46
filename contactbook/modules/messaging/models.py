"""What messaging stores: uploaded files, conversations and their messages, office hours."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory import School, Student, User
from contactbook.core.platform import UtcDateTime, utcnow
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

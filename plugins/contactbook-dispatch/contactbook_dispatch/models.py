"""What dispatch stores: official documents, and one row per recipient with their marks."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.core.platform import Urgency, UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class Audience(enum.StrEnum):
    """Whom a document is addressed to: schools (their admins), roles at schools, families."""

    SCHOOLS = "schools"
    STAFF = "staff"
    FAMILIES = "families"


class Document(db.Model):
    """An official document (công văn) as its sender issued it, with its PDF.

    `addressed` keeps what the sender chose (school ids, roles, class ids) for the record; who
    actually received it is fixed at sending, one `Recipient` row each.
    """

    __tablename__ = "dispatch_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    urgency: Mapped[Urgency] = mapped_column(storable_enum(Urgency))
    reply_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_deadline: Mapped[date | None] = mapped_column(Date)
    audience: Mapped[Audience] = mapped_column(storable_enum(Audience))
    addressed: Mapped[dict[str, Any]] = mapped_column(JSON)
    attachment_name: Mapped[str] = mapped_column(String(64), unique=True)
    attachment_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Recipient(db.Model):
    """One person a document reached, and what they did: opened, confirmed, replied.

    Unique per document and person, so a confirmation or a reply is recorded once. `reminded_at`
    is the last reminder; the scheduled job reminds only rows without one.
    """

    __tablename__ = "dispatch_recipients"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("dispatch_documents.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    delivered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_attachment_name: Mapped[str | None] = mapped_column(String(64), unique=True)

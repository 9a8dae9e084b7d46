"""How notifications leave the building: push subscriptions, the delivery outbox, preferences."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory.models import User
from contactbook.core.platform.module_contract import Urgency
from contactbook.core.platform.records import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class Notification(db.Model):
    """One recipient's inbox entry for an event; what it says is rendered when it is read.

    Rows are never deleted: a replaced one is hidden from the inbox instead, so an id always
    means one message (SQLite would hand a deleted row's id to the next one, and the service
    worker shows an id only once).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), index=True)
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.NORMAL)
    # Events with one topic replace each other: a changed grade replaces "new grade".
    # Topics are namespaced by the module that tells, like every other key.
    topic: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when a newer notification on the same topic took its place while it was unread.
    replaced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands; SENDING is a worker's claim, taken over once its lease runs out."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    DEAD = "dead"


class PushSubscription(db.Model):
    """One browser on one device that agreed to receive Web Push for a user."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(backref="push_subscriptions")


class Delivery(db.Model):
    """One try-until-done send of a notification over one channel (to one device for push)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        storable_enum(DeliveryStatus), default=DeliveryStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    notification: Mapped[Notification] = relationship()
    subscription: Mapped[PushSubscription | None] = relationship()


class NotificationPreference(db.Model):
    """A guardian's choice for one event type: now, only in the daily summary, or off."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))

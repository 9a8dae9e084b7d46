"""notify(): store what happened for each recipient, and what must be sent; never send here.

Inbox rows and outbox (delivery) rows join the caller's transaction, so an event exists, and
will be delivered, exactly when the write that caused it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select

from contactbook.core.delivery_models import Delivery, NotificationPreference, PushSubscription
from contactbook.core.models import Notification, Student, User, utcnow
from contactbook.core.modules import NotificationType, registry
from contactbook.extensions import db

NOW, SUMMARY, OFF = "now", "summary", "off"
MODES = (NOW, SUMMARY, OFF)
URGENT = "high"


def notify(
    recipients: Iterable[User],
    event: str,
    *,
    student_id: int | None = None,
    urgency: str | None = None,
    topic: str | None = None,
    **data: Any,
) -> list[Notification]:
    """Add one inbox row per distinct recipient, and the deliveries their choices call for."""
    declared = registry().notification_types.get(event)
    if declared is None:
        raise KeyError(f"Notification type {event!r} is not declared by any loaded module.")
    urgency = urgency or declared.urgency
    timezone = _timezone_of(student_id)
    rows = []
    for user in {user.id: user for user in recipients}.values():
        if topic:
            _replace_unread(user, topic)
        row = Notification(
            user_id=user.id,
            event=event,
            student_id=student_id,
            urgency=urgency,
            topic=topic,
            data=data,
        )
        db.session.add(row)
        rows.append(row)
        if urgency == URGENT or mode_for(user, declared) == NOW:
            _plan_deliveries(user, row, send_at=_send_time(user, urgency, timezone))
    return rows


def mode_for(user: User, declared: NotificationType) -> str:
    chosen = db.session.scalar(
        select(NotificationPreference.mode).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.event == declared.key,
        )
    )
    return chosen or NOW


def _replace_unread(user: User, topic: str) -> None:
    """Drop the user's unread notification on the same topic, and whatever was still to send."""
    stale = select(Notification.id).where(
        Notification.user_id == user.id,
        Notification.topic == topic,
        Notification.read_at.is_(None),
    )
    stale_ids = list(db.session.scalars(stale))
    if stale_ids:
        db.session.execute(delete(Delivery).where(Delivery.notification_id.in_(stale_ids)))
        db.session.execute(delete(Notification).where(Notification.id.in_(stale_ids)))


def _plan_deliveries(user: User, row: Notification, send_at: datetime) -> None:
    """Push to every device the user has; without one, email; SMS only when switched on."""
    devices = db.session.scalars(
        select(PushSubscription).where(PushSubscription.user_id == user.id)
    ).all()
    if devices:
        for device in devices:
            db.session.add(
                Delivery(
                    notification=row,
                    channel="webpush",
                    subscription=device,
                    next_attempt_at=send_at,
                )
            )
    elif user.email:
        db.session.add(Delivery(notification=row, channel="email", next_attempt_at=send_at))
    elif user.phone and current_app.config["CONTACTBOOK_SMS_GATEWAY_URL"]:
        db.session.add(Delivery(notification=row, channel="sms", next_attempt_at=send_at))


def _timezone_of(student_id: int | None) -> ZoneInfo:
    student = db.session.get(Student, student_id) if student_id else None
    name = student.school.timezone if student else current_app.config["CONTACTBOOK_TIMEZONE"]
    return ZoneInfo(name)


def _send_time(
    user: User, urgency: str, timezone: ZoneInfo, now: datetime | None = None
) -> datetime:
    """Now, or for non-urgent news inside the user's quiet hours, the moment they end."""
    now = now or utcnow()
    if urgency == URGENT:
        return now
    return end_of_quiet_hours(user, now.astimezone(timezone)) or now


def end_of_quiet_hours(user: User, local_now: datetime) -> datetime | None:
    """When the quiet hours around local_now end, or None when it is not quiet now."""
    start, end, clock = user.quiet_start, user.quiet_end, local_now.timetz().replace(tzinfo=None)
    if start == end:
        return None
    spans_midnight = start > end
    is_quiet = (clock >= start or clock < end) if spans_midnight else (start <= clock < end)
    if not is_quiet:
        return None
    day = (
        local_now.date() + timedelta(days=1)
        if spans_midnight and clock >= start
        else local_now.date()
    )
    return datetime.combine(day, end, tzinfo=local_now.tzinfo)

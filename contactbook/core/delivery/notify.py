"""notify(): store what happened for each recipient, and what must be sent; never send here.

Inbox rows and outbox (delivery) rows join the caller's transaction, so an event exists, and
will be delivered, exactly when the write that caused it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, insert, select, update

from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from contactbook.core.directory.models import Student, User
from contactbook.core.platform.module_contract import Urgency, registry
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db

NOW, SUMMARY, OFF = "now", "summary", "off"
MODES = (NOW, SUMMARY, OFF)


def notify(
    recipients: Iterable[User],
    event: str,
    *,
    student_id: int | None = None,
    urgency: Urgency | None = None,
    topic: str | None = None,
    email_only: bool = False,
    not_before: datetime | None = None,
    **data: Any,
) -> list[int]:
    """Tell each distinct recipient the same news; return the new inbox row ids."""
    users = list({user.id: user for user in recipients}.values())
    return notify_each(
        event,
        [(user, data) for user in users],
        student_id=student_id,
        urgency=urgency,
        topic=topic,
        email_only=email_only,
        not_before=not_before,
    )


def notify_each(
    event: str,
    items: Sequence[tuple[User, dict[str, Any]]],
    *,
    student_id: int | None = None,
    urgency: Urgency | None = None,
    topic: str | None = None,
    email_only: bool = False,
    not_before: datetime | None = None,
) -> list[int]:
    """Tell each user their own news (daily summaries), in a few set-based statements.

    Inbox rows, then the deliveries each user's choices and devices call for: push to every
    device; without one, email; SMS only when switched on. Urgent news ignores choices and
    quiet hours. `email_only` sends by email alone, to those with an address: a password reset
    link goes to the address the user gave, whatever devices they have. `not_before` holds the
    sending (not the inbox row) until then: a teacher's office hours, for instance.
    """
    declared = registry().notification_types.get(event)
    if declared is None:
        raise KeyError(f"Notification type {event!r} is not declared by any loaded module.")
    if topic is not None and not topic.startswith(namespace_of(event)):
        raise ValueError(
            f"Topic {topic!r} must start with {namespace_of(event)!r}, as {event} does."
        )
    if not items:
        return []
    urgency = Urgency(urgency or declared.urgency)
    timezone = _timezone_of(student_id)
    user_ids = [user.id for user, _data in items]
    if topic:
        _replace_unread(user_ids, topic)
    ids = list(
        db.session.scalars(
            insert(Notification).returning(Notification.id, sort_by_parameter_order=True),
            [
                {
                    "user_id": user.id,
                    "event": event,
                    "student_id": student_id,
                    "urgency": urgency,
                    "topic": topic,
                    "data": data,
                    "created_at": utcnow(),
                }
                for user, data in items
            ],
        )
    )
    chosen, devices = _choices_and_devices(user_ids, event)
    sms_on = bool(current_app.config["CONTACTBOOK_SMS_GATEWAY_URL"])
    deliveries = []
    for notification_id, (user, _data) in zip(ids, items, strict=True):
        if urgency is not Urgency.HIGH and chosen.get(user.id, NOW) != NOW:
            continue
        send_at = _send_time(user, urgency, timezone)
        if not_before is not None:
            send_at = max(send_at, not_before)
        base = {"notification_id": notification_id, "next_attempt_at": send_at}
        if email_only:
            deliveries += [base | {"channel": "email"}] if user.email else []
        elif devices.get(user.id):
            deliveries += [
                base | {"channel": "webpush", "subscription_id": device_id}
                for device_id in devices[user.id]
            ]
        elif user.email:
            deliveries.append(base | {"channel": "email"})
        elif user.phone and sms_on:
            deliveries.append(base | {"channel": "sms"})
    if deliveries:
        db.session.execute(insert(Delivery), deliveries)
    return ids


def namespace_of(event: str) -> str:
    """The module prefix every topic of this event starts with, e.g. "classbook."."""
    return f"{event.partition('.')[0]}."


def _choices_and_devices(
    user_ids: list[int], event: str
) -> tuple[dict[int, str], dict[int, list[int]]]:
    """Each user's mode for the event (if they chose one) and push devices, in one statement."""
    chosen: dict[int, str] = {}
    devices: dict[int, list[int]] = {}
    for user_id, mode, device_id in db.session.execute(
        select(User.id, NotificationPreference.mode, PushSubscription.id)
        .outerjoin(
            NotificationPreference,
            and_(NotificationPreference.user_id == User.id, NotificationPreference.event == event),
        )
        .outerjoin(PushSubscription, PushSubscription.user_id == User.id)
        .where(User.id.in_(user_ids))
        .order_by(PushSubscription.id)
    ):
        if mode is not None:
            chosen[user_id] = mode
        if device_id is not None:
            devices.setdefault(user_id, []).append(device_id)
    return chosen, devices


def withdraw(topic: str) -> None:
    """Take back the news on a topic, read or not: the inbox hides it and what no worker has
    claimed is not sent. Nothing new is sent, so a family is not told twice about a retraction.
    """
    _hide(Notification.topic == topic)


def _replace_unread(user_ids: list[int], topic: str) -> None:
    """Hide unread notifications on the same topic and drop what no worker has claimed of them.

    The rows stay, so their ids are never reused. A send a worker has already claimed is left
    to finish and be recorded; the worker will not try it again (see worker.prepare).
    """
    _hide(
        Notification.user_id.in_(user_ids),
        Notification.topic == topic,
        Notification.read_at.is_(None),
    )


def _hide(*conditions: ColumnElement[bool]) -> None:
    stale_ids = list(
        db.session.scalars(
            update(Notification)
            .where(*conditions, Notification.replaced_at.is_(None))
            .values(replaced_at=utcnow())
            .returning(Notification.id)
        )
    )
    if stale_ids:
        db.session.execute(
            delete(Delivery).where(
                Delivery.notification_id.in_(stale_ids),
                Delivery.status == DeliveryStatus.PENDING,
            )
        )


def _timezone_of(student_id: int | None) -> ZoneInfo:
    student = db.session.get(Student, student_id) if student_id else None
    name = student.school.timezone if student else current_app.config["CONTACTBOOK_TIMEZONE"]
    return ZoneInfo(name)


def _send_time(user: User, urgency: Urgency, timezone: ZoneInfo) -> datetime:
    """Now, or for non-urgent news inside the user's quiet hours, the moment they end."""
    now = utcnow()
    if urgency is Urgency.HIGH:
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

"""notify(): store what happened for each recipient, and what must be sent; never send here.

Inbox rows and outbox (delivery) rows join the caller's transaction, so an event exists, and
will be delivered, exactly when the write that caused it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, insert, select, tuple_, update

from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from contactbook.core.directory.models import Guardianship, Student, User
from contactbook.core.platform.module_contract import NotificationType, Urgency, registry
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
    declared = _declared(event)
    _check_topic(event, topic)
    if not items:
        return []
    urgency = Urgency(urgency or declared.urgency)
    timezone = _timezone_of(student_id)
    return _store(
        event,
        [_News(user, data, student_id, topic, urgency, timezone) for user, data in items],
        email_only=email_only,
        not_before=not_before,
    )


@dataclass(frozen=True)
class FamilyNews:
    """One pupil's news for everyone who hears about them, with its own topic and urgency
    (the event's declared urgency when None)."""

    student: Student
    data: dict[str, Any]
    topic: str | None = None
    urgency: Urgency | None = None


def notify_families(event: str, news: Sequence[FamilyNews]) -> list[int]:
    """Tell each pupil's guardians that pupil's news: a whole class's save in a few statements.

    A class-wide save (roll call, a grade column) has news for many pupils at once; looking up
    each pupil's guardians and storing their rows one pupil at a time would cost a few
    statements per pupil while the save holds the write lock. Here the guardians of all the
    pupils come in one query, and the rows go in as notify_each's do.
    """
    declared = _declared(event)
    if not news:
        return []
    guardians = _guardians_of([item.student.id for item in news])
    return _store(
        event,
        [
            _News(
                user,
                item.data,
                item.student.id,
                item.topic,
                Urgency(item.urgency or declared.urgency),
                ZoneInfo(item.student.school.timezone),
            )
            for item in news
            for user in guardians.get(item.student.id, [])
        ],
    )


@dataclass(frozen=True)
class _News:
    """One inbox row to store, and what decides when and how it is sent."""

    user: User
    data: dict[str, Any]
    student_id: int | None
    topic: str | None
    urgency: Urgency
    timezone: ZoneInfo


def _declared(event: str) -> NotificationType:
    declared = registry().notification_types.get(event)
    if declared is None:
        raise KeyError(f"Notification type {event!r} is not declared by any loaded module.")
    return declared


def _store(
    event: str,
    news: Sequence[_News],
    *,
    email_only: bool = False,
    not_before: datetime | None = None,
) -> list[int]:
    """Inbox rows and their deliveries for every item, in a few statements whatever their number."""
    for topic in {item.topic for item in news}:
        _check_topic(event, topic)
    if not news:
        return []
    replaced = {(item.user.id, item.topic) for item in news if item.topic is not None}
    if replaced:
        # A topic replaces the recipient's unread news on it: the rows stay, so their ids are
        # never reused; a send a worker has already claimed is left to finish and be recorded
        # (the worker will not try it again, see worker.prepare).
        _hide(
            tuple_(Notification.user_id, Notification.topic).in_(sorted(replaced)),
            Notification.read_at.is_(None),
        )
    ids = _insert_inbox_rows(event, news)
    chosen, devices = _choices_and_devices(list({item.user.id for item in news}), event)
    sms_on = bool(current_app.config["CONTACTBOOK_SMS_GATEWAY_URL"])
    deliveries = []
    for notification_id, item in zip(ids, news, strict=True):
        user = item.user
        if item.urgency is not Urgency.HIGH and chosen.get(user.id, NOW) != NOW:
            continue
        send_at = _send_time(user, item.urgency, item.timezone)
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


def _insert_inbox_rows(event: str, news: Sequence[_News]) -> list[int]:
    """Insert the inbox rows in one statement; return their ids in the order of `news`.

    SQLite cannot promise RETURNING rows in the order of a multi-row insert, and SQLAlchemy
    then inserts one row at a time; so the rows come back in any order, each with what tells
    it apart. Rows alike in user, pupil, topic and urgency are delivered alike, so which of
    them gets which id does not matter.
    """
    returned = db.session.execute(
        insert(Notification).returning(
            Notification.id,
            Notification.user_id,
            Notification.student_id,
            Notification.topic,
            Notification.urgency,
        ),
        [
            {
                "user_id": item.user.id,
                "event": event,
                "student_id": item.student_id,
                "urgency": item.urgency,
                "topic": item.topic,
                "data": item.data,
                "created_at": utcnow(),
            }
            for item in news
        ],
    )
    ids_by_key: dict[tuple, list[int]] = {}
    for notification_id, *key in returned:
        ids_by_key.setdefault(tuple(key), []).append(notification_id)
    return [
        ids_by_key[(item.user.id, item.student_id, item.topic, item.urgency)].pop() for item in news
    ]


def _check_topic(event: str, topic: str | None) -> None:
    if topic is not None and not topic.startswith(namespace_of(event)):
        raise ValueError(
            f"Topic {topic!r} must start with {namespace_of(event)!r}, as {event} does."
        )


def _guardians_of(student_ids: list[int]) -> dict[int, list[User]]:
    """Each pupil's guardians, for many pupils in one statement."""
    found: dict[int, list[User]] = {}
    for student_id, user in db.session.execute(
        select(Guardianship.student_id, User)
        .join(User, User.id == Guardianship.user_id)
        .where(Guardianship.student_id.in_(student_ids))
        .order_by(Guardianship.id)
    ):
        found.setdefault(student_id, []).append(user)
    return found


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

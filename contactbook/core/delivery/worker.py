"""Drains the delivery outbox: claims due rows, sends each over its channel, records the result.

Several workers may run at once on PostgreSQL: claims use FOR UPDATE SKIP LOCKED, so a row goes
to one worker. On SQLite run one worker (writes are serialised there anyway). A claimed row
whose worker died is claimed again after LEASE (5 minutes); the push payload carries the
notification id so the service worker shows a message sent twice only once.
"""

from __future__ import annotations

import logging
import random
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Row, bindparam, delete, or_, select, update

from contactbook.core.delivery.channels import Envelope, Outcome, SendResult
from contactbook.core.delivery.channels.webpush import signer
from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    PushSubscription,
)
from contactbook.core.delivery.sending import sender
from contactbook.core.directory.models import User
from contactbook.core.platform import health
from contactbook.core.platform.module_contract import Urgency, registry
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db

log = logging.getLogger(__name__)

BATCH = 200
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = 30.0
LONGEST_RETRY = 3600.0
REPLACED = "not sent: a newer notification replaced it"


def claim(batch: int = BATCH, now: datetime | None = None) -> list[int]:
    """Mark up to `batch` due deliveries as ours, in a transaction of their own."""
    now = now or utcnow()
    due = (
        select(Delivery.id)
        .where(
            or_(
                (Delivery.status == DeliveryStatus.PENDING) & (Delivery.next_attempt_at <= now),
                (Delivery.status == DeliveryStatus.SENDING) & (Delivery.claimed_at < now - LEASE),
            )
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(batch)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    rows = db.session.execute(due.add_columns(Delivery.status)).all()
    ids = [row.id for row in rows]
    reclaimed = [row.id for row in rows if row.status == DeliveryStatus.SENDING]
    if reclaimed:
        log.warning(
            "reclaimed %d deliveries whose worker stopped before recording them (lease %s)",
            len(reclaimed),
            LEASE,
            extra={"delivery_ids": reclaimed},
        )
    if ids:
        db.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(status=DeliveryStatus.SENDING, claimed_at=now)
        )
    db.session.commit()
    return ids


@dataclass(frozen=True)
class Parcel:
    """A claimed delivery as plain values, so it can be recorded after its session moved on."""

    delivery_id: int
    channel: str
    attempt: int
    subscription_id: int | None
    next_attempt_at: datetime
    envelope: Envelope | None = None
    decided: SendResult | None = None  # known without sending (no renderer, device removed)


# One row per claimed delivery with all its send needs: plain rows cost far less than entities.
_PARCEL_ROWS = (
    select(
        Delivery.id,
        Delivery.channel,
        Delivery.attempts,
        Delivery.subscription_id,
        Delivery.next_attempt_at,
        Notification.id.label("notification_id"),
        Notification.event,
        Notification.data,
        Notification.student_id,
        Notification.urgency,
        Notification.topic,
        Notification.replaced_at,
        User.language,
        User.email,
        User.phone,
        PushSubscription.endpoint,
        PushSubscription.p256dh,
        PushSubscription.auth,
    )
    .join(Notification, Delivery.notification_id == Notification.id)
    .join(User, Notification.user_id == User.id)
    .outerjoin(PushSubscription, Delivery.subscription_id == PushSubscription.id)
)


def _envelope(row: Row) -> Envelope | SendResult:
    """Word the message in the reader's language and gather what its channel needs."""
    if row.replaced_at is not None:
        return SendResult(Outcome.FAILED, REPLACED)
    declared = registry().notification_types.get(row.event)
    if declared is None or declared.render is None:
        return SendResult(Outcome.FAILED, f"no renderer for {row.event}")
    if row.channel == "webpush" and row.endpoint is None:
        return SendResult(Outcome.GONE, "subscription was removed")
    with force_locale(row.language):
        message = declared.render(row.data | {"student_id": row.student_id})
        title, body, url = str(message.title), str(message.body), message.url
    return Envelope(
        notification_id=row.notification_id,
        urgency=Urgency(row.urgency),
        ttl=declared.ttl_seconds,
        topic=row.topic,
        title=title,
        body=body,
        url=url,
        endpoint=row.endpoint or "",
        p256dh=row.p256dh or "",
        auth=row.auth or "",
        authorization=signer().authorization(row.endpoint) if row.endpoint else "",
        email=row.email,
        phone=row.phone,
    )


def prepare(ids: list[int]) -> list[Parcel]:
    """Load claimed deliveries and word each message; a row that cannot be worded, or whose
    notification was replaced since, is decided without sending.

    Ends its transaction: nothing is held (on SQLite, no write lock) while the batch is on the
    wire, so teachers' writes meanwhile go through.
    """
    if not ids:
        return []
    rows = db.session.execute(_PARCEL_ROWS.where(Delivery.id.in_(ids))).all()
    parcels = []
    # One request context for the batch: renderers build links with url_for.
    with current_app.test_request_context(base_url=current_app.config["CONTACTBOOK_BASE_URL"]):
        for row in rows:
            try:
                prepared = _envelope(row)
            except Exception as error:  # noqa: BLE001 - a bad row is recorded, not fatal
                log.exception("could not prepare delivery %s", row.id)
                prepared = SendResult(Outcome.RETRY, f"unexpected: {type(error).__name__}: {error}")
            parcels.append(
                Parcel(
                    delivery_id=row.id,
                    channel=row.channel,
                    attempt=row.attempts + 1,
                    subscription_id=row.subscription_id,
                    next_attempt_at=row.next_attempt_at,
                    envelope=prepared if isinstance(prepared, Envelope) else None,
                    decided=prepared if isinstance(prepared, SendResult) else None,
                )
            )
    db.session.commit()
    return parcels


@dataclass
class Flight:
    """A batch on the wire: its parcels and the sender loop's future results."""

    parcels: list[Parcel]
    sending: Future[list[SendResult]]

    def results(self) -> list[SendResult]:
        """Wait for the sends; decided parcels keep their own result."""
        sent = iter(self.sending.result())
        return [parcel.decided or next(sent) for parcel in self.parcels]


def launch(parcels: list[Parcel]) -> Flight:
    """Hand the batch to the sender loop and return at once."""
    outgoing = [(p.channel, p.envelope) for p in parcels if p.envelope is not None]
    return Flight(parcels, sender().submit(outgoing, current_app.config))


def record(flight: Flight, now: datetime | None = None) -> None:
    """Write every result of a batch in one transaction, by primary key.

    A row deleted while its batch was on the wire is simply not there to update: the others
    are recorded all the same.
    """
    now = now or utcnow()
    rows, delivered_to, gone = [], set(), set()
    for parcel, result in zip(flight.parcels, flight.results(), strict=True):
        status, next_attempt_at, sent_at = DeliveryStatus.DEAD, parcel.next_attempt_at, None
        if result.outcome is Outcome.DELIVERED:
            status, sent_at = DeliveryStatus.DELIVERED, now
            delivered_to.add(parcel.subscription_id)
        elif result.outcome is Outcome.GONE:
            gone.add(parcel.subscription_id)
        elif result.outcome is Outcome.RETRY and parcel.attempt < MAX_ATTEMPTS:
            status = DeliveryStatus.PENDING
            next_attempt_at = now + timedelta(seconds=retry_delay(parcel.attempt, result))
        rows.append(
            {
                "delivery_id": parcel.delivery_id,
                "status": status,
                "attempts": parcel.attempt,
                "claimed_at": None,
                "next_attempt_at": next_attempt_at,
                "sent_at": sent_at,
                "last_error": result.detail[:500],
            }
        )
    _log_results(flight, rows)
    deliveries = Delivery.__table__
    db.session.connection().execute(
        update(deliveries).where(deliveries.c.id == bindparam("delivery_id")), rows
    )
    delivered_to.discard(None)
    gone.discard(None)
    if delivered_to:
        db.session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(delivered_to))
            .values(last_success_at=now)
        )
    if gone:
        # Their other deliveries lose the device too (ON DELETE SET NULL).
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    db.session.commit()


def _log_results(flight: Flight, rows: list[dict]) -> None:
    """One line per batch with its counts, and one per delivery that did not go through."""
    counts = {status: 0 for status in DeliveryStatus}
    timeouts = 0
    for parcel, row in zip(flight.parcels, rows, strict=True):
        counts[row["status"]] += 1
        if row["status"] is DeliveryStatus.DELIVERED:
            continue
        timed_out = "Timeout" in row["last_error"]
        timeouts += timed_out
        will = "retry at" if row["status"] is DeliveryStatus.PENDING else "gave up"
        log.warning(
            "delivery %s over %s, attempt %d: %s (%s %s)",
            parcel.delivery_id,
            parcel.channel,
            parcel.attempt,
            row["last_error"] or "failed",
            will,
            row["next_attempt_at"].isoformat() if will == "retry at" else row["status"].value,
            extra={
                "delivery_id": parcel.delivery_id,
                "channel": parcel.channel,
                "attempt": parcel.attempt,
                "outcome": row["status"].value,
                "timed_out": timed_out,
            },
        )
    log.info(
        "sent a batch of %d: %d delivered, %d to retry (%d timed out), %d given up",
        len(rows),
        counts[DeliveryStatus.DELIVERED],
        counts[DeliveryStatus.PENDING],
        timeouts,
        counts[DeliveryStatus.DEAD],
        extra={
            "batch": len(rows),
            "delivered": counts[DeliveryStatus.DELIVERED],
            "retry": counts[DeliveryStatus.PENDING],
            "timed_out": timeouts,
            "dead": counts[DeliveryStatus.DEAD],
        },
    )


def retry_delay(attempts: int, result: SendResult, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter, never sooner than the service's Retry-After."""
    rng = rng or random
    backoff = min(LONGEST_RETRY, FIRST_RETRY * 2 ** (attempts - 1))
    jittered = backoff * rng.uniform(0.8, 1.2)
    return max(jittered, result.retry_after or 0.0)


def run_once(batch: int = BATCH, now: datetime | None = None) -> int:
    """Deliver one batch that is due (at `now`, for tests with a clock of their own)."""
    parcels = prepare(claim(batch, now))
    if parcels:
        record(launch(parcels), now)
    return len(parcels)


def drain(batch: int = BATCH, stop: threading.Event | None = None) -> int:
    """Deliver everything due. While one batch is on the wire, the worker records the one
    before and claims the next, so the database and the network wait side by side."""
    total, unrecorded = 0, None
    try:
        while not (stop and stop.is_set()):
            # Between batches, so a long backlog still shows /readyz a live worker.
            health.beat(health.WORKER)
            if not (parcels := prepare(claim(batch))):
                break
            previous, unrecorded = unrecorded, launch(parcels)
            total += len(parcels)
            if previous is not None:
                record(previous)
    except BaseException:
        db.session.rollback()
        raise
    finally:
        # The newest batch is recorded even when recording the one before it failed.
        if unrecorded is not None:
            record(unrecorded)
    return total

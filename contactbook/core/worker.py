"""Drains the delivery outbox: claims due rows, sends each over its channel, records the result.

Several workers may run at once on PostgreSQL: claims use FOR UPDATE SKIP LOCKED, so a row goes
to one worker. On SQLite run one worker (writes are serialised there anyway). A claimed row
whose worker died is claimed again after LEASE; the push payload carries the notification id so
the service worker shows a message sent twice only once.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from contactbook.core.channels import Envelope, Outcome, SendResult, channels
from contactbook.core.channels.webpush import signer
from contactbook.core.delivery_models import Delivery, DeliveryStatus
from contactbook.core.models import Notification, utcnow
from contactbook.core.modules import registry
from contactbook.extensions import db

log = logging.getLogger(__name__)

BATCH = 200
# Sending is waiting on the network: threads overlap the waits (and OpenSSL drops the GIL).
SENDERS = 16
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = 30.0
LONGEST_RETRY = 3600.0
IDLE_SLEEP = 2.0

cli = AppGroup("notify", help="Deliver notifications.")


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
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(status=DeliveryStatus.SENDING, claimed_at=now)
        )
    db.session.commit()
    return ids


def _envelope(delivery: Delivery) -> Envelope | SendResult:
    """Word the message in the reader's language and gather what its channel needs."""
    notification = delivery.notification
    declared = registry().notification_types.get(notification.event)
    if declared is None or declared.render is None:
        return SendResult(Outcome.FAILED, f"no renderer for {notification.event}")
    if delivery.channel == "webpush" and delivery.subscription is None:
        return SendResult(Outcome.GONE, "subscription was removed")
    with force_locale(notification.user.language):
        message = declared.render(notification.data | {"student_id": notification.student_id})
        title, body, url = str(message.title), str(message.body), message.url
    device = delivery.subscription
    return Envelope(
        notification_id=notification.id,
        urgency=notification.urgency,
        ttl=declared.ttl_seconds,
        topic=notification.topic,
        title=title,
        body=body,
        url=url,
        endpoint=device.endpoint if device else "",
        p256dh=device.p256dh if device else "",
        auth=device.auth if device else "",
        authorization=signer().authorization(device.endpoint) if device else "",
        email=notification.user.email,
        phone=notification.user.phone,
    )


def _send(channel: str, envelope: Envelope, config: dict) -> SendResult:
    """Runs in a sender thread: no database here, and no exception escapes."""
    try:
        return channels()[channel](envelope, config)
    except Exception as error:  # noqa: BLE001 - one bad delivery must not stop the others
        log.exception("delivery of notification %s failed", envelope.notification_id)
        return SendResult(Outcome.RETRY, f"unexpected: {type(error).__name__}: {error}")


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _senders() -> ThreadPoolExecutor:
    """One long-lived pool per process, so each sender thread keeps its HTTP connections."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="sender")
        return _pool


def deliver(ids: list[int], now: datetime | None = None) -> None:
    """Send claimed deliveries side by side, then record every result in one transaction."""
    rows = db.session.scalars(
        select(Delivery)
        .where(Delivery.id.in_(ids))
        .options(
            selectinload(Delivery.notification).selectinload(Notification.user),
            selectinload(Delivery.subscription),
        )
    ).all()
    results: dict[int, SendResult] = {}
    outgoing = []
    # One request context for the batch: renderers build links with url_for.
    with current_app.test_request_context(base_url=current_app.config["CONTACTBOOK_BASE_URL"]):
        for row in rows:
            try:
                prepared = _envelope(row)
            except Exception as error:  # noqa: BLE001 - a bad row is recorded, not fatal
                log.exception("could not prepare delivery %s", row.id)
                prepared = SendResult(Outcome.RETRY, f"unexpected: {type(error).__name__}: {error}")
            if isinstance(prepared, SendResult):
                results[row.id] = prepared
            else:
                outgoing.append((row, prepared))
    config = dict(current_app.config)
    pool = _senders()
    futures = {row.id: pool.submit(_send, row.channel, env, config) for row, env in outgoing}
    results |= {row_id: future.result() for row_id, future in futures.items()}
    for row in rows:
        _record(row, results[row.id], now)
    db.session.commit()


def _record(delivery: Delivery, result: SendResult, now: datetime | None = None) -> None:
    now = now or utcnow()
    delivery.attempts += 1
    delivery.claimed_at = None
    delivery.last_error = result.detail[:500]
    if result.outcome is Outcome.DELIVERED:
        delivery.status, delivery.sent_at = DeliveryStatus.DELIVERED, now
        if delivery.subscription is not None:
            delivery.subscription.last_success_at = now
    elif result.outcome is Outcome.GONE:
        delivery.status = DeliveryStatus.DEAD
        if delivery.subscription is not None:
            db.session.delete(delivery.subscription)
            delivery.subscription = None
    elif result.outcome is Outcome.RETRY and delivery.attempts < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=retry_delay(delivery.attempts, result))
    else:
        delivery.status = DeliveryStatus.DEAD


def retry_delay(attempts: int, result: SendResult, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter, never sooner than the service's Retry-After."""
    rng = rng or random
    backoff = min(LONGEST_RETRY, FIRST_RETRY * 2 ** (attempts - 1))
    jittered = backoff * rng.uniform(0.8, 1.2)
    return max(jittered, result.retry_after or 0.0)


def run_once(batch: int = BATCH, now: datetime | None = None) -> int:
    """Deliver what is due (at `now`, for tests with a clock of their own); return how many."""
    ids = claim(batch, now)
    if ids:
        deliver(ids, now)
    return len(ids)


def run_forever(app: Flask, stop: threading.Event) -> None:
    """Loop until stopped, sleeping when there is nothing due."""
    while not stop.is_set():
        with app.app_context():
            try:
                done = run_once()
            except Exception:  # noqa: BLE001 - keep the worker alive through database hiccups
                log.exception("notify worker pass failed")
                db.session.rollback()
                done = 0
            finally:
                db.session.remove()
        if not done:
            stop.wait(IDLE_SLEEP)


def start_in_thread(app: Flask) -> threading.Event:
    """Run the worker beside a development server; returns the event that stops it.

    Under the debug reloader only the serving child starts one, not the watching parent.
    """
    stop = threading.Event()
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return stop
    threading.Thread(target=run_forever, args=(app, stop), daemon=True, name="notify").start()
    return stop


@cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
def worker_command(once: bool) -> None:
    """Deliver notifications until stopped (or once)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        click.echo(f"{run_once()} deliveries attempted")
        return
    stop = threading.Event()
    try:
        run_forever(app, stop)
    except KeyboardInterrupt:
        stop.set()

"""Notification channels: one send() each, registered by name; the worker picks by name.

Every send() is a coroutine run on the sender loop (`delivery/sending.py`) with one of the
loop's aiohttp sessions (Web Push gets the guarded one), so hundreds of pushes wait on the
network side by side in one thread.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from contactbook.core.platform.module_contract import Urgency

CONNECT_TIMEOUT = 5.0


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # try again later: the service is busy or away
    GONE = "gone"  # the device unsubscribed: forget it
    FAILED = "failed"  # our request is wrong: retrying will not help


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    detail: str = ""
    retry_after: float | None = None


@dataclass(frozen=True)
class Envelope:
    """Everything one send needs, as plain values: channels run in worker threads, away from
    the database session, so they must not touch ORM objects."""

    notification_id: int
    urgency: Urgency
    ttl: int
    topic: str | None
    title: str
    body: str
    url: str
    endpoint: str = ""
    p256dh: str = ""
    auth: str = ""
    authorization: str = ""
    email: str | None = None
    phone: str | None = None


Send = Callable[[Envelope, Mapping[str, Any], aiohttp.ClientSession], Awaitable[SendResult]]


def channels() -> dict[str, Send]:
    """The registry, built on first use so a channel's imports load only when needed."""
    from contactbook.core.delivery.channels import email, sms, webpush

    return {"webpush": webpush.send, "email": email.send, "sms": sms.send}


def timeout(config: Mapping[str, Any]) -> aiohttp.ClientTimeout:
    """A silent service is given up on after this; the delivery is tried again later."""
    seconds = float(config["CONTACTBOOK_SEND_TIMEOUT_SECONDS"])
    return aiohttp.ClientTimeout(total=seconds, connect=min(CONNECT_TIMEOUT, seconds))


def result_for_status(status: int, retry_after: str | None = None) -> SendResult:
    """Read an HTTP answer the way push services and SMS gateways mean it."""
    if 200 <= status < 300:
        return SendResult(Outcome.DELIVERED)
    if status in (404, 410):
        return SendResult(Outcome.GONE, f"HTTP {status}: subscription no longer exists")
    if status == 429 or status >= 500:
        return SendResult(Outcome.RETRY, f"HTTP {status}", _seconds(retry_after))
    return SendResult(Outcome.FAILED, f"HTTP {status}: configuration or payload error")


def _seconds(retry_after: str | None) -> float | None:
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after)
    return None

"""Web Push (RFC 8030/8291/8292) through pywebpush, with VAPID, on the sender loop's session."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPusher

from contactbook.core.delivery.channels import (
    Envelope,
    Outcome,
    SendResult,
    result_for_status,
    timeout,
)
from contactbook.core.delivery.channels.guarded import Refused
from contactbook.core.delivery.vapid import private_key_pem
from contactbook.core.platform.records import utcnow

# RFC 8291 leaves 3,993 bytes of plaintext in one record; keep clear of it.
MAX_PAYLOAD = 3800
JWT_LIFETIME = 12 * 3600
JWT_RENEW_BEFORE = 300
TOPIC_CHARS = re.compile(r"[^A-Za-z0-9_-]")
MAX_TOPIC = 32


class VapidSigner:
    """Signs one JWT per push service and reuses it until shortly before it expires.

    Each signature gets a claims dict of its own: a shared mutable one would leak one
    audience's claims into another's token when threads interleave.
    """

    def __init__(self, private_key_pem: bytes, subject: str) -> None:
        self._vapid = Vapid02.from_pem(private_key_pem)
        self._subject = subject
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def authorization(self, endpoint: str, now: float | None = None) -> str:
        """The VAPID header for the push service of `endpoint`, signed anew only near expiry."""
        now = utcnow().timestamp() if now is None else now
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._cache.get(audience)
            if cached and cached[0] - JWT_RENEW_BEFORE > now:
                return cached[1]
            expires = now + JWT_LIFETIME
            claims = {"sub": self._subject, "aud": audience, "exp": int(expires)}
            header = self._vapid.sign(claims)["Authorization"]
            self._cache[audience] = (expires, header)
            return header


def signer() -> VapidSigner:
    """The app's signer, made once from its VAPID key."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("vapid_signer")
    if found is None:
        found = VapidSigner(private_key_pem(app), app.config["CONTACTBOOK_VAPID_SUBJECT"])
        app.extensions["vapid_signer"] = found
    return found


def topic_header(topic: str) -> str:
    """Web Push takes at most 32 base64url characters; a longer topic goes by its digest."""
    plain = TOPIC_CHARS.sub("", topic)
    if len(plain) <= MAX_TOPIC:
        return plain
    return base64.urlsafe_b64encode(hashlib.sha256(topic.encode()).digest()).decode()[:MAX_TOPIC]


def payload_for(envelope: Envelope) -> bytes:
    """Short JSON the service worker shows; the id lets it ignore a message sent twice."""
    body = envelope.body
    while True:
        data = {
            "id": envelope.notification_id,
            "title": envelope.title,
            "body": body,
            "url": envelope.url,
            "tag": envelope.topic or f"n{envelope.notification_id}",
        }
        encoded = json.dumps(data, ensure_ascii=False).encode()
        if len(encoded) <= MAX_PAYLOAD or not body:
            return encoded[:MAX_PAYLOAD]
        body = body[: len(body) // 2] + "…"


async def send(
    envelope: Envelope, config: Mapping[str, Any], http: aiohttp.ClientSession
) -> SendResult:
    """Push one message; `http` is the guarded session, which refuses unlisted services."""
    headers = {
        "Authorization": envelope.authorization,
        "Urgency": str(envelope.urgency),
    }
    if envelope.topic:
        headers["Topic"] = topic_header(envelope.topic)
    subscription = {
        "endpoint": envelope.endpoint,
        "keys": {"p256dh": envelope.p256dh, "auth": envelope.auth},
    }
    try:
        response = await WebPusher(subscription, aiohttp_session=http).send_async(
            data=payload_for(envelope),
            headers=headers,
            ttl=envelope.ttl,
            content_encoding="aes128gcm",
            timeout=timeout(config),
        )
    except Refused as error:
        return SendResult(Outcome.FAILED, f"configuration error: {error}")
    except (TimeoutError, aiohttp.ClientError) as error:
        return SendResult(Outcome.RETRY, f"network: {type(error).__name__}")
    return result_for_status(response.status, response.headers.get("Retry-After"))

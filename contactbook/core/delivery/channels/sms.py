"""SMS through an HTTP gateway: off unless CONTACTBOOK_SMS_GATEWAY_URL is set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import aiohttp

from contactbook.core.delivery.channels import (
    Envelope,
    Outcome,
    SendResult,
    result_for_status,
    timeout,
)

MAX_TEXT = 300


async def send(
    envelope: Envelope, config: Mapping[str, Any], http: aiohttp.ClientSession
) -> SendResult:
    """POST {"to": "+849...", "text": "..."} to the gateway; 2xx means it took the message."""
    gateway = config["CONTACTBOOK_SMS_GATEWAY_URL"]
    if not gateway:
        return SendResult(Outcome.FAILED, "SMS is off (CONTACTBOOK_SMS_GATEWAY_URL)")
    link = urljoin(config["CONTACTBOOK_BASE_URL"], envelope.url)
    text = f"{envelope.title} {link}"[:MAX_TEXT]
    try:
        async with http.post(
            gateway, json={"to": envelope.phone, "text": text}, timeout=timeout(config)
        ) as response:
            return result_for_status(response.status, response.headers.get("Retry-After"))
    except (TimeoutError, aiohttp.ClientError) as error:
        return SendResult(Outcome.RETRY, f"network: {type(error).__name__}")

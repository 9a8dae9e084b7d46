"""SMS through an HTTP gateway: off unless CONTACTBOOK_SMS_GATEWAY_URL is set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import requests

from contactbook.core.channels import Envelope, Outcome, SendResult, result_for_status

TIMEOUT = (5, 10)
MAX_TEXT = 300


def send(envelope: Envelope, config: Mapping[str, Any]) -> SendResult:
    """POST {"to": "+849...", "text": "..."} to the gateway; 2xx means it took the message."""
    gateway = config["CONTACTBOOK_SMS_GATEWAY_URL"]
    if not gateway:
        return SendResult(Outcome.FAILED, "SMS is off (CONTACTBOOK_SMS_GATEWAY_URL)")
    link = urljoin(config["CONTACTBOOK_BASE_URL"], envelope.url)
    text = f"{envelope.title} {link}"[:MAX_TEXT]
    try:
        response = requests.post(
            gateway, json={"to": envelope.phone, "text": text}, timeout=TIMEOUT
        )
    except requests.RequestException as error:
        return SendResult(Outcome.RETRY, f"network: {type(error).__name__}")
    return result_for_status(response.status_code, response.headers.get("Retry-After"))

"""SMS through an HTTP gateway: off unless CONTACTBOOK_SMS_GATEWAY_URL is set."""

from __future__ import annotations

from urllib.parse import urljoin

import requests
from flask import current_app

from contactbook.core.channels import Outcome, SendResult, result_for_status
from contactbook.core.delivery_models import Delivery
from contactbook.core.modules import RenderedNotification

TIMEOUT = (5, 10)
MAX_TEXT = 300


def send(delivery: Delivery, message: RenderedNotification) -> SendResult:
    """POST {"to": "+849...", "text": "..."} to the gateway; 2xx means it took the message."""
    config = current_app.config
    gateway = config["CONTACTBOOK_SMS_GATEWAY_URL"]
    if not gateway:
        return SendResult(Outcome.FAILED, "SMS is off (CONTACTBOOK_SMS_GATEWAY_URL)")
    link = urljoin(config["CONTACTBOOK_BASE_URL"], message.url)
    text = f"{message.title} {link}"[:MAX_TEXT]
    try:
        response = requests.post(
            gateway, json={"to": delivery.notification.user.phone, "text": text}, timeout=TIMEOUT
        )
    except requests.RequestException as error:
        return SendResult(Outcome.RETRY, f"network: {type(error).__name__}")
    return result_for_status(response.status_code, response.headers.get("Retry-After"))

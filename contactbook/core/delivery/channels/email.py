"""Email (SMTP) for guardians who have no device with push turned on."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any
from urllib.parse import urljoin

import aiohttp

from contactbook.core.delivery.channels import Envelope, Outcome, SendResult


async def send(
    envelope: Envelope, config: Mapping[str, Any], http: aiohttp.ClientSession
) -> SendResult:
    """smtplib blocks, so each email waits in a thread of the loop's pool."""
    return await asyncio.to_thread(_send_blocking, envelope, config)


def _send_blocking(envelope: Envelope, config: Mapping[str, Any]) -> SendResult:
    if not config["CONTACTBOOK_SMTP_HOST"]:
        return SendResult(Outcome.FAILED, "email is not configured (CONTACTBOOK_SMTP_HOST)")
    mail = EmailMessage()
    mail["From"] = config["CONTACTBOOK_MAIL_SENDER"]
    mail["To"] = envelope.email
    mail["Subject"] = envelope.title
    link = urljoin(config["CONTACTBOOK_BASE_URL"], envelope.url)
    mail.set_content(f"{envelope.body}\n\n{link}\n" if envelope.body else f"{link}\n")
    try:
        with smtplib.SMTP(
            config["CONTACTBOOK_SMTP_HOST"],
            int(config["CONTACTBOOK_SMTP_PORT"]),
            timeout=float(config["CONTACTBOOK_SEND_TIMEOUT_SECONDS"]),
        ) as server:
            if int(config["CONTACTBOOK_SMTP_STARTTLS"]):
                server.starttls()
            if config["CONTACTBOOK_SMTP_USERNAME"]:
                server.login(
                    config["CONTACTBOOK_SMTP_USERNAME"], config["CONTACTBOOK_SMTP_PASSWORD"]
                )
            server.send_message(mail)
    except smtplib.SMTPRecipientsRefused as error:
        return SendResult(Outcome.FAILED, f"recipient refused: {error.recipients}")
    except (smtplib.SMTPException, OSError) as error:
        return SendResult(Outcome.RETRY, f"smtp: {type(error).__name__}: {error}")
    return SendResult(Outcome.DELIVERED)

"""Email (SMTP) for guardians who have no device with push turned on."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import urljoin

from flask import current_app

from contactbook.core.channels import Outcome, SendResult
from contactbook.core.delivery_models import Delivery
from contactbook.core.modules import RenderedNotification

TIMEOUT = 15


def send(delivery: Delivery, message: RenderedNotification) -> SendResult:
    config = current_app.config
    if not config["CONTACTBOOK_SMTP_HOST"]:
        return SendResult(Outcome.FAILED, "email is not configured (CONTACTBOOK_SMTP_HOST)")
    user = delivery.notification.user
    mail = EmailMessage()
    mail["From"] = config["CONTACTBOOK_MAIL_SENDER"]
    mail["To"] = user.email
    mail["Subject"] = message.title
    link = urljoin(config["CONTACTBOOK_BASE_URL"], message.url)
    mail.set_content(f"{message.body}\n\n{link}\n" if message.body else f"{link}\n")
    try:
        with smtplib.SMTP(
            config["CONTACTBOOK_SMTP_HOST"], int(config["CONTACTBOOK_SMTP_PORT"]), timeout=TIMEOUT
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

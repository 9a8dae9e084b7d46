"""Dispatch events and how each reads in an inbox or on a lock screen, in the reader's language.

The lock screen shows the document's number and subject; its summary stays behind sign-in.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import NotificationType, RenderedNotification

SUBJECT_ON_LOCK_SCREEN = 80


def _url(data: dict[str, Any]) -> str:
    return url_for("dispatch.show", document_id=data["document_id"])


def _short(subject: str) -> str:
    if len(subject) <= SUBJECT_ON_LOCK_SCREEN:
        return subject
    return f"{subject[: SUBJECT_ON_LOCK_SCREEN - 1]}…"


def render_received(data: dict[str, Any]) -> RenderedNotification:
    """ "Công văn mới: Kế hoạch kiểm tra cuối kì", with its number and issuer."""
    return RenderedNotification(
        title=_("New official document: %(subject)s", subject=_short(data["subject"])),
        body=_(
            "No. %(number)s from %(issuer)s. Open it to confirm receipt.",
            number=data["number"],
            issuer=data["issuer"],
        ),
        url=_url(data),
    )


def render_reminder(data: dict[str, Any]) -> RenderedNotification:
    """To recipients who have not confirmed receipt yet."""
    return RenderedNotification(
        title=_("Please confirm receipt: %(subject)s", subject=_short(data["subject"])),
        body=_(
            "Official document No. %(number)s is waiting for your confirmation.",
            number=data["number"],
        ),
        url=_url(data),
    )


NOTIFICATIONS = (
    NotificationType(
        "dispatch.document_received",
        _l("Official documents"),
        ttl_seconds=86400 * 3,
        render=render_received,
    ),
    NotificationType(
        "dispatch.confirmation_reminder",
        _l("Reminders to confirm official documents"),
        render=render_reminder,
    ),
)

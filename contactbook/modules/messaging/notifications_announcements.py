"""Announcement events and how each reads in an inbox or on a lock screen.

The title is the sender's own words, kept short; the body stays behind sign-in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from contactbook.core.platform import NotificationType, RenderedNotification

TITLE_ON_LOCK_SCREEN = 80


def _url(data: dict[str, Any]) -> str:
    return url_for("messaging_announcements.show", announcement_id=data["announcement_id"])


def _short(title: str) -> str:
    return title if len(title) <= TITLE_ON_LOCK_SCREEN else f"{title[: TITLE_ON_LOCK_SCREEN - 1]}…"


def render_posted(data: dict[str, Any]) -> RenderedNotification:
    """ "Thông báo: Họp phụ huynh cuối kì" from the sender."""
    return RenderedNotification(
        title=_("Announcement: %(title)s", title=_short(data["title"])),
        body=_("From %(sender)s. Tap to read it.", sender=data["sender"]),
        url=_url(data),
    )


def render_reminder(data: dict[str, Any]) -> RenderedNotification:
    """The day before the deadline, to families who have not acknowledged yet."""
    return RenderedNotification(
        title=_("Please acknowledge: %(title)s", title=_short(data["title"])),
        body=_(
            "The school asks you to confirm by %(day)s.",
            day=date.fromisoformat(data["deadline"]).strftime("%d/%m/%Y"),
        ),
        url=_url(data),
    )


def render_summary_line(item: dict[str, Any]) -> str:
    """The daily summary's line about what the family has not read yet."""
    parts = []
    if item.get("announcements"):
        count = item["announcements"]
        parts.append(ngettext("%(num)d unread announcement", "%(num)d unread announcements", count))
    if item.get("messages"):
        count = item["messages"]
        parts.append(ngettext("%(num)d unread message", "%(num)d unread messages", count))
    return _("Messages from school: %(parts)s", parts=", ".join(parts))


NOTIFICATIONS = (
    NotificationType(
        "messaging.announcement_posted",
        _l("Announcements"),
        ttl_seconds=86400 * 3,
        render=render_posted,
    ),
    NotificationType(
        "messaging.acknowledgement_reminder",
        _l("Reminders to acknowledge announcements"),
        render=render_reminder,
    ),
)

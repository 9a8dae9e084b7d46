"""Leave request events and how each reads in an inbox or on a lock screen.

Words name the child and the dates only; the reason stays behind sign-in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import NotificationType, RenderedNotification


def _dates(data: dict[str, Any]) -> str:
    first, last = date.fromisoformat(data["starts_on"]), date.fromisoformat(data["ends_on"])
    if first == last:
        return first.strftime("%d/%m")
    return f"{first:%d/%m}–{last:%d/%m}"


def _url(data: dict[str, Any]) -> str:
    return url_for("messaging_leave.show", leave_id=data["leave_id"])


def render_requested(data: dict[str, Any]) -> RenderedNotification:
    """To the homeroom teacher: "Đơn xin nghỉ: Ngọc (6A), 17/11"."""
    return RenderedNotification(
        title=_(
            "Leave request: %(name)s (%(classroom)s), %(dates)s",
            name=data["student_name"].split()[-1],
            classroom=data["classroom"],
            dates=_dates(data),
        ),
        body=_("Tap to approve or decline it."),
        url=_url(data),
    )


def render_decided(data: dict[str, Any]) -> RenderedNotification:
    """To the family: the answer, with the teacher's comment behind the link."""
    words = {"name": data["student_name"].split()[-1], "dates": _dates(data)}
    return RenderedNotification(
        title=_("Leave for %(name)s on %(dates)s approved", **words)
        if data["approved"]
        else _("Leave for %(name)s on %(dates)s declined", **words),
        body=_("Tap to read the teacher's answer."),
        url=_url(data),
    )


NOTIFICATIONS = (
    NotificationType(
        "messaging.leave_requested", _l("New leave requests"), render=render_requested
    ),
    NotificationType(
        "messaging.leave_decided", _l("Answers to leave requests"), render=render_decided
    ),
)

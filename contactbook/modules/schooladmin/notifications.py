"""Event types of school administration: the password reset link sent by email."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import NotificationType, RenderedNotification, Urgency
from contactbook.modules.schooladmin.services.passwords import EVENT, VALID_FOR, link_token


def render_password_reset(data: dict[str, Any]) -> RenderedNotification:
    """The email: what happened, how long the link works, and what to do if it was not you."""
    hours = int(VALID_FOR.total_seconds() // 3600)
    return RenderedNotification(
        title=_("Reset your contact book password"),
        body=_(
            "Someone asked to reset the password of your contact book account. If it was you, "
            "open this link within %(hours)d hours to choose a new password. If it was not "
            "you, ignore this email: your password stays as it is.",
            hours=hours,
        ),
        url=url_for("schooladmin_passwords.reset_by_link", token=link_token(data["reset_id"])),
    )


NOTIFICATIONS = (
    NotificationType(
        EVENT,
        _l("Password reset link"),
        Urgency.HIGH,
        int(VALID_FOR.total_seconds()),
        render_password_reset,
    ),
)

"""Messaging's events and how each reads in an inbox or on a lock screen.

A message's text never leaves the app in a notification: the lock screen names the child and
the sender, the words stay behind sign-in.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import NotificationType, RenderedNotification

MESSAGE_RECEIVED = "messaging.message_received"


def render_message(data: dict[str, Any]) -> RenderedNotification:
    """ "New message about Minh Anh": who wrote, about which child, and where to read it."""
    return RenderedNotification(
        title=_("New message about %(name)s", name=data["student_name"]),
        body=_("%(sender)s wrote to you. Tap to read it.", sender=data["sender_name"]),
        url=url_for(
            "messaging_conversations.conversation", conversation_id=data["conversation_id"]
        ),
    )


CONVERSATION_NOTIFICATIONS = (
    NotificationType(MESSAGE_RECEIVED, _l("New message"), ttl_seconds=86400, render=render_message),
)

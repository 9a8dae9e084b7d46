"""What messaging contributes to the app."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import MenuItem, Module
from contactbook.modules.messaging.api.conversations import bp as conversations_api
from contactbook.modules.messaging.notifications import CONVERSATION_NOTIFICATIONS
from contactbook.modules.messaging.permissions import PERMISSIONS
from contactbook.modules.messaging.services import uploads
from contactbook.modules.messaging.services.conversation_messages import unread_total
from contactbook.modules.messaging.views.conversations import bp as conversations_pages


def init_app(app: Flask) -> None:
    """Give messaging its settings (upload limits and folder)."""
    uploads.init_app(app)


module = Module(
    name="messaging",
    title="Trao đổi",
    blueprints=(conversations_pages, conversations_api),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(
            _l("Messages"),
            "messaging_conversations.index",
            "messaging.conversations.view",
            badge=unread_total,
        ),
    ),
    notifications=CONVERSATION_NOTIFICATIONS,
    init_app=init_app,
)

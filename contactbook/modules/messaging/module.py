"""What messaging contributes to the app."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import Job, MenuItem, Module
from contactbook.modules.messaging.api.announcements import bp as announcements_api
from contactbook.modules.messaging.api.conversations import bp as conversations_api
from contactbook.modules.messaging.api.leave import bp as leave_api
from contactbook.modules.messaging.notifications import CONVERSATION_NOTIFICATIONS
from contactbook.modules.messaging.notifications_announcements import (
    NOTIFICATIONS as ANNOUNCEMENT_NOTIFICATIONS,
)
from contactbook.modules.messaging.notifications_announcements import render_summary_line
from contactbook.modules.messaging.notifications_leave import NOTIFICATIONS as LEAVE_NOTIFICATIONS
from contactbook.modules.messaging.permissions import PERMISSIONS
from contactbook.modules.messaging.services import uploads
from contactbook.modules.messaging.services.announcement_jobs import (
    send_acknowledgement_reminders,
)
from contactbook.modules.messaging.services.conversation_messages import unread_total
from contactbook.modules.messaging.services.daily_summary import summary_lines
from contactbook.modules.messaging.services.leave_absences import expected_absences
from contactbook.modules.messaging.services.student_links import student_links
from contactbook.modules.messaging.views.announcements import bp as announcements_pages
from contactbook.modules.messaging.views.conversations import bp as conversations_pages
from contactbook.modules.messaging.views.leave import bp as leave_pages


def init_app(app: Flask) -> None:
    """Give messaging its settings (upload limits and folder)."""
    uploads.init_app(app)


module = Module(
    name="messaging",
    title="Trao đổi",
    blueprints=(
        conversations_pages,
        conversations_api,
        announcements_pages,
        announcements_api,
        leave_pages,
        leave_api,
    ),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(
            _l("Messages"),
            "messaging_conversations.index",
            "messaging.conversations.view",
            badge=unread_total,
            icon="chat",
            order=20,
        ),
        MenuItem(
            _l("School announcements"),
            "messaging_announcements.index",
            "messaging.announcements.view",
            icon="megaphone",
            order=40,
        ),
        MenuItem(
            _l("Leave requests"),
            "messaging_leave.index",
            "messaging.leave.view",
            icon="calendar",
            order=50,
        ),
    ),
    notifications=CONVERSATION_NOTIFICATIONS + ANNOUNCEMENT_NOTIFICATIONS + LEAVE_NOTIFICATIONS,
    # Hourly: each school's own "day before the deadline, from 07:00" is checked inside.
    jobs=(Job("messaging.acknowledgement_reminders", send_acknowledgement_reminders, "5 * * * *"),),
    init_app=init_app,
    summary_lines=summary_lines,
    render_summary_line=render_summary_line,
    expected_absences=expected_absences,
    student_links=student_links,
)

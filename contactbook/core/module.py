"""What core itself declares through the module contract: its permissions and menu."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.models import Role
from contactbook.core.modules import (
    MenuItem,
    Module,
    NotificationType,
    Permission,
    RenderedNotification,
)

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE})


def render_test(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_("Notifications are on"),
        body=_("This device will show news from school, %(name)s.", name=data["name"]),
        url=url_for("push.settings"),
    )


module = Module(
    name="core",
    title="Core",
    permissions=(
        Permission("core.home.view", "See the home page", ALL_ROLES),
        Permission("core.classes.view", "See class lists", STAFF_ROLES),
    ),
    menu=(
        MenuItem(_l("Home"), "core.home", "core.home.view"),
        MenuItem(_l("Inbox"), "inbox.inbox", "core.home.view"),
        MenuItem(_l("Notifications"), "push.settings", "core.home.view"),
    ),
    notifications=(
        NotificationType("core.test", _l("Test notification"), "high", 300, render_test),
    ),
)

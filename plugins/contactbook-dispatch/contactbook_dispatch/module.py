"""What dispatch contributes to the app: official documents sent down and confirmed back."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import Job, MenuItem, Module
from contactbook_dispatch.api import bp as api
from contactbook_dispatch.notifications import NOTIFICATIONS
from contactbook_dispatch.permissions import PERMISSIONS
from contactbook_dispatch.services import documents, files, tracking
from contactbook_dispatch.services.demo import add_records
from contactbook_dispatch.views import bp as pages

HERE = Path(__file__).resolve().parent


def init_app(app: Flask) -> None:
    """Give dispatch its settings: the file folder, its size limit, the reminder delay.

    Each may come from the environment as `CONTACTBOOK_<setting>` (as core's settings do),
    unless the app's own configuration already set it.
    """
    defaults = {
        "DISPATCH_UPLOAD_FOLDER": str(Path(app.instance_path) / "dispatch" / "files"),
        "DISPATCH_UPLOAD_MAX_BYTES": files.DEFAULT_MAX_BYTES,
        "DISPATCH_REMIND_AFTER_DAYS": tracking.DEFAULT_REMIND_AFTER_DAYS,
    }
    for key, default in defaults.items():
        from_environment = os.environ.get(f"CONTACTBOOK_{key}")
        if from_environment is not None:
            default = type(default)(from_environment)
        app.config.setdefault(key, default)


module = Module(
    name="dispatch",
    title="Công văn",
    blueprints=(pages, api),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(
            _l("Official documents"),
            "dispatch.inbox",
            "dispatch.documents.read",
            badge=documents.unconfirmed_count,
            icon="school",
            order=45,
            short_label=_l("Documents"),
        ),
        MenuItem(
            _l("Send official documents"),
            "dispatch.sent",
            "dispatch.documents.send",
            icon="megaphone",
            order=46,
            short_label=_l("Send"),
        ),
    ),
    notifications=NOTIFICATIONS,
    # Hourly: whoever has not confirmed DISPATCH_REMIND_AFTER_DAYS after sending, once.
    jobs=(Job("dispatch.confirmation_reminders", tracking.send_due_reminders, "15 * * * *"),),
    init_app=init_app,
    demo=add_records,
    migrations=str(HERE / "migrations"),
    translations=str(HERE / "translations"),
)

"""What messaging contributes to the app."""

from __future__ import annotations

from flask import Flask

from contactbook.core.platform import Module
from contactbook.modules.messaging.permissions import PERMISSIONS
from contactbook.modules.messaging.services import uploads


def init_app(app: Flask) -> None:
    """Give messaging its settings (upload limits and folder)."""
    uploads.init_app(app)


module = Module(
    name="messaging",
    title="Trao đổi",
    permissions=PERMISSIONS,
    init_app=init_app,
)

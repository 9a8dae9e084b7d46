"""What messaging contributes to the app."""

from __future__ import annotations

from contactbook.core.platform import Module
from contactbook.modules.messaging.permissions import PERMISSIONS

module = Module(
    name="messaging",
    title="Trao đổi",
    permissions=PERMISSIONS,
)

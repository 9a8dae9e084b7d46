"""Permission keys of messaging, the roles that hold them, and where each role holds them."""

from __future__ import annotations

PERMISSIONS = ()

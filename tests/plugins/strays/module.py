"""A module keeping its tables in `store.py`, one of them misnamed, so start-up must refuse it."""

from __future__ import annotations

from contactbook.core.platform import Module
from tests.plugins.strays.store import Shelf

module = Module(name="strays", title=f"Strays ({Shelf.__tablename__})")

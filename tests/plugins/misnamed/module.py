"""A module whose table lacks the module's prefix, so start-up must refuse it."""

from __future__ import annotations

from contactbook.core.platform import Module

module = Module(name="misnamed", title="Misnamed")

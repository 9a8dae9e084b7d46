"""A module with a table of its own and an Alembic branch of its own, as an outside module ships.

Its first revision creates its notices; the second, shipped later, lets a notice be pinned.
"""

from __future__ import annotations

from pathlib import Path

from contactbook.core.platform import Module

module = Module(
    name="noticeboard",
    title="Notice board",
    migrations=str(Path(__file__).resolve().parent / "migrations"),
)

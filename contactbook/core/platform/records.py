"""How every table stores time and choices: one clock, aware UTC datetimes, enums as text."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum

from contactbook.extensions import db


def utcnow() -> datetime:
    """The one clock: every "now" in the app comes from here, so tests can set the time."""
    return datetime.now(UTC)


def storable_enum(enum_class: type[enum.Enum]) -> Enum:
    """Store enum values (not names) as plain strings, portable across SQLite and PostgreSQL."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UtcDateTime(db.TypeDecorator):  # type: ignore[name-defined]
    """A timezone-aware UTC datetime, also on SQLite which stores it naive."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)

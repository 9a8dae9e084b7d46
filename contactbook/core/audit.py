"""Audit trail: every write records who did it, to what, and the values before and after."""

from __future__ import annotations

from typing import Any

from contactbook.core.models import AuditEntry, User
from contactbook.extensions import db


def record(
    actor: User | None,
    action: str,
    target: Any,
    *,
    school_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the caller's transaction; the caller commits."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            action=action,
            object_type=type(target).__name__,
            object_id=str(target.id),
            school_id=school_id,
            before=before,
            after=after,
        )
    )

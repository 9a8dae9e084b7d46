"""Audit trail: every write records who did it, to what, and the values before and after."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.core.platform import audit_guard
from contactbook.core.platform.records import UtcDateTime, utcnow
from contactbook.extensions import db


class CoreAction(enum.StrEnum):
    """What core records in the audit trail, in one place, as those who read it back name it.

    Modules keep their own actions, prefixed with the module's name (`classbook.grade`).
    """

    SIGN_IN = "core.sign_in"
    PASSWORD_CHANGE = "core.password_change"  # noqa: S105 - an action's name  # nosec B105
    USER_DISABLE = "core.user_disable"
    SESSION_END = "core.session_end"
    SECOND_FACTOR_ON = "core.second_factor_on"
    SECOND_FACTOR_OFF = "core.second_factor_off"
    SECOND_FACTOR_CODES = "core.second_factor_codes"
    SECOND_FACTOR_REQUIRED = "core.second_factor_required"
    RECOVERY_CODE_USED = "core.recovery_code_used"
    PUSH_SUBSCRIBE = "core.push_subscribe"
    PUSH_UNSUBSCRIBE = "core.push_unsubscribe"
    PREFERENCES = "core.preferences"
    DELIVERY_RETRY = "core.delivery_retry"


class Actor(Protocol):
    """Whoever acts: audit refers to people by id, so it needs nothing of the directory."""

    id: int


class AuditEntry(db.Model):
    """Who changed what and when, with the values before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


audit_guard.guard(AuditEntry.__table__)


def record(
    actor: Actor | None,
    action: str,  # a CoreAction, or a module's own action enum
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


def record_many(
    actor: Actor | None,
    action: str,
    changes: Iterable[tuple[Any, dict[str, Any] | None, dict[str, Any] | None]],
    *,
    school_id: int | None = None,
) -> None:
    """Audit many changes of one kind, each (target, before, after), in one statement.

    A class-wide save changes a row per pupil; one insert for them all keeps the save's cost
    the same for a class of 10 and of 45.
    """
    entries = [
        {
            "actor_id": actor.id if actor else None,
            "action": action,
            "object_type": type(target).__name__,
            "object_id": str(target.id),
            "school_id": school_id,
            "before": before,
            "after": after,
            "created_at": utcnow(),
        }
        for target, before, after in changes
    ]
    if entries:
        db.session.execute(insert(AuditEntry), entries)

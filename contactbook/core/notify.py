"""notify(): store what happened for each recipient; delivery happens elsewhere, later.

Rows join the caller's transaction, so an event exists exactly when the write that caused it
does. Each event type renders itself when shown, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contactbook.core.models import Notification, User
from contactbook.core.modules import registry
from contactbook.extensions import db


def notify(
    recipients: Iterable[User],
    event: str,
    *,
    student_id: int | None = None,
    urgency: str | None = None,
    **data: Any,
) -> list[Notification]:
    """Add one inbox row per distinct recipient for a declared event type."""
    declared = registry().notification_types.get(event)
    if declared is None:
        raise KeyError(f"Notification type {event!r} is not declared by any loaded module.")
    rows = [
        Notification(
            user_id=user_id,
            event=event,
            student_id=student_id,
            urgency=urgency or declared.urgency,
            data=data,
        )
        for user_id in dict.fromkeys(user.id for user in recipients)
    ]
    db.session.add_all(rows)
    return rows

"""Writing one value per pupil for a whole class: insert, update or clear, each change audited."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from contactbook.core.directory import User
from contactbook.core.platform import audit
from contactbook.extensions import db

Row = TypeVar("Row")
State = Callable[[Any], dict | None]


def write_column(
    actor: User,
    action: str,
    school_id: int,
    existing: Mapping[int, Row],
    wanted: Mapping[int, dict[str, Any] | None],
    new_row: Callable[[int], Row],
    state: State,
    on_change: Callable[[Row, dict | None], None] | None = None,
) -> list[Row]:
    """Make each pupil's row hold `wanted[pupil]` (None clears it); return the rows kept.

    Only real changes are audited and passed to `on_change`, so saving a column again
    unchanged tells nobody anything twice.
    """
    kept = []
    for student_id, values in wanted.items():
        row = existing.get(student_id)
        before = state(row)
        if values is None:
            if row is not None:
                db.session.delete(row)
                audit.record(actor, action, row, before=before, after=None, school_id=school_id)
            continue
        if row is None:
            row = new_row(student_id)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.recorded_by_id = actor.id
        kept.append(row)
        if before != state(row):
            db.session.flush()
            audit.record(actor, action, row, before=before, after=state(row), school_id=school_id)
            if on_change is not None:
                on_change(row, before)
    return kept

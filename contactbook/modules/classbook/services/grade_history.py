"""A grade's history: each value it was given, written with the change, read for the family."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, insert, or_

from contactbook.core.directory import User
from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, GradeRevision


def record_revisions(actor: User, changes: Sequence[tuple[Grade, dict[str, Any] | None]]) -> None:
    """Add each changed grade's new value to its history, in the transaction that changes it
    and in one statement for a whole column."""
    if not changes:
        return
    db.session.execute(
        insert(GradeRevision),
        [
            {
                "grade_id": grade.id,
                "changed_by_id": actor.id,
                "before_score_tenths": before["score_tenths"] if before else None,
                "before_rating": before["rating"] if before else None,
                "after_score_tenths": grade.score_tenths,
                "after_rating": grade.rating,
            }
            for grade, before in changes
        ],
    )


def is_correction() -> ColumnElement[bool]:
    """Whether a revision changed a value the grade had: what families see as corrections.

    A grade's first entry is not a change, so a revision from no value at all is left out.
    """
    return or_(
        GradeRevision.before_score_tenths.is_not(None),
        GradeRevision.before_rating.is_not(None),
    )


def state_before(revision: GradeRevision) -> dict[str, Any] | None:
    """The grade as it was, in the shape grade states take everywhere; None before the first."""
    return _state(revision.before_score_tenths, revision.before_rating)


def state_after(revision: GradeRevision) -> dict[str, Any] | None:
    """The grade as the revision left it, in the shape grade states take everywhere."""
    return _state(revision.after_score_tenths, revision.after_rating)


def _state(score_tenths: int | None, rating: str | None) -> dict[str, Any] | None:
    if score_tenths is None and rating is None:
        return None
    return {"score_tenths": score_tenths, "rating": rating}

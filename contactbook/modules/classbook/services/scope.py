"""Keeping a query to the subjects a reader may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from contactbook.core.directory import AssessmentScope


def in_scope(
    subject_id: InstrumentedAttribute[int], scope: AssessmentScope
) -> tuple[ColumnElement[bool], ...]:
    """The condition keeping a query to the reader's subjects (none for readers of all)."""
    return () if scope.every_subject else (subject_id.in_(scope.subject_ids),)

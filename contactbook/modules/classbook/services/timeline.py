"""A child's timeline: recent absences, grades, health notes and comments, newest first, paged."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from contactbook.core.directory import Student, Term
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    Grade,
    HealthNote,
)
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.services.scope import AssessmentScope, in_scope


@dataclass(frozen=True)
class GradeLine:
    """A grade as the timeline shows it: subject, which assessment, and the grade in words."""

    subject: str
    column: str
    value: str


def _grade_line(grade: Grade) -> GradeLine:
    term = db.session.get(Term, grade.term_id)
    rules = ruleset_of(term.school_year)
    column = rules.column_label(grade.subject, grade.kind, grade.slot)
    return GradeLine(grade.subject.name, column, rules.format_grade(grade.score, grade.rating))


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of a child's timeline; `kind` tells the page how to show `item`."""

    at: datetime
    kind: str
    item: object


KINDS = ("attendance", "grade", "health_note", "comment")


def timeline(
    student: Student, scope: AssessmentScope, limit: int = 50, kinds: Collection[str] = KINDS
) -> list[TimelineEntry]:
    """The child's recent absences, grades the reader may see, notes and comments, newest first.

    `kinds` keeps only those kinds, so a page's section lists the newest of one kind.
    """
    entries = [
        TimelineEntry(mark.updated_at, "attendance", mark)
        for mark in _latest(AttendanceMark, student, AttendanceMark.updated_at, limit)
        if mark.status is not AttendanceStatus.PRESENT
    ]
    entries += [
        TimelineEntry(grade.updated_at, "grade", _grade_line(grade))
        for grade in _latest(
            Grade, student, Grade.updated_at, limit, *in_scope(Grade.subject_id, scope)
        )
    ]
    entries += [
        TimelineEntry(note.created_at, "health_note", note)
        for note in _latest(HealthNote, student, HealthNote.created_at, limit)
    ]
    entries += [
        TimelineEntry(comment.created_at, "comment", comment)
        for comment in _latest(
            Comment, student, Comment.created_at, limit, Comment.withdrawn_at.is_(None)
        )
    ]
    kept = [entry for entry in entries if entry.kind in kinds]
    return sorted(kept, key=lambda entry: entry.at, reverse=True)[:limit]


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline, newest first, and whether older entries follow it."""

    entries: list[TimelineEntry]
    number: int
    has_older: bool


def timeline_page(
    student: Student,
    scope: AssessmentScope,
    number: int,
    size: int,
    kinds: Collection[str] = KINDS,
) -> TimelinePage:
    """Page `number` (1 = newest) of `size` entries: a family reads back a page at a time
    instead of every grade since September at once."""
    entries = timeline(student, scope, limit=number * size + 1, kinds=kinds)
    start = (number - 1) * size
    return TimelinePage(entries[start : start + size], number, len(entries) > start + size)


def _latest(
    model: type[Any],
    student: Student,
    column: InstrumentedAttribute[datetime],
    limit: int,
    *conditions: ColumnElement[bool],
) -> Sequence[Any]:
    return db.session.scalars(
        select(model)
        .where(model.student_id == student.id, *conditions)
        .order_by(column.desc())
        .limit(limit)
    ).all()

"""A child's timeline: recent absences, grades, health notes and comments, newest first."""

from __future__ import annotations

from collections.abc import Sequence
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


def timeline(student: Student, scope: AssessmentScope, limit: int = 50) -> list[TimelineEntry]:
    """The child's recent absences, grades the reader may see, notes and comments, newest first."""
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
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


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

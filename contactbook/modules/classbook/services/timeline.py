"""A child's timeline: recent absences, grades, health notes and comments, newest first, paged.

Every kind is read in one statement: a UNION ALL of each kind's (id, time) narrowed to the
reader's subjects, joined back to the rows it names and to what a grade line is worded from
(subject, term, school year, school). A child with 200 grades costs what one with five does.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Subquery,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, contains_eager

from contactbook.core.directory import School, SchoolYear, Student, Subject, Term
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    Grade,
    HealthNote,
)
from contactbook.modules.classbook.rules import ruleset_for
from contactbook.modules.classbook.services.scope import AssessmentScope, in_scope


@dataclass(frozen=True)
class GradeLine:
    """A grade as the timeline shows it: subject, which assessment, and the grade in words."""

    subject: str
    column: str
    value: str


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of a child's timeline; `kind` tells the page how to show `item`."""

    at: datetime
    kind: str
    item: object


KINDS = ("attendance", "grade", "health_note", "comment")


def latest_of_each_kind(
    student: Student, scope: AssessmentScope, per_kind: int, absences_in: SchoolYear
) -> tuple[list[TimelineEntry], list[AttendanceMark]]:
    """The newest `per_kind` entries of every kind, newest first, and every absence or late mark
    of the school year, in one statement.

    A page showing the newest few of everything and of each kind picks from the first: the
    newest n of all kinds are always among the newest n of each kind. The year's marks make the
    attendance summary beside them, without a round trip of their own.
    """
    every = _union(student, scope, KINDS)
    rank = func.row_number().over(partition_by=every.c.kind, order_by=_newest_first(every))
    ranked = select(every, rank.label("rank_in_kind")).subquery("ranked")
    in_year = ranked.c.day.between(absences_in.starts_on, absences_in.ends_on)
    found = _read(
        select(ranked).where(or_(ranked.c.rank_in_kind <= per_kind, in_year)).subquery("shown")
    )
    latest, taken = [], dict.fromkeys(KINDS, 0)
    for entry in found:
        if taken[entry.kind] < per_kind:
            taken[entry.kind] += 1
            latest.append(entry)
    marks = [
        entry.item
        for entry in found
        if isinstance(entry.item, AttendanceMark)
        and absences_in.starts_on <= entry.item.day <= absences_in.ends_on
    ]
    return latest, sorted(marks, key=lambda mark: mark.day)


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
    instead of every grade since September at once. One entry past the page tells whether
    older ones follow."""
    every = _union(student, scope, kinds)
    shown = (
        select(every)
        .order_by(*_newest_first(every))
        .offset((number - 1) * size)
        .limit(size + 1)
        .subquery("shown")
    )
    entries = _read(shown)
    return TimelinePage(entries[:size], number, len(entries) > size)


def _union(student: Student, scope: AssessmentScope, kinds: Collection[str]) -> Subquery:
    """Each chosen kind's (kind, kind_order, id, at, day) for this child and reader, as one table;
    `day` is a mark's school day, empty for other kinds."""

    def rows(kind: str, model: type[Any], at: Any, *conditions: ColumnElement[bool]) -> Select[Any]:
        day = AttendanceMark.day if model is AttendanceMark else cast(null(), Date)
        return select(
            literal(kind).label("kind"),
            literal(KINDS.index(kind)).label("kind_order"),
            model.id.label("id"),
            at.label("at"),
            day.label("day"),
        ).where(model.student_id == student.id, *conditions)

    every_kind = {
        "attendance": rows(
            "attendance",
            AttendanceMark,
            AttendanceMark.updated_at,
            AttendanceMark.status != AttendanceStatus.PRESENT,
        ),
        "grade": rows("grade", Grade, Grade.updated_at, *in_scope(Grade.subject_id, scope)),
        "health_note": rows("health_note", HealthNote, HealthNote.created_at),
        "comment": rows("comment", Comment, Comment.created_at, Comment.withdrawn_at.is_(None)),
    }
    return union_all(*(every_kind[kind] for kind in KINDS if kind in kinds)).subquery("entry")


def _newest_first(entries: Subquery) -> tuple[ColumnElement[Any], ...]:
    """Newest first; at the same moment, kinds in KINDS order, then the later row first."""
    return (entries.c.at.desc(), entries.c.kind_order, entries.c.id.desc())


def _read(shown: Subquery) -> list[TimelineEntry]:
    """The entries `shown` names, with the rows they stand for and what words a grade."""
    comment_subject = aliased(Subject)
    found = db.session.execute(
        select(
            shown.c.kind,
            AttendanceMark,
            Grade,
            Subject,
            Term,
            SchoolYear,
            School,
            HealthNote,
            Comment,
            comment_subject,
        )
        .select_from(shown)
        .outerjoin(
            AttendanceMark, and_(shown.c.kind == "attendance", AttendanceMark.id == shown.c.id)
        )
        .outerjoin(Grade, and_(shown.c.kind == "grade", Grade.id == shown.c.id))
        .outerjoin(Subject, Subject.id == Grade.subject_id)
        .outerjoin(Term, Term.id == Grade.term_id)
        .outerjoin(SchoolYear, SchoolYear.id == Term.school_year_id)
        .outerjoin(School, School.id == SchoolYear.school_id)
        .outerjoin(HealthNote, and_(shown.c.kind == "health_note", HealthNote.id == shown.c.id))
        .outerjoin(Comment, and_(shown.c.kind == "comment", Comment.id == shown.c.id))
        .outerjoin(comment_subject, comment_subject.id == Comment.subject_id)
        .options(
            contains_eager(Grade.subject), contains_eager(Comment.subject.of_type(comment_subject))
        )
        .order_by(*_newest_first(shown))
    ).all()
    entries = []
    for kind, mark, grade, subject, _term, year, school, note, comment, _subject in found:
        if kind == "attendance":
            entries.append(TimelineEntry(mark.updated_at, kind, mark))
        elif kind == "grade":
            line = _grade_line(grade, subject, year, school)
            entries.append(TimelineEntry(grade.updated_at, kind, line))
        elif kind == "health_note":
            entries.append(TimelineEntry(note.created_at, kind, note))
        else:
            entries.append(TimelineEntry(comment.created_at, kind, comment))
    return entries


def _grade_line(grade: Grade, subject: Subject, year: SchoolYear, school: School) -> GradeLine:
    rules = ruleset_for(school.level, year.starts_on)
    column = rules.column_label(subject, grade.kind, grade.slot)
    return GradeLine(subject.name, column, rules.format_grade(grade.score, grade.rating))

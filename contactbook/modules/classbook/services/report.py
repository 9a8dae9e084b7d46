"""What a family reads about one child: grade book, attendance, timeline, score chart."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from contactbook.core.directory import (
    Assessment,
    AssessmentScope,
    Classroom,
    SchoolLevel,
    Student,
    Subject,
    Term,
    User,
)
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    Grade,
    GradeKind,
    HealthNote,
    TraitRating,
    tenths_to_decimal,
)
from contactbook.modules.classbook.rules import circular22, circular27
from contactbook.modules.classbook.services.grade_history import (
    revisions_of,
    state_after,
    state_before,
)


@dataclass
class SubjectTerm:
    """One subject in one term, as the grade book shows it."""

    regular: list[Decimal | None] = field(default_factory=list)
    midterm: Decimal | None = None
    final: Decimal | None = None
    ratings: dict[str, str | None] = field(default_factory=dict)
    average: Decimal | None = None
    rating: str | None = None
    missing: str = ""
    explanation: str = ""

    @property
    def scores(self) -> list[Decimal]:
        """Every score of the term in the order it was taken, for the chart."""
        return [s for s in [*self.regular, self.midterm, self.final] if s is not None]


@dataclass
class SubjectRow:
    """One subject's line of the grade book: each term, and the year average once both have one."""

    subject: Subject
    terms: dict[int, SubjectTerm]
    year_average: Decimal | None = None
    year_explanation: str = ""


@dataclass(frozen=True)
class TermResult:
    """The semester's academic result (Circular 22 Art. 9) and what kept it from the next level."""

    level: str
    reasons: list[str]


@dataclass(frozen=True)
class GradeChange:
    """A grade corrected after its first entry, worded for the family: what it was, what it is."""

    subject: str
    before: str
    after: str
    at: datetime
    by: str


@dataclass
class GradeBook:
    """One child's grade book in one class; `results` only for readers of every subject."""

    classroom: Classroom
    terms: list[Term]
    rows: list[SubjectRow]
    is_primary: bool
    changes: list[GradeChange]
    results: dict[int, TermResult] = field(default_factory=dict)


def grade_book(student: Student, classroom: Classroom, scope: AssessmentScope) -> GradeBook:
    """The subjects of the child's grade level the reader may see, with scores and formulas.

    The term's academic result weighs every subject, so only readers of every subject get it.
    """
    terms = list(classroom.school_year.terms)
    subjects = db.session.scalars(
        select(Subject)
        .where(Subject.school_id == classroom.school.id)
        .where(Subject.grade_level == classroom.grade_level, *_in_scope(Subject.id, scope))
        .order_by(Subject.id)
    ).all()
    grades = db.session.scalars(
        select(Grade).where(
            Grade.student_id == student.id,
            Grade.term_id.in_([term.id for term in terms]),
            *_in_scope(Grade.subject_id, scope),
        )
    ).all()
    by_key = {(g.subject_id, g.term_id, g.kind, g.slot): g for g in grades}
    is_primary = classroom.school.level is SchoolLevel.PRIMARY
    rows = []
    for subject in subjects:
        row = SubjectRow(subject, {})
        for term in terms:
            row.terms[term.id] = (
                _primary_term(subject, term, by_key)
                if is_primary
                else _secondary_term(subject, term, by_key)
            )
        if not is_primary and len(terms) == 2:
            first, second = (row.terms[term.id].average for term in terms)
            if first is not None and second is not None:
                row.year_average = circular22.year_average(first, second)
                row.year_explanation = circular22.explain_year_average(first, second)
        rows.append(row)
    subject_names = {subject.id: subject.name for subject in subjects}
    book = GradeBook(classroom, terms, rows, is_primary, _changes(grades, subject_names))
    if not is_primary and scope.every_subject:
        book.results = {term.id: result for term in terms if (result := _term_result(rows, term))}
    return book


def _term_result(rows: list[SubjectRow], term: Term) -> TermResult | None:
    """Rate the semester once every subject has its average or its rating."""
    scored, commented = {}, {}
    for row in rows:
        cell = row.terms[term.id]
        if row.subject.assessment is Assessment.COMMENT:
            commented[row.subject.name] = cell.rating
        else:
            scored[row.subject.name] = cell.average
    if not rows or None in scored.values() or None in commented.values():
        return None
    return TermResult(*circular22.academic_result_explained(scored, commented))


def _secondary_term(
    subject: Subject, term: Term, by_key: dict[tuple[int, int, GradeKind, int], Grade]
) -> SubjectTerm:
    count = circular22.regular_count(subject.periods_per_year)
    cells = [
        by_key.get((subject.id, term.id, GradeKind.REGULAR, slot)) for slot in range(1, count + 1)
    ]
    mid = by_key.get((subject.id, term.id, GradeKind.MIDTERM, 1))
    end = by_key.get((subject.id, term.id, GradeKind.FINAL, 1))
    if subject.assessment is Assessment.COMMENT:
        ratings = {
            f"regular_{slot}": cell.rating if cell else None for slot, cell in enumerate(cells, 1)
        }
        ratings |= {"midterm": mid.rating if mid else None, "final": end.rating if end else None}
        given = [rating for rating in ratings.values() if rating is not None]
        complete = len(given) == len(ratings)
        return SubjectTerm(
            ratings=ratings, rating=circular22.comment_term_rating(given) if complete else None
        )
    entry = SubjectTerm(
        regular=[cell.score if cell else None for cell in cells],
        midterm=mid.score if mid else None,
        final=end.score if end else None,
    )
    missing = circular22.missing_for_term(
        subject.periods_per_year, entry.regular, entry.midterm, entry.final
    )
    if missing:
        entry.missing = circular22.describe_missing(missing)
    else:
        regular = [score for score in entry.regular if score is not None]
        entry.average = circular22.term_average(regular, entry.midterm, entry.final)
        entry.explanation = circular22.explain_term_average(regular, entry.midterm, entry.final)
    return entry


def _primary_term(
    subject: Subject, term: Term, by_key: dict[tuple[int, int, GradeKind, int], Grade]
) -> SubjectTerm:
    mid = by_key.get((subject.id, term.id, GradeKind.MIDTERM, 1))
    end = by_key.get((subject.id, term.id, GradeKind.FINAL, 2))
    return SubjectTerm(
        midterm=mid.score if mid else None,
        final=end.score if end else None,
        ratings={"midterm": mid.rating if mid else None, "final": end.rating if end else None},
    )


def _changes(grades: Sequence[Grade], subject_names: dict[int, str]) -> list[GradeChange]:
    """Grades changed after their first entry, newest first; pages decide who may see `by`."""
    if not grades:
        return []
    revisions = revisions_of([grade.id for grade in grades])
    by_id = {grade.id: grade for grade in grades}
    authors = dict(
        db.session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({revision.changed_by_id for revision in revisions})
            )
        ).all()
    )
    return [
        GradeChange(
            subject=subject_names.get(by_id[revision.grade_id].subject_id, ""),
            before=_shown(state_before(revision)),
            after=_shown(state_after(revision)),
            at=revision.changed_at,
            by=authors.get(revision.changed_by_id, ""),
        )
        for revision in revisions
    ]


def _shown(state: dict | None) -> str:
    if not state:
        return "–"
    score = tenths_to_decimal(state.get("score_tenths"))
    if score is not None:
        return circular22.format_decimal(score)
    rating = state.get("rating") or ""
    return circular22.RATING_LABELS.get(rating) or circular27.LEVEL_LABELS.get(rating, rating)


def trait_ratings(student: Student, terms: list[Term]) -> dict[int, list[tuple[str, str, str]]]:
    """Per term: (quality or competence, mid-term rating, end-of-term rating), in Circular order."""
    rows = db.session.scalars(
        select(TraitRating).where(
            TraitRating.student_id == student.id,
            TraitRating.term_id.in_([term.id for term in terms]),
        )
    ).all()
    given = {(row.term_id, row.trait, row.slot): row.rating for row in rows}
    labels = circular27.TRAIT_LABELS
    return {
        term.id: [
            (
                name,
                labels.get(given.get((term.id, key, 1)), "–"),
                labels.get(given.get((term.id, key, 2)), "–"),
            )
            for key, name in circular27.QUALITIES + circular27.COMPETENCES
        ]
        for term in terms
        if any(term.id == term_id for term_id, _key, _slot in given)
    }


# How a calendar day is coloured when its sessions differ: the most serious mark shows.
SEVERITY = (AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)


@dataclass(frozen=True)
class CalendarMonth:
    """One month of the attendance calendar: weeks of (day, worst mark), None outside the month."""

    year: int
    month: int
    weeks: list[list[tuple[date | None, str | None]]]


@dataclass
class AttendanceSummary:
    """A child's attendance for the family: counts, days absent against the limit, the calendar."""

    term_counts: dict[str, int]
    year_counts: dict[str, int]
    absent_days: int
    limit_days: int
    is_near_limit: bool
    by_month: dict[tuple[int, int], dict[date, list[AttendanceMark]]]
    months: list[CalendarMonth] = field(default_factory=list)


def _calendar(
    starts_on: date, until: date, by_day: dict[date, list[AttendanceMark]]
) -> list[CalendarMonth]:
    """Month grids (Monday first) from the start of the year to `until`, newest month first."""
    months = []
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (until.year, until.month):
        weeks = [
            [
                (day, _worst(by_day.get(day, ()))) if day.month == month else (None, None)
                for day in week
            ]
            for week in calendar.Calendar().monthdatescalendar(year, month)
        ]
        months.append(CalendarMonth(year, month, weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[::-1]


def _worst(marks: Iterable[AttendanceMark]) -> str | None:
    statuses = [mark.status for mark in marks if mark.status in SEVERITY]
    return max(statuses, key=SEVERITY.index) if statuses else None


def attendance_summary(student: Student, classroom: Classroom, today: date) -> AttendanceSummary:
    """Counts of P / K / late for this term and the year, and the days absent so far."""
    year = classroom.school_year
    marks = db.session.scalars(
        select(AttendanceMark)
        .where(
            AttendanceMark.student_id == student.id,
            AttendanceMark.day >= year.starts_on,
            AttendanceMark.day <= year.ends_on,
            AttendanceMark.status != AttendanceStatus.PRESENT,
        )
        .order_by(AttendanceMark.day)
    ).all()
    term = next((t for t in year.terms if t.starts_on <= today <= t.ends_on), None)
    year_counts: dict[str, int] = defaultdict(int)
    term_counts: dict[str, int] = defaultdict(int)
    by_month: dict[tuple[int, int], dict[date, list[AttendanceMark]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for mark in marks:
        year_counts[mark.status] += 1
        if term and term.starts_on <= mark.day <= term.ends_on:
            term_counts[mark.status] += 1
        by_month[(mark.day.year, mark.day.month)][mark.day].append(mark)
    # A day counts once however many of its sessions were missed (Circular 22 Art. 12: verify).
    absent_days = len({m.day for m in marks if m.status is not AttendanceStatus.LATE})
    return AttendanceSummary(
        term_counts=dict(term_counts),
        year_counts=dict(year_counts),
        absent_days=absent_days,
        limit_days=circular22.ABSENCE_LIMIT_DAYS,
        is_near_limit=absent_days >= circular22.ABSENCE_WARNING_DAYS,
        by_month={month: dict(days) for month, days in by_month.items()},
        months=_calendar(
            year.starts_on,
            min(today, year.ends_on),
            {day: marks for days in by_month.values() for day, marks in days.items()},
        ),
    )


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
        TimelineEntry(grade.updated_at, "grade", grade)
        for grade in _latest(
            Grade, student, Grade.updated_at, limit, *_in_scope(Grade.subject_id, scope)
        )
    ]
    entries += [
        TimelineEntry(note.created_at, "health_note", note)
        for note in _latest(HealthNote, student, HealthNote.created_at, limit)
    ]
    entries += [
        TimelineEntry(comment.created_at, "comment", comment)
        for comment in _latest(Comment, student, Comment.created_at, limit)
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def _in_scope(
    subject_id: InstrumentedAttribute[int], scope: AssessmentScope
) -> tuple[ColumnElement[bool], ...]:
    """The condition keeping a query to the reader's subjects (none for readers of all)."""
    return () if scope.every_subject else (subject_id.in_(scope.subject_ids),)


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

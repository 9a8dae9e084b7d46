"""A child's grade book as the family reads it: each subject's terms, year, result, changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select

from contactbook.core.directory import (
    Classroom,
    Student,
    Subject,
    Term,
    User,
)
from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, GradeRevision, tenths_to_decimal
from contactbook.modules.classbook.rules import RuleSet, TermCell, TermResult, YearCell, ruleset_of
from contactbook.modules.classbook.services.grade_history import (
    is_correction,
    state_after,
    state_before,
)
from contactbook.modules.classbook.services.scope import AssessmentScope, in_scope
from contactbook.modules.classbook.services.traits import trait_table


@dataclass
class SubjectRow:
    """One subject's line of the grade book: each term, and the year once both terms allow it."""

    subject: Subject
    terms: dict[int, TermCell]
    year: YearCell | None = None


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
    """One child's grade book in one class, ready to show.

    `results` (the term's academic result) and `traits` (qualities and competences, per term)
    only for readers of every subject, and only where the class's rule set has them.
    """

    classroom: Classroom
    terms: list[Term]
    rows: list[SubjectRow]
    changes: list[GradeChange]
    results: dict[int, TermResult] = field(default_factory=dict)
    traits: dict[int, list[tuple[str, ...]]] = field(default_factory=dict)

    @property
    def years(self) -> list[SubjectRow]:
        """The subjects with a year result."""
        return [row for row in self.rows if row.year is not None]


def grade_book(student: Student, classroom: Classroom, scope: AssessmentScope) -> GradeBook:
    """The subjects of the child's grade level the reader may see, with scores and formulas.

    The term's academic result weighs every subject, so only readers of every subject get it.
    """
    rules = ruleset_of(classroom.school_year)
    terms = list(classroom.school_year.terms)
    # The subjects, the child's grades in them and the grades' corrections with who made
    # them, in one statement: a subject without grades comes once with none.
    found = db.session.execute(
        select(Subject, Grade, GradeRevision, User.display_name)
        .outerjoin(
            Grade,
            and_(
                Grade.subject_id == Subject.id,
                Grade.student_id == student.id,
                Grade.term_id.in_([term.id for term in terms]),
            ),
        )
        .outerjoin(GradeRevision, and_(GradeRevision.grade_id == Grade.id, is_correction()))
        .outerjoin(User, User.id == GradeRevision.changed_by_id)
        .where(Subject.school_id == classroom.school.id)
        .where(Subject.grade_level == classroom.grade_level, *in_scope(Subject.id, scope))
        .order_by(Subject.id)
    ).all()
    subjects = list(dict.fromkeys(subject for subject, *_rest in found))
    grades = list(dict.fromkeys(grade for _subject, grade, *_rest in found if grade is not None))
    revisions = sorted(
        ((revision, author) for *_found, revision, author in found if revision is not None),
        key=lambda pair: (pair[0].changed_at, pair[0].id),
        reverse=True,
    )
    entries: dict[tuple[int, int], dict] = {}
    for grade in grades:
        entries.setdefault((grade.subject_id, grade.term_id), {})[(grade.kind, grade.slot)] = (
            grade.score,
            grade.rating,
        )
    rows = []
    for subject in subjects:
        row = SubjectRow(
            subject,
            {
                term.id: rules.term_cell(subject, entries.get((subject.id, term.id), {}))
                for term in terms
            },
        )
        if len(terms) == 2:
            row.year = rules.year_cell(*(row.terms[term.id] for term in terms))
        rows.append(row)
    subject_names = {subject.id: subject.name for subject in subjects}
    book = GradeBook(classroom, terms, rows, _changes(grades, revisions, subject_names, rules))
    if scope.every_subject:
        book.results = {
            term.id: result
            for term in terms
            if (result := rules.term_result([(row.subject, row.terms[term.id]) for row in rows]))
        }
        if rules.traits:
            book.traits = trait_table(student, terms, rules)
    return book


def _changes(
    grades: Sequence[Grade],
    revisions: Sequence[tuple[GradeRevision, str]],
    subject_names: dict[int, str],
    rules: RuleSet,
) -> list[GradeChange]:
    """Grades changed after their first entry, newest first; pages decide who may see `by`."""
    by_id = {grade.id: grade for grade in grades}
    return [
        GradeChange(
            subject=subject_names.get(by_id[revision.grade_id].subject_id, ""),
            before=_shown(state_before(revision), rules),
            after=_shown(state_after(revision), rules),
            at=revision.changed_at,
            by=author,
        )
        for revision, author in revisions
    ]


def _shown(state: dict | None, rules: RuleSet) -> str:
    if not state:
        return "–"
    return rules.format_grade(tenths_to_decimal(state.get("score_tenths")), state.get("rating"))

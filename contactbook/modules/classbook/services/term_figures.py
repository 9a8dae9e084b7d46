"""Term figures (a subject's term average or rating per pupil) kept when grades change.

The rules turn a pupil's grades of a subject and term into an average or a rating. Computing
that on every view of every page reloads every grade; instead the grade save refreshes the
figures of the pupils it touched, set-based: one load of their grades in that subject and term
and one bulk upsert, whatever the number of pupils. `flask classbook term-figures` fills the
table for grades saved before it existed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select

from contactbook.core.directory import Subject, Term
from contactbook.core.platform import conflict_insert
from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, TermFigure, tenths_to_decimal
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.rules.ruleset import TermCell


def refresh_term_figures(subject: Subject, term: Term, student_ids: Collection[int]) -> None:
    """Recompute these pupils' figures in one subject and term from their grades now.

    Called inside the save that changed the grades, so figures and grades commit together.
    """
    pupils = list(student_ids)
    if not pupils:
        return
    grades = db.session.execute(
        select(Grade.student_id, Grade.kind, Grade.slot, Grade.score_tenths, Grade.rating).where(
            Grade.subject_id == subject.id,
            Grade.term_id == term.id,
            Grade.student_id.in_(pupils),
        )
    ).all()
    entries: defaultdict[int, dict] = defaultdict(dict)
    for student_id, kind, slot, score_tenths, rating in grades:
        entries[student_id][(kind, slot)] = (tenths_to_decimal(score_tenths), rating)
    rules = ruleset_of(term.school_year)
    _upsert(
        [
            _figure(rules.term_cell(subject, entries[student_id]), student_id, subject, term)
            for student_id in pupils
        ]
    )


def refresh_every_term_figure() -> int:
    """Compute the figures of every pupil, subject and term that has grades; return how many.

    For a database whose grades were saved before figures were kept. One term at a time, so
    memory holds one term's grades, never the whole history.
    """
    # Outside a request (the command, the demo) the rules' wording needs a language; the
    # figures keep none of it.
    with force_locale("en"):
        return _refresh_every_term()


def _refresh_every_term() -> int:
    count = 0
    term_ids = db.session.scalars(select(Grade.term_id).distinct()).all()
    for term in db.session.scalars(select(Term).where(Term.id.in_(term_ids))):
        rules = ruleset_of(term.school_year)
        by_pair: defaultdict[tuple[int, int], dict] = defaultdict(dict)
        for grade in db.session.scalars(select(Grade).where(Grade.term_id == term.id)):
            by_pair[(grade.subject_id, grade.student_id)][(grade.kind, grade.slot)] = (
                grade.score,
                grade.rating,
            )
        subjects = {
            subject.id: subject
            for subject in db.session.scalars(
                select(Subject).where(Subject.id.in_({pair[0] for pair in by_pair}))
            )
        }
        figures = [
            _figure(rules.term_cell(subject, entries), student_id, subject, term)
            for (subject_id, student_id), entries in by_pair.items()
            if (subject := subjects[subject_id])
        ]
        _upsert(figures)
        count += len(figures)
    return count


def _figure(cell: TermCell, student_id: int, subject: Subject, term: Term) -> dict[str, Any]:
    return {
        "student_id": student_id,
        "subject_id": subject.id,
        "term_id": term.id,
        "average_tenths": _tenths(cell.average),
        "rating": cell.rating,
    }


def _tenths(average: Decimal | None) -> int | None:
    """The average in tenths, as grades are kept: the rules round averages to one decimal."""
    return None if average is None else int(average.scaleb(1).to_integral_value())


def _upsert(figures: list[dict[str, Any]]) -> None:
    """Write the figures in one statement, replacing the pupils' earlier ones."""
    if not figures:
        return
    statement = conflict_insert(TermFigure).values(figures)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["student_id", "subject_id", "term_id"],
            set_={
                "average_tenths": statement.excluded.average_tenths,
                "rating": statement.excluded.rating,
            },
        )
    )

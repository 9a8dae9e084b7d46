"""Qualities and competences of primary pupils: rated by the homeroom teacher, read by families."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import Classroom, Student, Term, User, access
from contactbook.core.platform import Invalid, atomic
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction, TraitRating
from contactbook.modules.classbook.rules import RuleSet, ruleset_of
from contactbook.modules.classbook.services.calendar import require_open
from contactbook.modules.classbook.services.columns import write_column
from contactbook.modules.classbook.services.roster import pupils_of
from contactbook.modules.classbook.services.scope import READ_GRADES, Assessments


@dataclass(frozen=True)
class TraitColumn:
    """Which rating a column holds: one quality or competence, mid-term (1) or end of term (2)."""

    term: Term
    trait: str
    slot: int = 2


def find_trait_column(term_id: int, trait: str, slot: int) -> TraitColumn:
    """The column a request names; an unknown term is a field error."""
    term = db.session.get(Term, term_id)
    if term is None:
        raise Invalid({"term_id": [_("No such term.")]})
    return TraitColumn(term=term, trait=trait, slot=slot)


def trait_sheet(actor: User, classroom: Classroom, column: TraitColumn) -> dict[str, Any]:
    """The whole class in one column, saved ratings filled in.

    Refused (403) to whoever does not read every subject of the class ("Who reads grades").
    """
    access.require(actor, READ_GRADES, Assessments(classroom))
    saved = {row.student_id: row.rating for row in ratings_in_column(classroom, column)}
    labels = ruleset_of(classroom.school_year).trait_labels
    return {
        "term_id": column.term.id,
        "trait": column.trait,
        "slot": column.slot,
        "entries": [
            {
                "student_id": pupil.id,
                "student_name": pupil.full_name,
                "rating": saved.get(pupil.id),
                "rating_text": labels.get(saved.get(pupil.id) or "", ""),
            }
            for pupil in pupils_of(classroom)
        ],
    }


def ratings_in_column(classroom: Classroom, column: TraitColumn) -> list[TraitRating]:
    """The class's saved ratings in one column: what a save compares against."""
    return list(
        db.session.scalars(
            select(TraitRating).where(
                TraitRating.student_id.in_([pupil.id for pupil in pupils_of(classroom)]),
                TraitRating.term_id == column.term.id,
                TraitRating.trait == column.trait,
                TraitRating.slot == column.slot,
            )
        )
    )


def save_trait_column(
    actor: User,
    classroom: Classroom,
    column: TraitColumn,
    entries: Sequence[tuple[int, str | None]],
) -> list[TraitRating]:
    """Rate one quality or competence for the class; an empty rating clears it."""
    access.require(actor, "classbook.traits.record", classroom)
    with atomic():
        rules = ruleset_of(classroom.school_year)
        _check(classroom, column, rules)
        pupils = {pupil.id for pupil in pupils_of(classroom)}
        errors: dict[str, list[str]] = {}
        wanted: dict[int, dict[str, str] | None] = {}
        for index, (student_id, rating) in enumerate(entries):
            if student_id not in pupils:
                errors[f"entries.{index}"] = [_("This student is not in this class.")]
                continue
            try:
                given = rules.parse_trait_rating(rating)
            except ValueError as error:
                errors[f"entries.{index}"] = [str(error)]
                continue
            wanted[student_id] = {"rating": given} if given else None
        if errors:
            raise Invalid(errors)
        return write_column(
            actor,
            AuditAction.TRAIT,
            classroom.school.id,
            TraitRating,
            existing={row.student_id: row for row in ratings_in_column(classroom, column)},
            wanted=wanted,
            new_row=lambda student_id: {
                "student_id": student_id,
                "term_id": column.term.id,
                "trait": column.trait,
                "slot": column.slot,
            },
            state=lambda row: {"rating": row.rating} if row else None,
        )


def _check(classroom: Classroom, column: TraitColumn, rules: RuleSet) -> None:
    if not rules.traits:
        raise Invalid({"trait": [_("Qualities and competences are rated in primary school.")]})
    if column.trait not in dict(rules.traits):
        raise Invalid({"trait": [_("There is no such quality or competence.")]})
    if column.slot not in rules.trait_slots:
        raise Invalid({"slot": [_("There is no such assessment in this subject.")]})
    if column.term.school_year_id != classroom.school_year_id:
        raise Invalid({"term_id": [_("This term is not in the class's school year.")]})
    require_open(column.term)


def trait_table(
    student: Student, terms: list[Term], rules: RuleSet
) -> dict[int, list[tuple[str, ...]]]:
    """Per term: (quality or competence, its rating at each of the rule set's moments in order:
    mid-term, end of term), in the circular's order."""
    rows = db.session.scalars(
        select(TraitRating).where(
            TraitRating.student_id == student.id,
            TraitRating.term_id.in_([term.id for term in terms]),
        )
    ).all()
    given = {(row.term_id, row.trait, row.slot): row.rating for row in rows}
    labels = rules.trait_labels
    return {
        term.id: [
            (
                name,
                *(labels.get(given.get((term.id, key, slot)), "–") for slot in rules.trait_slots),
            )
            for key, name in rules.traits
        ]
        for term in terms
        if any(term.id == term_id for term_id, _key, _slot in given)
    }

"""Primary pupils' qualities and competences (Circular 27): rated by the homeroom teacher."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import Classroom, SchoolLevel, Term, User
from contactbook.core.platform import Invalid, atomic
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction, TraitRating
from contactbook.modules.classbook.rules import circular27
from contactbook.modules.classbook.services.calendar import require_open
from contactbook.modules.classbook.services.columns import write_column
from contactbook.modules.classbook.services.roster import pupils_of

TRAITS = dict(circular27.QUALITIES + circular27.COMPETENCES)


@dataclass(frozen=True)
class TraitColumn:
    """Which rating a column holds: one quality or competence, mid-term (1) or end of term (2)."""

    term: Term
    trait: str
    slot: int = 2


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
    if classroom.homeroom_teacher_id != actor.id:
        abort(403)
    with atomic():
        _check(classroom, column)
        pupils = {pupil.id for pupil in pupils_of(classroom)}
        errors = {
            f"entries.{index}": [_("This student is not in this class.")]
            for index, (student_id, _rating) in enumerate(entries)
            if student_id not in pupils
        } | {
            f"entries.{index}": [_("Choose Tốt, Đạt or Cần cố gắng.")]
            for index, (_student, rating) in enumerate(entries)
            if rating and rating not in circular27.TRAIT_LABELS
        }
        if errors:
            raise Invalid(errors)
        return write_column(
            actor,
            AuditAction.TRAIT,
            classroom.school.id,
            existing={row.student_id: row for row in ratings_in_column(classroom, column)},
            wanted={
                student_id: {"rating": rating} if rating else None for student_id, rating in entries
            },
            new_row=lambda student_id: TraitRating(
                student_id=student_id, term_id=column.term.id, trait=column.trait, slot=column.slot
            ),
            state=lambda row: {"rating": row.rating} if row else None,
        )


def _check(classroom: Classroom, column: TraitColumn) -> None:
    if classroom.school.level is not SchoolLevel.PRIMARY:
        raise Invalid({"trait": [_("Qualities and competences are rated in primary school.")]})
    if column.trait not in TRAITS:
        raise Invalid({"trait": [_("There is no such quality or competence.")]})
    if column.slot not in (1, 2):
        raise Invalid({"slot": [_("There is no such assessment in this subject.")]})
    if column.term.school_year_id != classroom.school_year_id:
        raise Invalid({"term_id": [_("This term is not in the class's school year.")]})
    require_open(column.term)

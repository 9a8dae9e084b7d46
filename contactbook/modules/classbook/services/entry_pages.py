"""What the entry pages open on: a day with lessons to mark, the first column still to fill."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from contactbook.core.directory import Classroom, Term
from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, TraitRating
from contactbook.modules.classbook.services.attendance import ABSENT
from contactbook.modules.classbook.services.calendar import no_lessons_reason
from contactbook.modules.classbook.services.roster import grades_with_pupils, pupils_of

# How far back a page looks for the last day with lessons: past any holiday a school closes for.
LOOK_BACK_DAYS = 60


def last_school_day(classroom: Classroom, day: date) -> date | None:
    """The latest day with lessons on or before `day` (and not after today), or None.

    A page that has no sheet for the day asked (a Sunday, a holiday) offers this one instead.
    """
    start = min(day, classroom.school.today())
    for back in range(LOOK_BACK_DAYS):
        candidate = start - timedelta(days=back)
        if no_lessons_reason(classroom, candidate) is None:
            return candidate
    return None


def roll_counts(marks: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many of a roll call's pupils are present, absent (with or without leave) and late.

    Shown above the sheet, so a teacher checks the total against the pupils in the room.
    """
    counts = {"present": 0, "absent": 0, "late": 0}
    for mark in marks:
        status = mark["status"]
        counts["absent" if status in ABSENT else status] += 1
    return counts


@dataclass(frozen=True)
class ColumnPicker:
    """The columns an entry page offers, as (params, label), and the one it opens on."""

    options: list[tuple[Mapping[str, Any], str]]
    chosen: Mapping[str, Any]


def picker(
    choices: Sequence[tuple[Mapping[str, Any], str]], filled: Mapping[tuple, int], pupils: int
) -> ColumnPicker:
    """Name the columns every pupil has an entry in, and open on the first one some pupil lacks.

    Opening there means typing enters a grade rather than overwriting one already given.
    """
    full = [filled.get(tuple(params.values()), 0) >= pupils for params, _label in choices]
    options = [
        (params, _("%(column)s (complete)", column=label) if is_full else label)
        for (params, label), is_full in zip(choices, full, strict=True)
    ]
    open_at = full.index(False) if False in full else 0
    return ColumnPicker(options=options, chosen=choices[open_at][0])


def grade_picker(
    classroom: Classroom,
    term_grades: Sequence[Grade],
    choices: Sequence[tuple[Mapping[str, Any], str]],
) -> ColumnPicker:
    """The grade entry page's columns (`{"kind", "slot"}` each) for one subject and term.

    Counted from the term's grades the page reads anyway (see `term_grades`).
    """
    filled: Counter[tuple[str, int]] = Counter(
        (str(grade.kind), grade.slot) for grade in term_grades
    )
    return picker(choices, filled, len(pupils_of(classroom)))


def term_grades(classroom: Classroom, subject_id: int, term: Term) -> list[Grade]:
    """The class's grades in one subject and term, every column: the grade entry page's data.

    One read gives the class list, the column picker's counts and the chosen column's grades.
    """
    return grades_with_pupils(classroom, Grade.subject_id == subject_id, Grade.term_id == term.id)


def trait_picker(
    classroom: Classroom, term: Term, choices: Sequence[tuple[Mapping[str, Any], str]]
) -> ColumnPicker:
    """The rating page's quality and competence columns (`{"trait", "slot"}` each) for a term."""
    pupil_ids = [pupil.id for pupil in pupils_of(classroom)]
    rows = db.session.execute(
        select(TraitRating.trait, TraitRating.slot, func.count())
        .where(TraitRating.student_id.in_(pupil_ids), TraitRating.term_id == term.id)
        .group_by(TraitRating.trait, TraitRating.slot)
    )
    filled = {(trait, slot): count for trait, slot, count in rows}
    return picker(choices, filled, len(pupil_ids))

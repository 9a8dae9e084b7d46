"""Grade entry: one assessment column for a whole class, checked against the school's rule set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from contactbook.core.delivery import FamilyNews, notify_families
from contactbook.core.directory import (
    Classroom,
    Student,
    Subject,
    Term,
    User,
    access,
)
from contactbook.core.platform import Invalid, atomic
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction, Grade, GradeKind
from contactbook.modules.classbook.rules import RuleSet, ruleset_of
from contactbook.modules.classbook.services.calendar import require_open
from contactbook.modules.classbook.services.columns import write_column
from contactbook.modules.classbook.services.grade_history import record_revisions
from contactbook.modules.classbook.services.roster import grades_with_pupils, pupils_of
from contactbook.modules.classbook.services.scope import READ_GRADES, Assessments
from contactbook.modules.classbook.services.term_figures import refresh_term_figures


@dataclass(frozen=True)
class GradeIn:
    """One pupil's entry as typed, read by the rule set on saving; an empty entry clears."""

    student_id: int
    score: str | None = None
    rating: str | None = None


@dataclass(frozen=True)
class Column:
    """Which assessment a column holds: kind and slot (ĐĐGtx 1..4; primary mid = 1, end = 2)."""

    subject: Subject
    term: Term
    kind: GradeKind
    slot: int = 1


def find_column(subject_id: int, term_id: int, kind: GradeKind, slot: int) -> Column:
    """The column a request names; an unknown subject or term is a field error."""
    subject = db.session.get(Subject, subject_id)
    term = db.session.get(Term, term_id)
    if subject is None:
        raise Invalid({"subject_id": [_("No such subject.")]})
    if term is None:
        raise Invalid({"term_id": [_("No such term.")]})
    return Column(subject=subject, term=term, kind=kind, slot=slot)


def grade_sheet(
    actor: User, classroom: Classroom, column: Column, read: Sequence[Grade] | None = None
) -> dict[str, Any]:
    """The whole class in one column, saved grades filled in.

    Refused (403) to whoever may not read the subject there (the README's "Who reads grades").
    A page that has already read the column's grades (`read`) hands them in.
    """
    access.require(actor, READ_GRADES, Assessments(classroom, column.subject.id))
    in_column = grades_in_column(classroom, column) if read is None else read
    saved = {grade.student_id: grade for grade in in_column}
    rules = ruleset_of(classroom.school_year)
    return {
        "subject_id": column.subject.id,
        "term_id": column.term.id,
        "kind": column.kind,
        "slot": column.slot,
        "entries": [_entry(pupil, saved.get(pupil.id), rules) for pupil in pupils_of(classroom)],
    }


def _entry(pupil: Student, grade: Grade | None, rules: RuleSet) -> dict[str, Any]:
    """One pupil's line: the stored grade, and the same written as pages show it."""
    score = grade.score if grade else None
    rating = grade.rating if grade else None
    return {
        "student_id": pupil.id,
        "student_name": pupil.full_name,
        "score": score,
        "rating": rating,
        "score_text": "" if score is None else rules.format_score(score),
        "rating_text": "" if rating is None else rules.rating_label(rating),
    }


def may_record(actor: User, classroom: Classroom, subject: Subject) -> bool:
    """Whether a save of this subject's column would be taken: only then does a page offer one."""
    return access.allows(actor, "classbook.grades.record", classroom) and access.teaches_subject(
        actor, classroom, subject.id
    )


def grades_in_column(classroom: Classroom, column: Column) -> list[Grade]:
    """The class's saved grades in one column: what a save compares against, and what a sheet
    shows (the class list comes with them)."""
    return grades_with_pupils(
        classroom,
        Grade.subject_id == column.subject.id,
        Grade.term_id == column.term.id,
        Grade.kind == column.kind,
        Grade.slot == column.slot,
    )


def save_grade_column(
    actor: User, classroom: Classroom, column: Column, entries: Sequence[GradeIn]
) -> list[Grade]:
    """Record one assessment for many pupils at once; an empty entry clears a grade."""
    access.require(actor, "classbook.grades.record", classroom)
    if not access.teaches_subject(actor, classroom, column.subject.id):
        raise Invalid({"subject_id": [_("You do not teach this subject in this class.")]})
    with atomic():
        _check_column(classroom, column)
        pupils = {pupil.id: pupil for pupil in pupils_of(classroom)}
        errors: dict[str, list[str]] = {}
        parsed = {}
        for index, entry in enumerate(entries):
            if entry.student_id not in pupils:
                errors[f"entries.{index}.student_id"] = [_("This student is not in this class.")]
                continue
            try:
                parsed[entry.student_id] = _parse_entry(classroom, column, entry)
            except ValueError as error:
                errors[f"entries.{index}"] = [str(error)]
        if errors:
            raise Invalid(errors)
        saved = write_column(
            actor,
            AuditAction.GRADE,
            classroom.school.id,
            Grade,
            existing={grade.student_id: grade for grade in grades_in_column(classroom, column)},
            wanted={
                student_id: None
                if score_tenths is None and rating is None
                else {"score_tenths": score_tenths, "rating": rating}
                for student_id, (score_tenths, rating) in parsed.items()
            },
            new_row=lambda student_id: {
                "student_id": student_id,
                "subject_id": column.subject.id,
                "term_id": column.term.id,
                "kind": column.kind,
                "slot": column.slot,
            },
            state=_state,
            on_changes=lambda changes: _revised(actor, pupils, column, changes),
        )
        refresh_term_figures(column.subject, column.term, parsed)
        return saved


def _check_column(classroom: Classroom, column: Column) -> None:
    if (
        column.subject.school_id != classroom.school.id
        or column.subject.grade_level != classroom.grade_level
    ):
        raise Invalid({"subject_id": [_("This subject is not taught in this class.")]})
    if column.term.school_year_id != classroom.school_year_id:
        raise Invalid({"term_id": [_("This term is not in the class's school year.")]})
    require_open(column.term)
    rules = ruleset_of(classroom.school_year)
    if not rules.has_column(column.subject, column.kind, column.slot):
        raise Invalid({"slot": [_("There is no such assessment in this subject.")]})


def _parse_entry(
    classroom: Classroom, column: Column, entry: GradeIn
) -> tuple[int | None, str | None]:
    """Turn what the teacher typed into stored tenths and rating, or raise ValueError."""
    return ruleset_of(classroom.school_year).parse_entry(
        column.subject,
        classroom.grade_level,
        column.slot,
        (entry.score or "").strip(),
        (entry.rating or "").strip() or None,
    )


def _state(grade: Grade | None) -> dict | None:
    if grade is None:
        return None
    return {"score_tenths": grade.score_tenths, "rating": grade.rating}


def _revised(
    actor: User,
    pupils: dict[int, Student],
    column: Column,
    changes: list[tuple[Grade, dict | None]],
) -> None:
    """Each changed grade joins its history, and its family hears of it: the first entry as
    recorded, a later one as changed (replacing the unread news about that grade)."""
    record_revisions(actor, changes)
    for event, first in (("classbook.grade_recorded", True), ("classbook.grade_changed", False)):
        notify_families(
            event,
            [
                _news(pupils[grade.student_id], column, before, grade)
                for grade, before in changes
                if (before is None) is first
            ],
        )


def _news(student: Student, column: Column, before: dict | None, grade: Grade) -> FamilyNews:
    return FamilyNews(
        student,
        {
            "student_name": student.full_name,
            "subject": column.subject.name,
            "kind": str(column.kind),
            "slot": column.slot,
            "before": before,
            "after": _state(grade),
        },
        topic=f"classbook.grade-{grade.id}",
    )

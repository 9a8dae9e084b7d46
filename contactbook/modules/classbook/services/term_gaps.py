"""Grade columns a term still misses, by teacher: what the admin sees before closing it."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Subject,
    TeachingAssignment,
    Term,
    User,
    name_key,
    split_full_name,
)
from contactbook.core.platform import TermGap
from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade
from contactbook.modules.classbook.rules import ruleset_of


def missing_grade_columns(term: Term) -> list[TermGap]:
    """Each column of a taught subject that some pupil of the class has no grade in yet.

    The rule set names the columns a subject has (ĐĐGtx 1..n, mid-term, end of term); a class
    without pupils owes nothing. Sorted by teacher, then class and subject, in column order.
    Two statements, however many classes: the assignments with class sizes, and the counts.
    """
    rules = ruleset_of(term.school_year)
    class_size = (
        select(func.count(Enrollment.id))
        .where(Enrollment.classroom_id == Classroom.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(TeachingAssignment, Classroom, Subject, User, class_size)
        .join(Classroom, TeachingAssignment.classroom_id == Classroom.id)
        .join(Subject, TeachingAssignment.subject_id == Subject.id)
        .join(User, TeachingAssignment.teacher_id == User.id)
        .where(
            Classroom.school_year_id == term.school_year_id,
            Classroom.archived_at.is_(None),
            Subject.archived_at.is_(None),
        )
    ).all()
    entered = _entered(term)
    gaps = []
    for _assignment, room, subject, teacher, size in sorted(rows, key=_teacher_order):
        for column in rules.columns(subject):
            if size and entered[(room.id, subject.id, column.kind, column.slot)] < size:
                gaps.append(TermGap(teacher.display_name, room.name, subject.name, column.label))
    return gaps


def _teacher_order(row) -> tuple:
    _assignment, room, subject, teacher, _size = row
    family, middle, given = split_full_name(teacher.display_name)
    return (name_key(family, middle, given), room.grade_level, room.name, subject.id)


def _entered(term: Term) -> Counter:
    """Grades entered in the term per (class, subject, kind, slot)."""
    counted = db.session.execute(
        select(
            Enrollment.classroom_id, Grade.subject_id, Grade.kind, Grade.slot, func.count(Grade.id)
        )
        .join(Enrollment, Enrollment.student_id == Grade.student_id)
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .where(Grade.term_id == term.id, Classroom.school_year_id == term.school_year_id)
        .group_by(Enrollment.classroom_id, Grade.subject_id, Grade.kind, Grade.slot)
    ).all()
    return Counter({tuple(row[:4]): row[4] for row in counted})

"""Whose grades and ratings a reader sees: the declared permission `classbook.grades.view`,
asked per subject of a class, and the query condition that keeps a list to what it admits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from contactbook.core.directory import Classroom, School, Student, TeachingAssignment, User, access
from contactbook.extensions import db

READ_GRADES = "classbook.grades.view"


@dataclass(frozen=True)
class Assessments:
    """What reading grades is asked about: one subject's in a class, or all of them
    (`subject_id` None, which takes in the ratings of qualities and competences too), of the
    class or of one pupil in it."""

    classroom: Classroom
    subject_id: int | None = None
    student: Student | None = None

    @property
    def school(self) -> School:
        """The class's school: where the reader's roles count."""
        return self.classroom.school


@dataclass(frozen=True)
class AssessmentScope:
    """Which of a class's assessments one reader may see: every subject, or only some.

    Reading every subject also covers the class-wide ratings of qualities and competences.
    """

    every_subject: bool = False
    subject_ids: frozenset[int] = frozenset()

    def covers(self, subject_id: int) -> bool:
        """Whether the reader may see this subject's grades."""
        return self.every_subject or subject_id in self.subject_ids


def readable_scope(
    user: User, classroom: Classroom, student: Student | None = None
) -> AssessmentScope:
    """The subjects whose grades the permission lets the user read in a class (README's
    "Who reads grades"): every one, or those of the subjects they teach there that it admits."""
    if access.allows(user, READ_GRADES, Assessments(classroom, None, student)):
        return AssessmentScope(every_subject=True)
    taught = db.session.scalars(
        select(TeachingAssignment.subject_id).where(
            TeachingAssignment.teacher_id == user.id,
            TeachingAssignment.classroom_id == classroom.id,
        )
    )
    return AssessmentScope(
        subject_ids=frozenset(
            subject_id
            for subject_id in taught
            if access.allows(user, READ_GRADES, Assessments(classroom, subject_id, student))
        )
    )


def in_scope(
    subject_id: InstrumentedAttribute[int], scope: AssessmentScope
) -> tuple[ColumnElement[bool], ...]:
    """The condition keeping a query to the reader's subjects (none for readers of all)."""
    return () if scope.every_subject else (subject_id.in_(scope.subject_ids),)

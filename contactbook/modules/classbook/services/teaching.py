"""What a teacher teaches in one class: the subject they enter grades for or comment on."""

from __future__ import annotations

from contactbook.core.directory import (
    Classroom,
    Subject,
    TeachingAssignment,
    User,
    access,
)
from contactbook.extensions import db


def assignment_in(user: User, classroom: Classroom, subject_id: int) -> TeachingAssignment | None:
    """The teacher's assignment to this subject in the class; None when they do not teach it."""
    return db.session.scalar(
        access.subjects_taught_by(user).where(
            TeachingAssignment.classroom_id == classroom.id,
            TeachingAssignment.subject_id == subject_id,
        )
    )


def comment_subjects(user: User, classroom: Classroom) -> list[Subject] | None:
    """Subjects a teacher of the class may comment on; None when the reader is not one."""
    if not access.teaches_class(user, classroom):
        return None
    assignments = db.session.scalars(
        access.subjects_taught_by(user).where(TeachingAssignment.classroom_id == classroom.id)
    )
    return [assignment.subject for assignment in assignments]

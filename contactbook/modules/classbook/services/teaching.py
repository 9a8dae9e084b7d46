"""What is taught in one class: its subjects, and those a teacher grades or comments on."""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.directory import (
    Classroom,
    Subject,
    TeachingAssignment,
    User,
    access,
)
from contactbook.core.platform import Role
from contactbook.extensions import db


def subjects_of(classroom: Classroom) -> list[Subject]:
    """The subjects of the class's grade level at its school: the grade book's columns."""
    return list(
        db.session.scalars(
            select(Subject)
            .where(
                Subject.school_id == classroom.school.id,
                Subject.grade_level == classroom.grade_level,
            )
            .order_by(Subject.id)
        )
    )


def subject_in(classroom: Classroom, subject_id: int) -> Subject | None:
    """One subject of the class (a page's subject id); None when the class has no such subject."""
    return next((subject for subject in subjects_of(classroom) if subject.id == subject_id), None)


def subject_of_page(user: User, classroom: Classroom, subject_id: int) -> Subject | None:
    """The subject a grade page names, if the class has it.

    A teacher's own assignments are read anyway to check what they may do there; a subject
    they teach in the class comes from them, so only other readers ask the class's subjects.
    """
    if Role.TEACHER in access.roles_of(user):
        for assignment in access.teaching_assignments(user):
            if assignment.classroom_id == classroom.id and assignment.subject_id == subject_id:
                return assignment.subject
    return subject_in(classroom, subject_id)


def comment_subjects(user: User, classroom: Classroom) -> list[Subject] | None:
    """Subjects a teacher of the class may comment on; None when the reader is not one.

    Whether the reader is a teacher at the school at all is read from their memberships,
    loaded with them, so a family's page asks the database nothing for it.
    """
    if Role.TEACHER not in access.roles_of(user, classroom.school):
        return None
    assignments = db.session.scalars(
        access.subjects_taught_by(user).where(TeachingAssignment.classroom_id == classroom.id)
    ).all()
    if not assignments and not access.leads_class(user, classroom):
        return None
    return [assignment.subject for assignment in assignments]

"""What the start page lists for a user: the classes and subjects they teach, the schools they
run and the children they follow, each in the order the page shows them."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Classroom,
    School,
    Subject,
    TeachingAssignment,
    User,
    access,
)
from contactbook.extensions import db


def classes_taught(user: User) -> list[Classroom]:
    """The classes a teacher picks a task in, by grade level then name."""
    return list(
        db.session.scalars(
            access.classrooms_taught_by(user)
            .where(Classroom.archived_at.is_(None))
            .order_by(Classroom.grade_level, Classroom.name)
        )
    )


def subjects_by_class(user: User) -> dict[int, list[Subject]]:
    """The subjects a teacher enters grades for, under each class id (empty for the others)."""
    subjects: defaultdict[int, list[Subject]] = defaultdict(list)
    for assignment in db.session.scalars(
        access.current_assignments(access.subjects_taught_by(user)).options(
            joinedload(TeachingAssignment.subject)
        )
    ):
        subjects[assignment.classroom_id].append(assignment.subject)
    return subjects


def managed_schools(user: User) -> list[School]:
    """The schools an admin runs, directly or from their district: where summaries are sent."""
    return list(
        db.session.scalars(select(School).where(School.id.in_(access.managed_school_ids(user))))
    )

"""Classes of a school year: name, grade level within the school's level, homeroom teacher.

A class with records is never deleted: archived, it leaves the lists and keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Classroom,
    School,
    SchoolLevel,
    SchoolYear,
    Subject,
    TeachingAssignment,
    User,
    access,
)
from contactbook.core.platform import Invalid, atomic, audit, utcnow
from contactbook.extensions import db

MANAGE = "schooladmin.school.manage"
GRADES = {
    SchoolLevel.PRIMARY: range(1, 6),
    SchoolLevel.LOWER_SECONDARY: range(6, 10),
    SchoolLevel.UPPER_SECONDARY: range(10, 13),
}


@dataclass(frozen=True)
class ClassIn:
    """A class as the admin types it; the homeroom teacher was found at the school already."""

    name: str
    grade_level: int
    homeroom_teacher: User | None


def grades_of(school: School) -> range:
    """The grade levels a school of this level teaches."""
    return GRADES[school.level]


def current_and_archived(year: SchoolYear) -> tuple[list[Classroom], list[Classroom]]:
    """A year's current classes and its archived ones, by grade then name, in one statement."""
    rooms = db.session.scalars(
        select(Classroom)
        .where(Classroom.school_year_id == year.id)
        .options(joinedload(Classroom.homeroom_teacher))
        .order_by(Classroom.grade_level, Classroom.name)
    ).all()
    return (
        [room for room in rooms if room.archived_at is None],
        [room for room in rooms if room.archived_at is not None],
    )


def subjects_and_assignments(
    classroom: Classroom,
) -> tuple[list[Subject], list[TeachingAssignment]]:
    """The current subjects of the class's grade, and who teaches what in the class (by
    subject), in one statement: each subject row carries the class's assignments of it."""
    assigned = and_(
        TeachingAssignment.subject_id == Subject.id,
        TeachingAssignment.classroom_id == classroom.id,
    )
    offered = and_(Subject.archived_at.is_(None), Subject.grade_level == classroom.grade_level)
    rows = db.session.execute(
        select(Subject, TeachingAssignment)
        .outerjoin(TeachingAssignment, assigned)
        .options(joinedload(TeachingAssignment.teacher))
        .where(
            Subject.school_id == classroom.school_year.school_id,
            or_(offered, TeachingAssignment.id.is_not(None)),
        )
        .order_by(Subject.grade_level, Subject.id, TeachingAssignment.id)
    ).all()
    subjects = list(
        dict.fromkeys(
            subject
            for subject, _assignment in rows
            if subject.archived_at is None and subject.grade_level == classroom.grade_level
        )
    )
    return subjects, [assignment for _subject, assignment in rows if assignment is not None]


def create_class(actor: User, year: SchoolYear, data: ClassIn) -> Classroom:
    """Add a class to a school year."""
    access.require(actor, MANAGE, year.school)
    with atomic():
        _check(year, data, None)
        room = Classroom(school_year_id=year.id)
        _fill(room, data)
        db.session.add(room)
        db.session.flush()
        audit.record(
            actor, "schooladmin.class_created", room, school_id=year.school_id, after=_state(room)
        )
    return room


def edit_class(actor: User, room: Classroom, data: ClassIn) -> Classroom:
    """Rename a class, change its grade level or its homeroom teacher."""
    access.require(actor, MANAGE, room)
    with atomic():
        _check(room.school_year, data, room)
        before = _state(room)
        _fill(room, data)
        audit.record(
            actor,
            "schooladmin.class_changed",
            room,
            school_id=room.school.id,
            before=before,
            after=_state(room),
        )
    return room


def set_class_archived(actor: User, room: Classroom, archived: bool) -> Classroom:
    """Archive a class (out of the lists, records kept) or bring it back."""
    access.require(actor, MANAGE, room)
    with atomic():
        before = {"archived": room.archived_at is not None}
        if archived != before["archived"]:
            room.archived_at = utcnow() if archived else None
            audit.record(
                actor,
                "schooladmin.class_archived" if archived else "schooladmin.class_restored",
                room,
                school_id=room.school.id,
                before=before,
                after={"archived": archived},
            )
    return room


def _check(year: SchoolYear, data: ClassIn, room: Classroom | None) -> None:
    errors: dict[str, list[str]] = {}
    grades = grades_of(year.school)
    if data.grade_level not in grades:
        errors["grade_level"] = [
            _("Choose a grade from %(low)d to %(high)d.", low=grades.start, high=grades.stop - 1)
        ]
    same_name = select(Classroom.id).where(
        Classroom.school_year_id == year.id, Classroom.name == data.name
    )
    if room is not None:
        same_name = same_name.where(Classroom.id != room.id)
    if db.session.scalar(same_name) is not None:
        errors["name"] = [_("This year already has a class of that name.")]
    if errors:
        raise Invalid(errors)


def _fill(room: Classroom, data: ClassIn) -> None:
    room.name = data.name
    room.grade_level = data.grade_level
    room.homeroom_teacher_id = data.homeroom_teacher.id if data.homeroom_teacher else None


def _state(room: Classroom) -> dict:
    return {
        "name": room.name,
        "grade_level": room.grade_level,
        "homeroom_teacher_id": room.homeroom_teacher_id,
    }

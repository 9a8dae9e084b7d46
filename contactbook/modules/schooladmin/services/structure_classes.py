"""Classes of a school year: name, grade level within the school's level, homeroom teacher.

A class with records is never deleted: archived, it leaves the lists and keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from contactbook.core.directory import (
    Classroom,
    School,
    SchoolLevel,
    SchoolYear,
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


def classes_of(year: SchoolYear, archived: bool = False) -> list[Classroom]:
    """A year's current classes (or its archived ones), by grade then name."""
    archived_filter = (
        Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None)
    )
    return list(
        db.session.scalars(
            select(Classroom)
            .where(Classroom.school_year_id == year.id, archived_filter)
            .options(selectinload(Classroom.homeroom_teacher))
            .order_by(Classroom.grade_level, Classroom.name)
        )
    )


def assignments_of(classroom: Classroom) -> list[TeachingAssignment]:
    """Who teaches what in the class, by subject."""
    return list(
        db.session.scalars(
            select(TeachingAssignment)
            .where(TeachingAssignment.classroom_id == classroom.id)
            .options(
                selectinload(TeachingAssignment.subject), selectinload(TeachingAssignment.teacher)
            )
            .order_by(TeachingAssignment.subject_id)
        )
    )


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

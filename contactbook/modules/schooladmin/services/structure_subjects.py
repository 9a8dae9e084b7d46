"""Subjects per grade (periods a year, score or comment) and who teaches them in which class.

A new grade starts from the 2018 programme's subjects (Circular 22 / 27 defaults), which the
school then edits. A subject with grades is never deleted: archived, it leaves the lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import (
    Assessment,
    Classroom,
    School,
    Subject,
    TeachingAssignment,
    User,
    access,
    programme_for_grade,
)
from contactbook.core.platform import Invalid, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.schooladmin.services.structure_classes import grades_of

MANAGE = "schooladmin.school.manage"


@dataclass(frozen=True)
class SubjectIn:
    """A subject as the admin types it."""

    grade_level: int
    code: str
    name: str
    periods_per_year: int
    assessment: Assessment


def subjects_of(school: School, archived: bool | None = False) -> list[Subject]:
    """The school's current subjects (or its archived ones, or all when `archived` is None),
    by grade then as entered."""
    query = select(Subject).where(Subject.school_id == school.id)
    if archived is not None:
        query = query.where(
            Subject.archived_at.is_not(None) if archived else Subject.archived_at.is_(None)
        )
    return list(db.session.scalars(query.order_by(Subject.grade_level, Subject.id)))


def add_subject(actor: User, school: School, data: SubjectIn) -> Subject:
    """Add one subject to a grade of the school."""
    access.require(actor, MANAGE, school)
    with atomic():
        _check(school, data, None)
        subject = Subject(school_id=school.id)
        _fill(subject, data)
        db.session.add(subject)
        db.session.flush()
        _audit(actor, "schooladmin.subject_created", subject, None)
    return subject


def add_programme(actor: User, school: School, grade_level: int) -> list[Subject]:
    """Give a grade the programme's subjects it does not have yet, with their default periods."""
    access.require(actor, MANAGE, school)
    if grade_level not in grades_of(school):
        raise Invalid({"grade_level": [_("This school does not teach that grade.")]})
    programme = programme_for_grade(grade_level)
    if not programme:
        raise Invalid({"grade_level": [_("The programme sets no subjects for this grade.")]})
    with atomic():
        held = set(
            db.session.scalars(
                select(Subject.code).where(
                    Subject.school_id == school.id, Subject.grade_level == grade_level
                )
            )
        )
        added = [
            Subject(
                school_id=school.id,
                grade_level=grade_level,
                code=item.code,
                name=item.name,
                periods_per_year=periods,
                assessment=Assessment.SCORE if item.is_scored else Assessment.COMMENT,
            )
            for item, periods in programme
            if item.code not in held
        ]
        db.session.add_all(added)
        db.session.flush()
        for subject in added:
            _audit(actor, "schooladmin.subject_created", subject, None)
    return added


def edit_subject(actor: User, subject: Subject, data: SubjectIn) -> Subject:
    """Change a subject's name, code, periods or assessment."""
    school = db.session.get(School, subject.school_id)
    access.require(actor, MANAGE, school)
    with atomic():
        _check(school, data, subject)
        before = _state(subject)
        _fill(subject, data)
        _audit(actor, "schooladmin.subject_changed", subject, before)
    return subject


def set_subject_archived(actor: User, subject: Subject, archived: bool) -> Subject:
    """Archive a subject (out of the lists, its grades kept) or bring it back."""
    access.require(actor, MANAGE, db.session.get(School, subject.school_id))
    with atomic():
        if archived != (subject.archived_at is not None):
            before = _state(subject)
            subject.archived_at = utcnow() if archived else None
            _audit(actor, "schooladmin.subject_archived", subject, before)
    return subject


def assign_teacher(
    actor: User, classroom: Classroom, subject: Subject, teacher: User
) -> TeachingAssignment:
    """Let a teacher teach a subject in a class; the subject must be of the class's grade."""
    access.require(actor, MANAGE, classroom)
    if subject.grade_level != classroom.grade_level:
        raise Invalid({"subject_id": [_("This subject is not taught in this grade.")]})
    with atomic():
        exists = db.session.scalar(
            select(TeachingAssignment.id).where(
                TeachingAssignment.classroom_id == classroom.id,
                TeachingAssignment.subject_id == subject.id,
                TeachingAssignment.teacher_id == teacher.id,
            )
        )
        if exists is not None:
            raise Invalid({"teacher_id": [_("This teacher already teaches this subject here.")]})
        assignment = TeachingAssignment(
            classroom_id=classroom.id, subject_id=subject.id, teacher_id=teacher.id
        )
        db.session.add(assignment)
        db.session.flush()
        audit.record(
            actor,
            "schooladmin.assignment_added",
            assignment,
            school_id=classroom.school.id,
            after=_assignment_state(assignment),
        )
    return assignment


def remove_assignment(actor: User, assignment: TeachingAssignment) -> None:
    """End a teaching assignment; the grades the teacher entered stay with the pupils."""
    access.require(actor, MANAGE, assignment.classroom)
    with atomic():
        audit.record(
            actor,
            "schooladmin.assignment_removed",
            assignment,
            school_id=assignment.classroom.school.id,
            before=_assignment_state(assignment),
        )
        db.session.delete(assignment)


def _check(school: School, data: SubjectIn, subject: Subject | None) -> None:
    errors: dict[str, list[str]] = {}
    if data.grade_level not in grades_of(school):
        errors["grade_level"] = [_("This school does not teach that grade.")]
    clashes = {
        "name": _("This grade already has a subject of that name."),
        "code": _("This grade already has a subject with that code."),
    }
    for field, message in clashes.items():
        clash = select(Subject.id).where(
            Subject.school_id == school.id,
            Subject.grade_level == data.grade_level,
            getattr(Subject, field) == getattr(data, field),
        )
        if subject is not None:
            clash = clash.where(Subject.id != subject.id)
        if db.session.scalar(clash) is not None:
            errors[field] = [message]
    if errors:
        raise Invalid(errors)


def _fill(subject: Subject, data: SubjectIn) -> None:
    subject.grade_level = data.grade_level
    subject.code = data.code
    subject.name = data.name
    subject.periods_per_year = data.periods_per_year
    subject.assessment = data.assessment


def _state(subject: Subject) -> dict:
    return {
        "grade_level": subject.grade_level,
        "code": subject.code,
        "name": subject.name,
        "periods_per_year": subject.periods_per_year,
        "assessment": str(subject.assessment),
        "archived": subject.archived_at is not None,
    }


def _audit(actor: User, action: str, subject: Subject, before: dict | None) -> None:
    audit.record(
        actor, action, subject, school_id=subject.school_id, before=before, after=_state(subject)
    )


def _assignment_state(assignment: TeachingAssignment) -> dict:
    return {
        "classroom_id": assignment.classroom_id,
        "subject_id": assignment.subject_id,
        "teacher_id": assignment.teacher_id,
    }

"""Core pages: the role-aware home and a class list."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from contactbook.core.directory import access
from contactbook.core.directory.models import (
    Classroom,
    Enrollment,
    SchoolYear,
    Student,
    TeachingAssignment,
)
from contactbook.core.directory.names import name_key
from contactbook.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """The landing page, one block per role held: own children, classes taught, schools run."""
    children = db.session.scalars(
        access.children_of(current_user).options(
            selectinload(Student.enrollments).selectinload(Enrollment.classroom),
            selectinload(Student.school),
        )
    ).all()
    taught = db.session.scalars(
        access.classrooms_taught_by(current_user)
        .where(Classroom.archived_at.is_(None))
        .order_by(Classroom.grade_level, Classroom.name)
    ).all()
    subjects: dict[int, list[str]] = defaultdict(list)
    for assignment in db.session.scalars(
        access.current_assignments(access.subjects_taught_by(current_user)).options(
            selectinload(TeachingAssignment.subject)
        )
    ):
        subjects[assignment.classroom_id].append(assignment.subject.name)
    return render_template(
        "core/home.html",
        children=sorted(children, key=_student_key),
        taught=taught,
        subjects=subjects,
        overseen=_school_overviews(),
    )


@bp.app_context_processor
def inject_menu() -> dict:
    """Give every page the menu entries the signed-in user's roles allow."""
    signed_in = current_user.is_authenticated
    return {"menu_items": access.menu_for(current_user) if signed_in else []}


def _school_overviews() -> list[dict]:
    """Schools the user administers or cares for, with their class and student counts."""
    schools = db.session.scalars(access.overseen_schools(current_user)).all()
    counts = dict(
        db.session.execute(
            select(SchoolYear.school_id, func.count(Enrollment.id))
            .join(Classroom, Classroom.school_year_id == SchoolYear.id)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .where(SchoolYear.school_id.in_([school.id for school in schools]))
            .group_by(SchoolYear.school_id)
        ).all()
    )
    classes = db.session.scalars(
        access.classrooms_visible_to(current_user)
        .where(SchoolYear.school_id.in_([school.id for school in schools]))
        .where(Classroom.archived_at.is_(None))
        .order_by(Classroom.grade_level, Classroom.name)
    ).all()
    return [
        {
            "school": school,
            "student_count": counts.get(school.id, 0),
            "classrooms": [c for c in classes if c.school_year.school_id == school.id],
        }
        for school in sorted(schools, key=lambda school: school.name)
    ]


def _student_key(student: Student) -> tuple:
    """Class-list order: by given name, the Vietnamese way."""
    return name_key(student.family_name, student.middle_name, student.given_name)


@bp.get("/classes/<int:classroom_id>")
@login_required
def classroom(classroom_id: int) -> ResponseReturnValue:
    """A class's pupil list in class-list order, for anyone who may see the class."""
    room = access.get_visible_or_404(
        access.classrooms_visible_to(current_user), Classroom, classroom_id
    )
    students = db.session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == room.id)
    ).all()
    return render_template(
        "core/classroom.html", classroom=room, students=sorted(students, key=_student_key)
    )

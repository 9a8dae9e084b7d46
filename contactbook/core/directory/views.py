"""Core pages: the role-aware home, a class list, and the "More" menu as a page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from contactbook.core.directory import access
from contactbook.core.directory.models import (
    Classroom,
    Enrollment,
    School,
    SchoolYear,
    Student,
)
from contactbook.core.directory.names import name_key
from contactbook.core.directory.navigation import badges_token, navigation_for, read_with_badges
from contactbook.core.platform import Stamp, change_stamps, conditional, module_hooks
from contactbook.extensions import db

bp = Blueprint("core", __name__)


def home_stamp(**_args: object) -> Stamp:
    """What home is made of: the directory (children, classes, schools and their names) and the
    menu's badges, read in one statement; a phone asking again gets a 304 or the kept page."""
    (directory,), badges = read_with_badges(current_user, [change_stamps.directory_version()])
    return Stamp(f"home:{directory}:{badges_token(badges)}")


@bp.get("/")
@login_required
@conditional(home_stamp)
def home() -> ResponseReturnValue:
    """The landing page, one block per role held: own children, classes taught, schools run.

    Every card opens what it stands for: a child's page, a class's list and its modules'
    pages (roll call, grades), as the modules offer them to this reader.
    """
    children = db.session.scalars(
        access.children_of(current_user).options(
            selectinload(Student.enrollments).joinedload(Enrollment.classroom),
            joinedload(Student.school),
        )
    ).all()
    taught = db.session.scalars(
        access.classrooms_taught_by(current_user)
        .where(Classroom.archived_at.is_(None))
        .order_by(Classroom.grade_level, Classroom.name)
    ).all()
    return render_template(
        "core/home.html",
        children=sorted(children, key=_student_key),
        child_pages=module_hooks.student_pages(current_user, children),
        taught=taught,
        class_links=module_hooks.classroom_links(current_user, taught),
        overseen=_school_overviews(),
    )


@bp.app_context_processor
def inject_navigation() -> dict:
    """Give every page the tab bar and "More" sheet the signed-in user's roles allow."""
    if not current_user.is_authenticated:
        return {"navigation": None}
    return {"navigation": navigation_for(current_user, request.endpoint)}


@bp.get("/more")
@login_required
def more() -> ResponseReturnValue:
    """What the "More" tab opens: its sheet as a page, for phones that run no scripts."""
    return render_template("core/more.html")


def _school_overviews() -> list[dict]:
    """Schools the user administers or cares for, with their class and student counts."""
    if not access.roles_of(current_user) & set(access.OVERSEEING_ROLES):
        return []
    enrolled = (
        select(func.count(Enrollment.id))
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .where(SchoolYear.school_id == School.id)
        .scalar_subquery()
    )
    rows = db.session.execute(access.overseen_schools(current_user).add_columns(enrolled)).all()
    schools = [school for school, _count in rows]
    counts = {school.id: count for school, count in rows}
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
    """A class's pupil list in class-list order, for anyone who may see the class.

    The modules' pages about the class head the list, and each name opens the pupil's page.
    """
    room = access.get_visible_or_404(
        access.classrooms_visible_to(current_user).options(joinedload(Classroom.homeroom_teacher)),
        Classroom,
        classroom_id,
    )
    students = db.session.scalars(
        select(Student).join(Enrollment).where(Enrollment.classroom_id == room.id)
    ).all()
    return render_template(
        "core/classroom.html",
        classroom=room,
        students=sorted(students, key=_student_key),
        pupil_pages=module_hooks.student_pages(current_user, students),
        links=module_hooks.classroom_links(current_user, [room])[room.id],
    )

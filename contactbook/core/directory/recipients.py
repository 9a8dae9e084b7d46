"""Who usually hears from a school: the families of its pupils, and its staff by role.

A module sending news to a school, a class or the teachers of a school asks here instead of
writing the joins itself, so "enrolled this year" and "an active account" mean the same in
every module. Each answer is one query, however many people it finds.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, ScalarSelect, Select, or_, select
from sqlalchemy.orm import aliased

from contactbook.core.directory.models import (
    Classroom,
    Enrollment,
    Guardianship,
    Membership,
    School,
    SchoolYear,
    Student,
    User,
)
from contactbook.core.platform.module_contract import Role
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db


def guardians(schools: Iterable[int] = (), classrooms: Iterable[int] = ()) -> list[User]:
    """Active guardian accounts of pupils enrolled this school year in the schools or classes.

    A pupil who left (archived) or a class archived or of another year brings no one; a
    guardian of several pupils comes once. Ordered by id.
    """
    school_ids, classroom_ids = list(schools), list(classrooms)
    if not school_ids and not classroom_ids:
        return []
    families = (
        select(Guardianship.user_id)
        .join(Student, Student.id == Guardianship.student_id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .where(
            Student.archived_at.is_(None),
            Classroom.archived_at.is_(None),
            SchoolYear.id == _this_year_of(SchoolYear.school_id),
            or_(SchoolYear.school_id.in_(school_ids), Classroom.id.in_(classroom_ids)),
        )
    )
    return _active_users(families)


def staff(schools: Iterable[int], roles: Iterable[Role]) -> list[User]:
    """Active users holding one of the roles at one of the schools, each once, ordered by id.

    As everywhere in core (`access.roles_of`), a district admin holds the role at every school
    of the district.
    """
    school_ids, wanted = list(schools), list(roles)
    if not school_ids or not wanted:
        return []
    districts = select(School.district_id).where(School.id.in_(school_ids))
    holders = select(Membership.user_id).where(
        Membership.role.in_(wanted),
        or_(Membership.school_id.in_(school_ids), Membership.district_id.in_(districts)),
    )
    return _active_users(holders)


def _active_users(ids: Select) -> list[User]:
    """The active accounts among the ids, read in one statement."""
    query = select(User).where(User.id.in_(ids), User.is_active.is_(True)).order_by(User.id)
    return list(db.session.scalars(query))


def _this_year_of(school_id: ColumnElement[int]) -> ScalarSelect[int]:
    """The school's year running today, else its latest: whose classes are "this year's".

    Today is the app's date (CONTACTBOOK_TIMEZONE): one date for every school of the query.
    """
    today = utcnow().astimezone(ZoneInfo(current_app.config["CONTACTBOOK_TIMEZONE"])).date()
    year = aliased(SchoolYear)
    running = (year.starts_on <= today) & (year.ends_on >= today)
    return (
        select(year.id)
        .where(year.school_id == school_id)
        .order_by(running.desc(), year.starts_on.desc())
        .limit(1)
        .scalar_subquery()
    )

"""Finding what a structure request names: seen only within the schools the user belongs to.

An object of a school the user does not belong to looks missing (404); at their own school, the
service's `require` then refuses (403) whoever may not run it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.sql.base import ExecutableOption

from contactbook.core.directory import (
    Classroom,
    ClosedDay,
    Membership,
    School,
    SchoolYear,
    Subject,
    TeachingAssignment,
    Term,
    User,
    access,
)
from contactbook.core.platform import Hidden, Role
from contactbook.extensions import db
from contactbook.modules.schooladmin.services.staff import STAFF_ROLES


def _school_ids(user: User) -> Select:
    return access.schools_visible_to(user).with_only_columns(School.id)


def school_or_404(user: User, school_id: int, *options: ExecutableOption) -> School:
    """A school the user belongs to or oversees from its district.

    `options` load what the page shows of the school (its years, say) in the same statement.
    """
    query = access.schools_visible_to(user).where(School.id == school_id).options(*options)
    found = db.session.scalars(query).unique().first()
    if found is None:
        raise Hidden()
    return found


def school_and_classroom_or_404(
    user: User, school_id: int, classroom_id: int
) -> tuple[School, Classroom]:
    """A class, archived or not, of this school, which the user belongs to: one statement."""
    return _school_and_its(user, school_id, Classroom, classroom_id)


def year_or_404(user: User, year_id: int) -> SchoolYear:
    """A school year of a school the user belongs to."""
    query = select(SchoolYear).where(SchoolYear.school_id.in_(_school_ids(user)))
    return access.get_visible_or_404(query, SchoolYear, year_id)


def term_or_404(user: User, term_id: int) -> Term:
    """A term of a school the user belongs to, with its school year."""
    query = access.terms_visible_to(user).options(joinedload(Term.school_year))
    return access.get_visible_or_404(query, Term, term_id)


def school_and_term_or_404(user: User, school_id: int, term_id: int) -> tuple[School, Term]:
    """A term of this school, which the user belongs to, with its school year: one statement."""
    return _school_and_its(user, school_id, Term, term_id)


def _school_and_its(user: User, school_id: int, model: type[Any], object_id: int) -> tuple:
    """The school and one of its classes or terms (anything hung on a school year), the year
    loaded with it, in one statement; Hidden when either is not the user's to see."""
    found = db.session.execute(
        access.schools_visible_to(user)
        .add_columns(model)
        .join(SchoolYear, SchoolYear.school_id == School.id)
        .join(model, model.school_year_id == SchoolYear.id)
        .options(contains_eager(model.school_year))
        .where(School.id == school_id, model.id == object_id)
    ).first()
    if found is None:
        raise Hidden()
    return found[0], found[1]


def classroom_or_404(user: User, classroom_id: int) -> Classroom:
    """A class, archived or not, of a school the user belongs to."""
    query = (
        select(Classroom)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .where(SchoolYear.school_id.in_(_school_ids(user)))
    )
    return access.get_visible_or_404(query, Classroom, classroom_id)


def subject_or_404(user: User, subject_id: int) -> Subject:
    """A subject, archived or not, of a school the user belongs to."""
    query = select(Subject).where(Subject.school_id.in_(_school_ids(user)))
    return access.get_visible_or_404(query, Subject, subject_id)


def closed_day_or_404(user: User, closed_day_id: int) -> ClosedDay:
    """A closed day of a school the user belongs to."""
    query = select(ClosedDay).where(ClosedDay.school_id.in_(_school_ids(user)))
    return access.get_visible_or_404(query, ClosedDay, closed_day_id)


def assignment_or_404(user: User, assignment_id: int) -> TeachingAssignment:
    """A teaching assignment in a class of a school the user belongs to."""
    query = (
        select(TeachingAssignment)
        .join(Classroom, TeachingAssignment.classroom_id == Classroom.id)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .where(SchoolYear.school_id.in_(_school_ids(user)))
    )
    return access.get_visible_or_404(query, TeachingAssignment, assignment_id)


def staff_member_or_404(school: School, user_id: int, *roles: Role) -> User:
    """Someone who works at the school (in one of `roles`, any staff role unless told).

    Anyone else, a parent or another school's teacher, looks missing.
    """
    query = select(User).where(
        User.id.in_(
            select(Membership.user_id).where(
                Membership.school_id == school.id, Membership.role.in_(roles or STAFF_ROLES)
            )
        )
    )
    return access.get_visible_or_404(query, User, user_id)


def subject_of_school_or_404(school: School, subject_id: int) -> Subject:
    """A current subject of this very school; another school's, or an archived one, is missing."""
    found = db.session.get(Subject, subject_id)
    if found is None or found.school_id != school.id or found.archived_at is not None:
        raise Hidden()
    return found

"""The district view: every school of a district side by side, and adding a school.

A district admin compares schools by the same figures and opens a new school with its first
school admin, who then sets up the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from contactbook.core.directory import (
    Classroom,
    District,
    Enrollment,
    Guardianship,
    Membership,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    User,
    access,
    identity,
    passwords,
)
from contactbook.core.platform import Invalid, Refused, Role, atomic, audit
from contactbook.extensions import db
from contactbook.modules.schooladmin.services.bootstrap import USERNAME

PERMISSION = "schooladmin.district.manage"
STAFF = (Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE)


def districts_run_by(user: User) -> list[District]:
    """The districts the user administers, by name."""
    return list(db.session.scalars(_districts_query(user).order_by(District.name)))


def _districts_query(user: User):
    ids = select(Membership.district_id).where(
        Membership.user_id == user.id, Membership.role == Role.DISTRICT_ADMIN
    )
    return select(District).where(District.id.in_(ids))


def district_or_404(user: User, district_id: int) -> District:
    """A district the user runs; any other looks missing."""
    return access.get_visible_or_404(_districts_query(user), District, district_id)


def school_in_district_or_404(user: User, school_id: int) -> School:
    """A school of a district the user runs; a school elsewhere looks missing."""
    query = select(School).where(
        School.district_id.in_(_districts_query(user).with_only_columns(District.id))
    )
    return access.get_visible_or_404(query, School, school_id)


@dataclass(frozen=True)
class SchoolFigures:
    """One school's line in the district's table."""

    school: School
    year_name: str
    classes: int
    pupils: int
    families: int
    families_joined: int
    staff: int


def _figures_query():
    """Each school with its figures as scalar subqueries: one statement for any number of
    schools, however many classes and pupils they hold."""
    newest_year = (
        select(SchoolYear.id)
        .where(SchoolYear.school_id == School.id)
        .order_by(SchoolYear.starts_on.desc())
        .limit(1)
        .correlate(School)
    )
    latest = newest_year.scalar_subquery()
    year_name = newest_year.with_only_columns(SchoolYear.name).scalar_subquery()
    classes = select(Classroom.id).where(
        Classroom.school_year_id == latest, Classroom.archived_at.is_(None)
    )
    pupils = (
        select(Student.id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .where(Enrollment.classroom_id.in_(classes), Student.archived_at.is_(None))
    )
    families = select(Guardianship.user_id).where(Guardianship.student_id.in_(pupils))
    return select(
        School,
        year_name,
        select(func.count()).where(Classroom.id.in_(classes)).scalar_subquery(),
        select(func.count(func.distinct(Student.id)))
        .where(Student.id.in_(pupils))
        .scalar_subquery(),
        select(func.count(User.id)).where(User.id.in_(families)).scalar_subquery(),
        select(func.count(User.password_hash)).where(User.id.in_(families)).scalar_subquery(),
        select(func.count(func.distinct(Membership.user_id)))
        .where(Membership.school_id == School.id, Membership.role.in_(STAFF))
        .scalar_subquery(),
    )


def _lines(query) -> list[SchoolFigures]:
    return [
        SchoolFigures(school, year or "", classes, pupils, families, joined, staff)
        for school, year, classes, pupils, families, joined, staff in db.session.execute(query)
    ]


def figures(school: School) -> SchoolFigures:
    """Classes and pupils of the school's latest year, families who joined, staff."""
    return _lines(_figures_query().where(School.id == school.id))[0]


def district_tables(
    actor: User, districts: list[District]
) -> list[tuple[District, list[SchoolFigures]]]:
    """Every school of each district with the same figures, by name; one statement for all.

    `districts` come from `districts_run_by(actor)`.
    """
    if not access.has_permission(actor, PERMISSION):
        raise Refused(PERMISSION)
    lines = _lines(
        _figures_query()
        .where(School.district_id.in_([found.id for found in districts]))
        .order_by(School.name)
    )
    return [
        (found, [line for line in lines if line.school.district_id == found.id])
        for found in districts
    ]


def _require(actor: User, district: District) -> None:
    """Refuse unless the actor administers this district (found through `district_or_404`)."""
    if not access.has_permission(actor, PERMISSION) or district not in districts_run_by(actor):
        raise Refused(PERMISSION)


def create_school(
    actor: User,
    district: District,
    *,
    code: str,
    name: str,
    level: SchoolLevel,
    admin: str,
    admin_name: str = "",
    admin_password: str = "",
) -> School:
    """Open a school in the district with its first school admin, in one transaction.

    `admin` is an existing user's phone number or username; when nobody has it, a new account
    is made with `admin_name` and the temporary `admin_password` the district admin hands over.
    """
    _require(actor, district)
    code = code.strip().upper()
    errors: dict[str, list[str]] = {}
    if db.session.scalar(select(School.id).where(func.upper(School.code) == code)):
        errors["code"] = [_("A school with this code exists already.")]
    try:
        person = identity.find_user(admin)
    except ValueError:
        person = None
        errors["admin"] = [_("This is not a valid Vietnamese mobile number.")]
    if person is None and "admin" not in errors:
        person = _new_admin(admin, admin_name, admin_password, errors)
    if errors:
        raise Invalid(errors)
    with atomic():
        school = School(district_id=district.id, code=code, name=name.strip(), level=level)
        db.session.add(school)
        db.session.flush()
        db.session.add(Membership(user=person, role=Role.SCHOOL_ADMIN, school_id=school.id))
        db.session.flush()
        audit.record(
            actor,
            "schooladmin.school_created",
            school,
            school_id=school.id,
            after={"code": code, "name": school.name, "level": level.value, "admin": person.id},
        )
    return school


def _new_admin(identifier: str, name: str, password: str, errors: dict) -> User | None:
    """A new account for the school's first admin, not yet added, or None with the reasons."""
    identifier = identifier.strip()
    if identity.looks_like_phone(identifier):
        user = User(phone=identity.normalise_phone(identifier), display_name=name.strip())
    else:
        user = User(username=identifier.lower(), display_name=name.strip())
        if not USERNAME.fullmatch(user.username):
            errors["admin"] = [_("Give a phone number, or a username starting with a letter.")]
    if not name.strip():
        errors["admin_name"] = [_("Nobody has this phone number or username: give a name.")]
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        errors["admin_password"] = [
            _("Use at least %(min)d characters.", min=identity.MIN_PASSWORD_LENGTH)
        ]
    else:
        reason = passwords.refusal(user, "", password)
        if reason is not None:
            errors["admin_password"] = [str(reason)]
    if errors:
        return None
    user.password_hash = identity.hash_password(password)
    return user

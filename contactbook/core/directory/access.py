"""The one place that answers "may this user see or do this", and lists what a user may see.

Two answers, one status each, the same from the API and the pages: an object found through a
`*_visible_to` query that the user may not see is `Hidden` (404: even its existence stays
hidden); an action a service asks `require` about that the user may not take on an object they
see is `Refused` (403).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Select, event, exists, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from contactbook.core.directory.models import (
    Classroom,
    Enrollment,
    Guardianship,
    Membership,
    School,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from contactbook.core.platform.errors import Hidden, Refused
from contactbook.core.platform.module_contract import MenuItem, Role, registry
from contactbook.extensions import db

# Roles that see every class and student of their school (the nurse keeps health notes for all).
SCHOOL_WIDE_ROLES = (Role.SCHOOL_ADMIN, Role.NURSE)
# Roles that may oversee a school: its own school-wide roles, or running its district.
OVERSEEING_ROLES = (*SCHOOL_WIDE_ROLES, Role.DISTRICT_ADMIN)
# Where a unit of work keeps each user's teaching assignments once read (see `_assignments`).
_ASSIGNMENTS_KEY = "contactbook.teaching_assignments"


def _district_ids(user: User, role: Role = Role.DISTRICT_ADMIN) -> Select:
    """Districts where the user holds the role (district admin unless told)."""
    return select(Membership.district_id).where(
        Membership.user_id == user.id, Membership.role == role
    )


def _school_ids_with(user: User, *roles: Role) -> Select:
    """Schools where the user holds one of the roles, directly or as district admin over it."""
    direct = select(Membership.school_id).where(
        Membership.user_id == user.id, Membership.role.in_(roles)
    )
    over = select(School.id).where(School.district_id.in_(_district_ids(user)))
    return direct.union(over)


def managed_school_ids(user: User) -> Select:
    """Schools the user administers: as school admin, or as district admin over them."""
    return _school_ids_with(user, Role.SCHOOL_ADMIN)


def overseen_schools(user: User) -> Select:
    """Schools whose every class the user may see: admins, district admins and nurses."""
    return select(School).where(School.id.in_(_school_ids_with(user, *SCHOOL_WIDE_ROLES)))


def schools_visible_to(user: User) -> Select:
    """Schools the user belongs to in any role, and every school of a district they run."""
    member_of = select(Membership.school_id).where(Membership.user_id == user.id)
    return select(School).where(
        or_(School.id.in_(member_of), School.district_id.in_(_district_ids(user)))
    )


def classrooms_visible_to(user: User) -> Select:
    """Classes of a school the user oversees, and classes the user teaches or leads."""
    school_wide = _school_ids_with(user, *SCHOOL_WIDE_ROLES)
    teaches = exists().where(
        TeachingAssignment.classroom_id == Classroom.id, TeachingAssignment.teacher_id == user.id
    )
    return (
        select(Classroom)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .where(
            or_(
                SchoolYear.school_id.in_(school_wide),
                Classroom.homeroom_teacher_id == user.id,
                teaches,
            )
        )
    )


def terms_visible_to(user: User) -> Select:
    """Terms of every school the user may see, so a term id from a request is checked once."""
    return (
        select(Term)
        .join(SchoolYear, Term.school_year_id == SchoolYear.id)
        .where(SchoolYear.school_id.in_(schools_visible_to(user).with_only_columns(School.id)))
    )


def classrooms_taught_by(user: User) -> Select:
    """Classes the user leads as homeroom teacher or teaches a subject in."""
    teaches = exists().where(
        TeachingAssignment.classroom_id == Classroom.id, TeachingAssignment.teacher_id == user.id
    )
    return select(Classroom).where(or_(Classroom.homeroom_teacher_id == user.id, teaches))


def students_visible_to(user: User) -> Select:
    """A guardian's own children, a teacher's pupils, every student of an overseen school."""
    school_wide = _school_ids_with(user, *SCHOOL_WIDE_ROLES)
    taught_classes = classrooms_taught_by(user).with_only_columns(Classroom.id)
    in_taught_class = exists().where(
        Enrollment.student_id == Student.id, Enrollment.classroom_id.in_(taught_classes)
    )
    own_child = exists().where(
        Guardianship.student_id == Student.id, Guardianship.user_id == user.id
    )
    return select(Student).where(
        or_(Student.school_id.in_(school_wide), in_taught_class, own_child)
    )


def subjects_taught_by(user: User) -> Select:
    """The user's teaching assignments (class and subject pairs), for their own pages."""
    return select(TeachingAssignment).where(TeachingAssignment.teacher_id == user.id)


def current_assignments(query: Select) -> Select:
    """Narrow a query of teaching assignments to lists: no archived class or subject in them."""
    return (
        query.join(Classroom, TeachingAssignment.classroom_id == Classroom.id)
        .join(Subject, TeachingAssignment.subject_id == Subject.id)
        .where(Classroom.archived_at.is_(None), Subject.archived_at.is_(None))
    )


def teaches_class(user: User, classroom: Classroom) -> bool:
    """Homeroom teacher of the class, or assigned to teach a subject in it."""
    return classroom.homeroom_teacher_id == user.id or any(
        room_id == classroom.id for room_id, _subject_id in _assignments(user)
    )


def leads_class(user: User, classroom: Classroom) -> bool:
    """The class's homeroom teacher."""
    return classroom.homeroom_teacher_id == user.id


def teaches_pupils_class(user: User, student: Student) -> bool:
    """Homeroom or subject teacher of the class the pupil is in now."""
    room = student.current_classroom
    return room is not None and teaches_class(user, room)


def guards(user: User, student: Student) -> bool:
    """A guardian of the pupil: what a family reads and hears about is their own child's."""
    return _is_in(children_of(user), Student, student.id)


def leads_pupils_class(user: User, student: Student) -> bool:
    """Homeroom teacher of the class the pupil is in now."""
    room = student.current_classroom
    return room is not None and leads_class(user, room)


def teaches_subject(user: User, classroom: Classroom, subject_id: int) -> bool:
    """Assigned to this subject in this class; leading the class as homeroom teacher is not."""
    return (classroom.id, subject_id) in _assignments(user)


def _assignments(user: User) -> frozenset[tuple[int, int]]:
    """The user's (class, subject) teaching assignments, from `teaching_assignments`."""
    return frozenset(
        (assignment.classroom_id, assignment.subject_id)
        for assignment in teaching_assignments(user)
    )


def teaching_assignments(user: User) -> list[TeachingAssignment]:
    """The user's teaching assignments with their class and subject, read once per unit of work.

    A page asks whether its reader teaches a class or a subject many times over (permissions,
    links, scopes); one read answers them all. A write in between (a flush, commit or rollback)
    forgets them, and pending changes are read afresh, so an answer is never older than the data.
    """
    session = db.session()
    known: dict[int, list[TeachingAssignment]] = session.info.setdefault(_ASSIGNMENTS_KEY, {})
    if user.id in known and not (session.new or session.dirty or session.deleted):
        return list(known[user.id])
    found = list(
        session.scalars(
            select(TeachingAssignment)
            .where(TeachingAssignment.teacher_id == user.id)
            .options(
                joinedload(TeachingAssignment.classroom), joinedload(TeachingAssignment.subject)
            )
        )
    )
    session.info.setdefault(_ASSIGNMENTS_KEY, {})[user.id] = found
    return list(found)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_assignments(session: Session, *_context: Any) -> None:
    """Drop the assignments a unit of work read: a write may have changed them."""
    session.info.pop(_ASSIGNMENTS_KEY, None)


def guardians_of(student: Student) -> list[User]:
    """Everyone who hears about the pupil: who a note, grade or absence is sent to."""
    return [guardianship.user for guardianship in student.guardianships]


def children_of(user: User) -> Select:
    """Students the user is a guardian of, whatever school they attend."""
    return select(Student).join(Guardianship).where(Guardianship.user_id == user.id)


def family_in_order(user: User) -> list[Student]:
    """A family's children in Vietnamese name order, without their classes: they come with the
    signed-in user (see `identity.load_user`), so a page naming them asks nothing more."""
    return sorted((link.student for link in user.guardianships), key=lambda pupil: pupil.sort_key)


def children_in_order(user: User) -> list[Student]:
    """A family's children in Vietnamese name order, as every page that lists them shows them."""
    with_classes = children_of(user).options(
        selectinload(Student.enrollments).joinedload(Enrollment.classroom)
    )
    return sorted(db.session.scalars(with_classes), key=lambda pupil: pupil.sort_key)


def _is_in(query: Select, model: type, object_id: int) -> bool:
    """Ask the database whether the query would find the object, without loading it."""
    return bool(db.session.scalar(select(query.where(model.id == object_id).exists())))


def can_view_classroom(user: User, classroom: Classroom) -> bool:
    """The check behind a class page, from the same query as the class lists."""
    return _is_in(classrooms_visible_to(user), Classroom, classroom.id)


def can_view_student(user: User, student: Student) -> bool:
    """The check behind a pupil's pages, from the same query as the pupil lists."""
    return _is_in(students_visible_to(user), Student, student.id)


def can_manage_school(user: User, school: School) -> bool:
    """Whether the user administers the school, directly or from its district."""
    return school.id in db.session.scalars(managed_school_ids(user)).all()


def get_visible_or_404(query: Select, model: type, object_id: int) -> Any:
    """Load one object through a visibility query; a hidden object looks like a missing one."""
    found = db.session.scalar(query.where(model.id == object_id))
    if found is None:
        raise Hidden()
    return found


def roles_of(user: User, school: School | None = None) -> set[Role]:
    """The user's roles at one school (district admin counts there), or anywhere."""
    roles = set()
    for membership in user.memberships:
        if school is None or membership.school_id == school.id:
            roles.add(membership.role)
        elif membership.district_id is not None and membership.district_id == school.district_id:
            roles.add(membership.role)
    return roles


def has_permission(user: User, key: str, school: School | None = None) -> bool:
    """Whether a role the user holds (at that school, if given) carries the permission."""
    permission = registry().permissions[key]
    return bool(roles_of(user, school) & permission.roles)


def menu_for(user: User) -> list[MenuItem]:
    """The modules' menu entries the user holds the permission for anywhere."""
    return [item for item in registry().menu if has_permission(user, item.permission)]


class OfASchool(Protocol):
    """Anything a permission is asked about that belongs to one school (a class, a pupil...)."""

    @property
    def school(self) -> School:
        """The school whose roles act on the object."""


def school_of(obj: School | Term | OfASchool) -> School:
    """The school an object belongs to: where the roles that act on it are held."""
    if isinstance(obj, School):
        return obj
    if isinstance(obj, Term):
        return obj.school_year.school
    return obj.school


def allows(user: User, key: str, obj: School | Term | OfASchool) -> bool:
    """Whether a declared permission admits the user on this object (see `Permission`).

    A role the user holds at the object's school must carry the permission, and meet the
    condition the permission sets for that role, if it sets one.
    """
    permission = registry().permissions[key]
    for role in roles_of(user, school_of(obj)) & permission.roles:
        condition = permission.where.get(role)
        if condition is None or condition(user, obj):
            return True
    return False


def require(user: User, key: str, obj: School | Term | OfASchool) -> None:
    """Refuse (403) unless the declared permission admits the user on this object.

    Services call it first, on an object the caller found through a visibility query, so the
    API and the pages answer a refused action alike.
    """
    if not allows(user, key, obj):
        raise Refused(key)

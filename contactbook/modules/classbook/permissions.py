"""Permission keys of the contact book, the roles that hold them, and where each role holds them.

These are the rules `access.require` enforces before a service acts: a role listed here holds
the permission at its school, narrowed by its condition in `where` when it has one.
"""

from __future__ import annotations

from contactbook.core.directory import User, access
from contactbook.core.platform import Permission, Role
from contactbook.modules.classbook.services.scope import Assessments

STAFF = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE})
ADMINS = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN})


def reads_as_teacher(user: User, assessments: Assessments) -> bool:
    """The homeroom teacher reads every subject and the ratings; a subject teacher their own."""
    if access.leads_class(user, assessments.classroom):
        return True
    return assessments.subject_id is not None and access.teaches_subject(
        user, assessments.classroom, assessments.subject_id
    )


def reads_as_guardian(user: User, assessments: Assessments) -> bool:
    """A family reads all of their own child's grades and ratings, and no one else's.

    Read from the child's guardians, which the child page loads with the child.
    """
    student = assessments.student
    return student is not None and any(
        guardianship.user_id == user.id for guardianship in student.guardianships
    )


PERMISSIONS = (
    Permission(
        "classbook.attendance.record",
        "Take roll call",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: access.teaches_class},
    ),
    # The subject itself is checked with the entries: teaching another one is a field error.
    Permission(
        "classbook.grades.record",
        "Enter grades",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: access.teaches_class},
    ),
    Permission(
        "classbook.traits.record",
        "Rate qualities and competences",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: access.leads_class},
    ),
    Permission(
        "classbook.health_notes.record",
        "Write health notes",
        frozenset({Role.TEACHER, Role.NURSE}),
        where={Role.TEACHER: access.leads_pupils_class},
    ),
    Permission(
        "classbook.comments.record",
        "Write comments",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: access.teaches_pupils_class},
    ),
    Permission(
        "classbook.records.view",
        "Read class records",
        STAFF,
        where={Role.TEACHER: access.teaches_class},
    ),
    # Asked about `Assessments`: one subject's grades in a class, or all of them.
    Permission(
        "classbook.grades.view",
        "Read grades and ratings",
        ADMINS | {Role.TEACHER, Role.GUARDIAN},
        where={Role.TEACHER: reads_as_teacher, Role.GUARDIAN: reads_as_guardian},
    ),
    Permission("classbook.grade_authors.view", "See who changed a grade", ADMINS),
    Permission("classbook.children.view", "Follow my children", frozenset({Role.GUARDIAN})),
    Permission("classbook.classes.oversee", "Open every class of the school read-only", ADMINS),
    Permission("classbook.summaries.manage", "Send daily summaries, mark closed days", ADMINS),
)

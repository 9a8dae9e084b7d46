"""Permission keys of messaging, the roles that hold them, and where each role holds them."""

from __future__ import annotations

from typing import Any

from contactbook.core.directory import Classroom, Student, User, access
from contactbook.core.platform import Permission, Role

ADMINS = frozenset({Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN})
FAMILY_AND_STAFF = frozenset({Role.GUARDIAN, Role.TEACHER, *ADMINS})


def _teaches_this_class(user: User, obj: Any) -> bool:
    """A teacher speaks to a class they lead or teach, never to a whole school."""
    return isinstance(obj, Classroom) and access.teaches_class(user, obj)


def _leads_this_class(user: User, obj: Any) -> bool:
    """Leave is decided by the homeroom teacher of the class the request was made in."""
    return isinstance(obj, Classroom) and access.leads_class(user, obj)


def _is_guardian_of(user: User, obj: Any) -> bool:
    """Only a pupil's own family asks leave for them."""
    return isinstance(obj, Student) and any(
        guardianship.user_id == user.id for guardianship in obj.guardianships
    )


PERMISSIONS = (
    Permission(
        "messaging.announcements.view",
        "Read announcements",
        FAMILY_AND_STAFF,
    ),
    # A class announcement is checked on its class, a school or grade one on the school.
    Permission(
        "messaging.announcements.post",
        "Post announcements",
        frozenset({Role.TEACHER, *ADMINS}),
        where={Role.TEACHER: _teaches_this_class},
    ),
    Permission(
        "messaging.announcements.track",
        "See who read and acknowledged an announcement",
        frozenset({Role.TEACHER, *ADMINS}),
        where={Role.TEACHER: _teaches_this_class},
    ),
    Permission(
        "messaging.announcements.acknowledge",
        "Acknowledge announcements",
        frozenset({Role.GUARDIAN}),
    ),
    Permission("messaging.leave.view", "Leave requests", FAMILY_AND_STAFF),
    Permission(
        "messaging.leave.request",
        "Ask leave for a child",
        frozenset({Role.GUARDIAN}),
        where={Role.GUARDIAN: _is_guardian_of},
    ),
    Permission(
        "messaging.leave.decide",
        "Approve or decline leave requests",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: _leads_this_class},
    ),
)

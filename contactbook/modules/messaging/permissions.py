"""Permission keys of messaging, the roles that hold them, and where each role holds them."""

from __future__ import annotations

from typing import Any

from contactbook.core.directory import Classroom, Student, User, access
from contactbook.core.platform import Permission, Role
from contactbook.modules.messaging.services.conversation_members import (
    is_added_staff,
    is_guardian_in,
    leads_childs_class,
)

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


def _asked_for_own_child(user: User, leave: Any) -> bool:
    """The family of the child the leave request is for."""
    return access.guards(user, leave.student)


def _decides(user: User, leave: Any) -> bool:
    """The homeroom teacher of the class the request was made in: who decides it."""
    return access.leads_class(user, leave.classroom)


def _teacher_in(user: User, conversation: Any) -> bool:
    """The child's homeroom teacher, or a teacher they added to the conversation."""
    return leads_childs_class(user, conversation) or is_added_staff(user, conversation)


CONVERSATION_PERMISSIONS = (
    Permission(
        "messaging.conversations.view",
        "Read conversations about a child",
        frozenset({Role.GUARDIAN, Role.TEACHER, Role.NURSE, Role.SCHOOL_ADMIN}),
        where={
            Role.GUARDIAN: is_guardian_in,
            Role.TEACHER: _teacher_in,
            Role.NURSE: is_added_staff,
        },
    ),
    Permission(
        "messaging.conversations.start",
        "Start the conversation about a child",
        frozenset({Role.GUARDIAN, Role.TEACHER}),
        where={Role.GUARDIAN: _is_guardian_of, Role.TEACHER: leads_childs_class},
    ),
    Permission(
        "messaging.messages.send",
        "Write in a conversation about a child",
        frozenset({Role.GUARDIAN, Role.TEACHER, Role.NURSE}),
        where={
            Role.GUARDIAN: is_guardian_in,
            Role.TEACHER: _teacher_in,
            Role.NURSE: is_added_staff,
        },
    ),
    Permission(
        "messaging.conversations.manage",
        "Add staff to, close and reopen a conversation",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: leads_childs_class},
    ),
    Permission(
        "messaging.office_hours.manage",
        "Set one's office hours and quick replies",
        frozenset({Role.TEACHER, Role.NURSE}),
    ),
)

PERMISSIONS = CONVERSATION_PERMISSIONS + (
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
    # A doctor's note is health information: not for subject teachers, nor for admins.
    Permission(
        "messaging.leave.notes.view",
        "See the photo of a doctor's note on a leave request",
        frozenset({Role.GUARDIAN, Role.TEACHER}),
        where={Role.GUARDIAN: _asked_for_own_child, Role.TEACHER: _decides},
    ),
    Permission(
        "messaging.leave.decide",
        "Approve or decline leave requests",
        frozenset({Role.TEACHER}),
        where={Role.TEACHER: _leads_this_class},
    ),
)

"""Permission keys of messaging, the roles that hold them, and where each role holds them."""

from __future__ import annotations

from contactbook.core.platform import Permission, Role
from contactbook.modules.messaging.services.conversation_members import (
    is_added_staff,
    is_guardian_in,
    leads_childs_class,
)


def _own_child(user, student) -> bool:
    return any(g.user_id == user.id for g in student.guardianships)


def _teacher_in(user, conversation) -> bool:
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
        where={Role.GUARDIAN: _own_child, Role.TEACHER: leads_childs_class},
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
PERMISSIONS = CONVERSATION_PERMISSIONS

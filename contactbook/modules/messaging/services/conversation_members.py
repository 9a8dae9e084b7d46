"""Who takes part in a conversation about a child, and which conversations a user may open.

The child's guardians and the homeroom teacher of the child's current class take part through
the directory, so a change of class or guardian needs no update here; subject teachers and the
nurse take part once the homeroom teacher adds them. A school admin may read (not write) every
conversation of their school. One rule, asked both per object and as a query.
"""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    Membership,
    SchoolYear,
    Student,
    User,
)
from contactbook.core.platform import Role
from contactbook.modules.messaging.models import Conversation, Participant

# Everything the rules below read of a conversation, in one statement instead of a lazy load
# per relationship: the conversation with its school, child, guardians, the child's classes with
# their years and teachers, and added staff. Rows multiply (guardians x classes x added staff),
# a handful for a child however long the conversation.
WITH_MEMBERS = (
    joinedload(Conversation.school),
    joinedload(Conversation.student).options(
        joinedload(Student.guardianships).joinedload(Guardianship.user),
        joinedload(Student.enrollments)
        .joinedload(Enrollment.classroom)
        .options(joinedload(Classroom.school_year), joinedload(Classroom.homeroom_teacher)),
    ),
    joinedload(Conversation.participants).joinedload(Participant.user),
)


class Side(enum.StrEnum):
    """How someone takes part, which is what others see of them (never a phone number)."""

    GUARDIAN = "guardian"
    HOMEROOM = "homeroom"
    STAFF = "staff"
    ADMIN = "admin"


def is_guardian_in(user: User, conversation: Conversation) -> bool:
    """A guardian of the conversation's child."""
    return any(g.user_id == user.id for g in conversation.student.guardianships)


def leads_childs_class(user: User, conversation: Conversation | Student) -> bool:
    """The homeroom teacher of the child's current class."""
    student = conversation.student if isinstance(conversation, Conversation) else conversation
    room = student.current_classroom
    return room is not None and room.homeroom_teacher_id == user.id


def is_added_staff(user: User, conversation: Conversation) -> bool:
    """A subject teacher or nurse the homeroom teacher added."""
    return any(p.user_id == user.id for p in conversation.participants)


def takes_part(user: User, conversation: Conversation) -> bool:
    """Writes and is told about new messages: guardians, homeroom teacher, added staff."""
    return side_of(user, conversation) in {Side.GUARDIAN, Side.HOMEROOM, Side.STAFF}


def side_of(user: User, conversation: Conversation) -> Side | None:
    """How the user takes part in the conversation, or None."""
    if is_guardian_in(user, conversation):
        return Side.GUARDIAN
    if leads_childs_class(user, conversation):
        return Side.HOMEROOM
    if is_added_staff(user, conversation):
        return Side.STAFF
    return None


def members_to_tell(conversation: Conversation) -> list[tuple[User, Side]]:
    """Everyone who hears of a new message, with how they take part."""
    found = [(g.user, Side.GUARDIAN) for g in conversation.student.guardianships]
    room = conversation.student.current_classroom
    if room is not None and room.homeroom_teacher is not None:
        found.append((room.homeroom_teacher, Side.HOMEROOM))
    found += [(p.user, Side.STAFF) for p in conversation.participants]
    seen: set[int] = set()
    return [(u, side) for u, side in found if not (u.id in seen or seen.add(u.id))]


def current_class_of(student_id: ColumnElement[int]) -> Select:
    """The class of the latest school year a student is enrolled in, as a scalar subquery."""
    return (
        select(Enrollment.classroom_id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .where(Enrollment.student_id == student_id)
        .order_by(SchoolYear.starts_on.desc())
        .limit(1)
    )


def part_condition(user: User) -> ColumnElement[bool]:
    """The SQL form of `takes_part`: what unread counts and the menu badge count."""
    own_child = exists().where(
        Guardianship.student_id == Conversation.student_id, Guardianship.user_id == user.id
    )
    # Correlated by name: the EXISTS around it would not pass the conversation down, and the
    # subquery would pick one class for every conversation.
    childs_class = current_class_of(Conversation.student_id).correlate(Conversation)
    leads = exists().where(
        and_(
            Classroom.id == childs_class.scalar_subquery(),
            Classroom.homeroom_teacher_id == user.id,
        )
    )
    added = exists().where(
        Participant.conversation_id == Conversation.id, Participant.user_id == user.id
    )
    return or_(own_child, leads, added)


def visible_condition(user: User) -> ColumnElement[bool]:
    """The SQL form of "may open this conversation", for lists and the one-statement poll."""
    admin_of = select(Membership.school_id).where(
        Membership.user_id == user.id, Membership.role == Role.SCHOOL_ADMIN
    )
    return or_(part_condition(user), Conversation.school_id.in_(admin_of))


def conversations_visible_to(user: User) -> Select:
    """Conversations the user takes part in, and every one of a school they administer."""
    return select(Conversation).where(visible_condition(user))

"""Conversations about a child: start, list, open (read marks, audited admin reads), manage.

A conversation is a record: it is never deleted. The homeroom teacher may close it (no new
messages) and reopen it, and bring in a subject teacher of the class or the school's nurse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Membership,
    Student,
    TeachingAssignment,
    User,
    access,
)
from contactbook.core.platform import Invalid, Role, atomic, audit, conflict_insert, utcnow
from contactbook.extensions import db
from contactbook.modules.messaging.models import (
    Conversation,
    Message,
    Participant,
    QuickReply,
    ReadMark,
)
from contactbook.modules.messaging.services.conversation_members import (
    WITH_MEMBERS,
    Side,
    conversations_visible_to,
    members_to_tell,
    part_condition,
    side_of,
)

AUDIT_ADMIN_READ = "messaging.conversation_read"
AUDIT_CLOSED = "messaging.conversation_closed"
AUDIT_REOPENED = "messaging.conversation_reopened"
AUDIT_STAFF_ADDED = "messaging.participant_added"


@dataclass(frozen=True)
class ConversationRow:
    """One line of the messaging page: whose child, how many unread, when last written."""

    conversation: Conversation
    unread: int
    last_message_at: datetime | None


def get_conversation(actor: User, conversation_id: int) -> Conversation:
    """Find a conversation the actor may open, with who takes part; any other looks missing."""
    return access.get_visible_or_404(
        conversations_visible_to(actor).options(*WITH_MEMBERS), Conversation, conversation_id
    )


def conversation_about(actor: User, student: Student) -> Conversation | None:
    """The conversation about a child, if one exists that the actor may read."""
    return db.session.scalar(
        conversations_visible_to(actor).where(Conversation.student_id == student.id)
    )


def start_conversation(actor: User, student: Student) -> Conversation:
    """Open the child's conversation, creating it the first time (one per child, ever)."""
    access.require(actor, "messaging.conversations.start", student)
    found = db.session.scalar(select(Conversation).where(Conversation.student_id == student.id))
    if found is not None:
        return found
    with atomic():
        conversation = Conversation(
            student_id=student.id, school_id=student.school_id, started_by_id=actor.id
        )
        db.session.add(conversation)
        db.session.flush()
        audit.record(
            actor, "messaging.conversation_started", conversation, school_id=student.school_id
        )
    return conversation


def conversations_of(actor: User) -> list[ConversationRow]:
    """The actor's conversations, newest first, with unread counts and children: one statement."""
    unread = (
        select(func.count(Message.id))
        .outerjoin(
            ReadMark,
            and_(ReadMark.conversation_id == Message.conversation_id, ReadMark.user_id == actor.id),
        )
        .where(
            Message.conversation_id == Conversation.id,
            Message.sender_id != actor.id,
            Message.id > func.coalesce(ReadMark.last_read_message_id, 0),
        )
        .scalar_subquery()
    )
    # A school admin reading along has nothing "unread": only participants count.
    unread = case((part_condition(actor), unread), else_=0)
    last_at = select(Message.created_at).where(Message.id == Conversation.last_message_id)
    rows = db.session.execute(
        conversations_visible_to(actor)
        .add_columns(unread, last_at.scalar_subquery())
        .options(joinedload(Conversation.student))
        .order_by(Conversation.last_message_id.desc(), Conversation.id.desc())
    )
    return [ConversationRow(c, count, at) for c, count, at in rows]


def open_conversation(actor: User, conversation: Conversation) -> list[Message]:
    """Every message, oldest first; marks them read, and records a school admin's reading."""
    access.require(actor, "messaging.conversations.view", conversation)
    with keeping_loaded():
        record_reading(actor, conversation)
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id)
            .options(joinedload(Message.sender), joinedload(Message.photo))
            .order_by(Message.id)
        )
    )


@contextmanager
def keeping_loaded() -> Iterator[None]:
    """Commit a reading without expiring what the request loaded.

    A reading changes the reader's mark (or adds an audit row) and nothing the page shows;
    expiring the conversation, its members and the signed-in user would read them all again.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        with atomic():
            yield
    finally:
        session.expire_on_commit = True


def record_reading(actor: User, conversation: Conversation) -> None:
    """Move the actor's read mark to the newest message; audit a reader who takes no part.

    One statement, whether the mark exists yet or not. Call it inside the caller's `atomic()`.
    """
    side = side_of(actor, conversation)
    if side is None:
        audit.record(
            actor,
            AUDIT_ADMIN_READ,
            conversation,
            school_id=conversation.school_id,
            after={"up_to_message_id": conversation.last_message_id},
        )
        return
    table = ReadMark.__table__
    statement = conflict_insert(table).values(
        conversation_id=conversation.id,
        user_id=actor.id,
        last_read_message_id=conversation.last_message_id,
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["conversation_id", "user_id"],
            set_={"last_read_message_id": statement.excluded.last_read_message_id},
            where=table.c.last_read_message_id < statement.excluded.last_read_message_id,
        )
    )


def set_closed(actor: User, conversation: Conversation, is_closed: bool) -> Conversation:
    """Close the conversation to new messages, or reopen it; it stays readable either way."""
    access.require(actor, "messaging.conversations.manage", conversation)
    if conversation.is_closed == is_closed:
        return conversation
    with atomic():
        conversation.closed_at = utcnow() if is_closed else None
        audit.record(
            actor,
            AUDIT_CLOSED if is_closed else AUDIT_REOPENED,
            conversation,
            school_id=conversation.school_id,
        )
    return conversation


def staff_who_may_join(conversation: Conversation) -> list[User]:
    """Subject teachers of the child's class and the school's nurses, not yet taking part."""
    return list(
        db.session.scalars(
            select(User).where(_may_join(conversation)).order_by(User.display_name, User.id)
        )
    )


def _may_join(conversation: Conversation) -> ColumnElement[bool]:
    """The SQL form of `staff_who_may_join`, for the list and for the page's teacher tools."""
    room = conversation.student.current_classroom
    teachers = (
        select(TeachingAssignment.teacher_id).where(TeachingAssignment.classroom_id == room.id)
        if room
        else select(TeachingAssignment.teacher_id).where(False)
    )
    nurses = select(Membership.user_id).where(
        Membership.school_id == conversation.school_id, Membership.role == Role.NURSE
    )
    taking_part = [user.id for user, _side in members_to_tell(conversation)]
    return and_(User.id.in_(teachers.union(nurses)), User.id.not_in(taking_part))


@dataclass(frozen=True)
class Choice:
    """A line of a teacher's tools on the page: a quick reply, or a person to bring in."""

    id: int
    text: str


def teacher_tools(
    actor: User, conversation: Conversation, replies: bool, joinable: bool
) -> tuple[list[Choice], list[Choice]]:
    """The actor's quick replies and the staff who may join, as asked, in one statement.

    A homeroom teacher's page shows both; one UNION ALL keeps the page within its budget.
    """
    parts = []
    if replies:
        parts.append(
            select(
                literal("reply").label("kind"),
                QuickReply.id.label("id"),
                QuickReply.body.label("text"),
                func.row_number().over(order_by=QuickReply.id).label("ordinal"),
            ).where(QuickReply.user_id == actor.id)
        )
    if joinable:
        parts.append(
            select(
                literal("staff"),
                User.id,
                User.display_name,
                func.row_number().over(order_by=(User.display_name, User.id)),
            ).where(_may_join(conversation))
        )
    found: dict[str, list[Choice]] = {"reply": [], "staff": []}
    if parts:
        ordered = union_all(*parts).order_by("kind", "ordinal")
        for kind, choice_id, text, _ordinal in db.session.execute(ordered):
            found[kind].append(Choice(choice_id, text))
    return found["reply"], found["staff"]


def add_staff(actor: User, conversation: Conversation, user_id: int) -> Participant:
    """Bring a subject teacher of the class or the school's nurse into the conversation."""
    access.require(actor, "messaging.conversations.manage", conversation)
    user = next((u for u in staff_who_may_join(conversation) if u.id == user_id), None)
    if user is None:
        raise Invalid(
            {"user_id": [_("Choose a subject teacher of this class or the school's nurse.")]}
        )
    with atomic():
        participant = Participant(
            conversation_id=conversation.id, user_id=user.id, added_by_id=actor.id
        )
        db.session.add(participant)
        db.session.flush()
        audit.record(
            actor,
            AUDIT_STAFF_ADDED,
            conversation,
            school_id=conversation.school_id,
            after={"user_id": user.id},
        )
    return participant


def may_write(actor: User, conversation: Conversation) -> bool:
    """Whether the page shows the message box: a participant, and the conversation open."""
    return not conversation.is_closed and side_of(actor, conversation) is not None


def may_manage(actor: User, conversation: Conversation) -> bool:
    """Whether the page shows close/reopen and "add staff": the homeroom teacher."""
    return side_of(actor, conversation) is Side.HOMEROOM


def writes_as_staff(actor: User, conversation: Conversation) -> bool:
    """Whether the page offers the actor's quick replies: a teacher or nurse taking part."""
    return side_of(actor, conversation) in {Side.HOMEROOM, Side.STAFF}

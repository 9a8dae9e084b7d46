"""Messages in a conversation: send (text, maybe a photo), ask for new ones, count unread.

Text is stored exactly as sent: any Unicode, NFC or NFD, emoji; pages escape it when shown.
Teachers hear of a family's message inside their office hours; families at once (quiet hours
aside, as core decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload

from contactbook.core.delivery import notify
from contactbook.core.directory import User, access
from contactbook.core.platform import Hidden, Invalid, Stamp, atomic
from contactbook.extensions import db
from contactbook.modules.messaging.models import Conversation, Message, ReadMark
from contactbook.modules.messaging.notifications import MESSAGE_RECEIVED
from contactbook.modules.messaging.services import uploads
from contactbook.modules.messaging.services.conversation_members import (
    WITH_MEMBERS,
    Side,
    members_to_tell,
    part_condition,
    side_of,
    visible_condition,
)
from contactbook.modules.messaging.services.conversations import keeping_loaded, record_reading
from contactbook.modules.messaging.services.office_hours import next_notice_at, notice_times

MAX_LENGTH = 4000
SIDE_NAMES = {
    Side.GUARDIAN: _l("Parent"),
    Side.HOMEROOM: _l("Homeroom teacher"),
    Side.STAFF: _l("School staff"),
}
STAFF_SIDES = {Side.HOMEROOM, Side.STAFF}


@dataclass(frozen=True)
class NewMessages:
    """The answer to "anything new?": messages after the asked id, and the conversation's state."""

    messages: list[Message]
    last_id: int
    is_closed: bool
    conversation: Conversation | None = None


def send_message(
    actor: User, conversation: Conversation, text: str, photo: IO[bytes] | None = None
) -> Message:
    """Store a message and tell the others; teachers outside office hours hear later."""
    access.require(actor, "messaging.messages.send", conversation)
    if conversation.is_closed:
        raise Invalid({"text": [_("This conversation is closed: no new messages can be sent.")]})
    if not text.strip():
        raise Invalid({"text": [_("Write a message.")]})
    if len(text) > MAX_LENGTH:
        raise Invalid(
            {"text": [_("A message has at most %(count)d characters.", count=MAX_LENGTH)]}
        )
    with atomic():
        stored = (
            uploads.save_upload(actor, photo, accept=uploads.IMAGES, field="photo")
            if photo
            else None
        )
        message = Message(
            conversation_id=conversation.id, sender_id=actor.id, body=text, photo=stored
        )
        db.session.add(message)
        db.session.flush()
        conversation.last_message_id = message.id
        _tell_others(actor, conversation)
    return message


def _tell_others(actor: User, conversation: Conversation) -> None:
    """Notify everyone else taking part, each teacher at the start of their office hours."""
    data = {
        "conversation_id": conversation.id,
        "student_name": conversation.student.full_name,
        "sender_name": actor.display_name,
    }
    others = [(user, side) for user, side in members_to_tell(conversation) if user.id != actor.id]
    due_of = notice_times(
        [user for user, side in others if side in STAFF_SIDES], conversation.school
    )
    groups: dict[datetime | None, list[User]] = {}
    for user, _side in others:
        groups.setdefault(due_of.get(user.id), []).append(user)
    for due, users in groups.items():
        notify(
            users,
            MESSAGE_RECEIVED,
            student_id=conversation.student_id,
            topic=f"messaging.conversation.{conversation.id}",
            not_before=due,
            **data,
        )


def conversation_stamp(conversation_id: int, **_args: Any) -> Stamp:
    """What an open page's poll is answered from: the last message and whether it is closed."""
    found = db.session.execute(
        select(Conversation.last_message_id, Conversation.closed_at).where(
            Conversation.id == conversation_id
        )
    ).first()
    return Stamp("none") if found is None else Stamp(f"{found[0]}:{found[1] is not None}")


def messages_after(actor: User, conversation_id: int, after: int) -> NewMessages:
    """Answer an open page's "anything new?" with the conversation, its members and what is new.

    A conversation the actor may not open is `Hidden`; new messages move the read mark.
    """
    conversation = db.session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id, visible_condition(actor))
        .options(*WITH_MEMBERS)
    )
    if conversation is None:
        raise Hidden()
    last_id, is_closed = conversation.last_message_id, conversation.is_closed
    if last_id <= after:
        return NewMessages([], last_id, is_closed)
    with keeping_loaded():
        record_reading(actor, conversation)
    messages = list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after)
            .options(joinedload(Message.sender), joinedload(Message.photo))
            .order_by(Message.id)
        )
    )
    return NewMessages(messages, last_id, is_closed, conversation)


def message_rows(actor: User, conversation: Conversation, messages: list[Message]) -> list[dict]:
    """Messages as pages and the API show them: sender's name and role, never a phone number."""
    zone = ZoneInfo(conversation.school.timezone)
    sides: dict[int, Side | None] = {}
    rows = []
    for message in messages:
        if message.sender_id not in sides:
            sides[message.sender_id] = side_of(message.sender, conversation)
        side = sides[message.sender_id]
        rows.append(
            {
                "id": message.id,
                "sender_name": message.sender.display_name,
                "sender_role": str(SIDE_NAMES[side]) if side else "",
                "is_mine": message.sender_id == actor.id,
                "body": message.body,
                "photo_url": url_for("messaging_conversations.photo", message_id=message.id)
                if message.photo_id
                else None,
                "sent_at": message.created_at,
                "sent_at_label": message.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
            }
        )
    return rows


def photo_of(actor: User, message_id: int) -> tuple[Message, Conversation]:
    """The message whose photo is asked for, if the actor may open its conversation."""
    found = db.session.execute(
        select(Message, Conversation)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id == message_id, Message.photo_id.is_not(None), visible_condition(actor))
    ).first()
    if found is None:
        raise Hidden()
    return found[0], found[1]


def unread_total(user: User) -> Select[tuple[int]]:
    """The menu badge's query: messages from others the user has not read, in one statement."""
    return (
        select(func.count(Message.id))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(
            ReadMark,
            and_(ReadMark.conversation_id == Conversation.id, ReadMark.user_id == user.id),
        )
        .where(
            part_condition(user),
            Message.sender_id != user.id,
            Message.id > func.coalesce(ReadMark.last_read_message_id, 0),
        )
    )


def teacher_notice(actor: User, conversation: Conversation) -> str | None:
    """What a guardian reads before sending when the homeroom teacher is outside office hours."""
    if side_of(actor, conversation) is not Side.GUARDIAN:
        return None
    teacher = next((u for u, side in members_to_tell(conversation) if side is Side.HOMEROOM), None)
    due = next_notice_at(teacher, conversation.school) if teacher else None
    if due is None:
        return None
    local = due.astimezone(ZoneInfo(conversation.school.timezone))
    return _(
        "The teacher will be notified at %(time)s on %(day)s.",
        time=local.strftime("%H:%M"),
        day=format_date(local.date(), "EEEE dd/MM/yyyy"),
    )

"""Quick replies: short answers a teacher saves once and sends again with one tap."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from contactbook.core.directory import School, User, access
from contactbook.core.platform import Hidden, Invalid, atomic
from contactbook.extensions import db
from contactbook.modules.messaging.models import QuickReply

MAX_LENGTH = 500
MAX_REPLIES = 30


def quick_replies_of(user: User) -> list[QuickReply]:
    """The user's saved replies, oldest first (the order they were saved in)."""
    return list(
        db.session.scalars(
            select(QuickReply).where(QuickReply.user_id == user.id).order_by(QuickReply.id)
        )
    )


def add_quick_reply(actor: User, school: School, text: str) -> QuickReply:
    """Save a reply for later (1..500 characters, at most 30 per teacher)."""
    access.require(actor, "messaging.office_hours.manage", school)
    if not text.strip():
        raise Invalid({"text": [_("Write the reply to save.")]})
    if len(text) > MAX_LENGTH:
        raise Invalid(
            {"text": [_("A quick reply has at most %(count)d characters.", count=MAX_LENGTH)]}
        )
    count = db.session.scalar(
        select(func.count(QuickReply.id)).where(QuickReply.user_id == actor.id)
    )
    if count >= MAX_REPLIES:
        raise Invalid(
            {"text": [_("You can keep at most %(count)d quick replies.", count=MAX_REPLIES)]}
        )
    with atomic():
        reply = QuickReply(user_id=actor.id, body=text)
        db.session.add(reply)
    return reply


def remove_quick_reply(actor: User, reply_id: int) -> None:
    """Forget one of the actor's own saved replies; another's looks missing."""
    reply = db.session.get(QuickReply, reply_id)
    if reply is None or reply.user_id != actor.id:
        raise Hidden()
    with atomic():
        db.session.delete(reply)

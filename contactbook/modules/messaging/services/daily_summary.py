"""Messaging's line in a family's daily summary: what reached them that day and is unread.

An announcement counts until the family opens it; a message in the conversation about their
child counts until they have read past it (the same read mark as the menu badge). Both go in
one item per guardian, found with one grouped query each, whatever the school's size.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, func, select

from contactbook.core.directory import Guardianship, School
from contactbook.extensions import db
from contactbook.modules.messaging.models import (
    Announcement,
    AnnouncementReceipt,
    Conversation,
    Message,
    ReadMark,
)


def summary_lines(school: School, day: date) -> dict[int, list[dict[str, Any]]]:
    """Guardian id -> one item counting the day's unread announcements and messages."""
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(school.timezone))
    end = start + timedelta(days=1)
    counts: dict[int, dict[str, Any]] = defaultdict(dict)
    for guardian_id, number in _unread_announcements(school, start, end):
        counts[guardian_id]["announcements"] = number
    for guardian_id, number in _unread_messages(school, start, end):
        counts[guardian_id]["messages"] = number
    return {guardian_id: [item] for guardian_id, item in counts.items()}


def _unread_announcements(school: School, start: datetime, end: datetime) -> list[Row]:
    """(guardian id, count) of the day's announcements to them they have not opened."""
    return db.session.execute(
        select(AnnouncementReceipt.guardian_id, func.count())
        .join(Announcement, Announcement.id == AnnouncementReceipt.announcement_id)
        .where(
            Announcement.school_id == school.id,
            Announcement.created_at >= start,
            Announcement.created_at < end,
            AnnouncementReceipt.read_at.is_(None),
        )
        .group_by(AnnouncementReceipt.guardian_id)
    ).all()


def _unread_messages(school: School, start: datetime, end: datetime) -> list[Row]:
    """(guardian id, count) of the day's messages from others about their own children that
    they have not read yet."""
    return db.session.execute(
        select(Guardianship.user_id, func.count(Message.id))
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Guardianship, Guardianship.student_id == Conversation.student_id)
        .outerjoin(
            ReadMark,
            and_(
                ReadMark.conversation_id == Conversation.id,
                ReadMark.user_id == Guardianship.user_id,
            ),
        )
        .where(
            Conversation.school_id == school.id,
            Message.created_at >= start,
            Message.created_at < end,
            Message.sender_id != Guardianship.user_id,
            Message.id > func.coalesce(ReadMark.last_read_message_id, 0),
        )
        .group_by(Guardianship.user_id)
    ).all()

"""Announcements over time: the reminder to acknowledge, the day before the deadline.

The reminder is claimed row by row with `UPDATE ... WHERE reminded_at IS NULL RETURNING`, so a
rerun, a restart or a second scheduler reminds each family once per announcement.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from contactbook.core.delivery import notify_each
from contactbook.core.directory import School, User
from contactbook.core.platform import atomic, utcnow
from contactbook.extensions import db
from contactbook.modules.messaging.models import Announcement, AnnouncementReceipt

REMINDER = "messaging.acknowledgement_reminder"
# Reminders go out from this local hour of the day before the deadline, never at night.
REMIND_FROM = time(7, 0)


def send_acknowledgement_reminders(now: datetime | None = None) -> int:
    """The scheduled job: remind families who have not acknowledged, the day before the
    deadline, once; return how many were reminded."""
    now = now or utcnow()
    reminded = 0
    for school in db.session.scalars(select(School).order_by(School.id)):
        local = now.astimezone(ZoneInfo(school.timezone))
        if local.time() < REMIND_FROM:
            continue
        reminded += _remind(school, local.date() + timedelta(days=1), now)
    return reminded


def _remind(school: School, deadline: date, now: datetime) -> int:
    due = (
        select(Announcement.id)
        .where(
            Announcement.school_id == school.id,
            Announcement.needs_acknowledgement.is_(True),
            Announcement.deadline == deadline,
        )
        .scalar_subquery()
    )
    with atomic():
        claimed = db.session.execute(
            update(AnnouncementReceipt)
            .where(
                AnnouncementReceipt.announcement_id.in_(due),
                AnnouncementReceipt.acknowledged_at.is_(None),
                AnnouncementReceipt.reminded_at.is_(None),
            )
            .values(reminded_at=now)
            .returning(AnnouncementReceipt.guardian_id, AnnouncementReceipt.announcement_id)
        ).all()
        if not claimed:
            return 0
        guardians = {
            user.id: user
            for user in db.session.scalars(
                select(User).where(User.id.in_({guardian for guardian, _id in claimed}))
            )
        }
        titles = dict(
            db.session.execute(
                select(Announcement.id, Announcement.title).where(
                    Announcement.id.in_({announcement for _guardian, announcement in claimed})
                )
            ).all()
        )
        notify_each(
            REMINDER,
            [
                (
                    guardians[guardian_id],
                    {
                        "announcement_id": announcement_id,
                        "title": titles[announcement_id],
                        "deadline": deadline.isoformat(),
                    },
                )
                for guardian_id, announcement_id in sorted(claimed)
            ],
        )
    return len(claimed)

"""Teachers' office hours: when news of a family's message may reach them.

Outside them a message is stored at once, but the teacher's notification is due at the start
of the next office hours: on a school day of the school (not a closed day), in its time zone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import ClosedDay, Membership, School, User, access
from contactbook.core.platform import Invalid, Role, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.messaging.models import OfficeHours

DEFAULT_START = time(7, 0)
DEFAULT_END = time(17, 0)
# Holidays such as Tết last two weeks at most; past this many days we stop looking.
LOOK_AHEAD_DAYS = 45


def hours_of(user: User) -> tuple[time, time]:
    """The teacher's office hours, or the default 07:00–17:00."""
    row = db.session.scalar(select(OfficeHours).where(OfficeHours.user_id == user.id))
    return (row.starts_at, row.ends_at) if row else (DEFAULT_START, DEFAULT_END)


def workplace_of(user: User) -> School | None:
    """The school where the user teaches or nurses: where their own settings are checked."""
    return db.session.scalar(
        select(School)
        .join(Membership, Membership.school_id == School.id)
        .where(Membership.user_id == user.id, Membership.role.in_([Role.TEACHER, Role.NURSE]))
        .order_by(School.id)
        .limit(1)
    )


def set_hours(actor: User, school: School, starts_at: time, ends_at: time) -> OfficeHours:
    """Save the actor's own office hours (the start must come before the end)."""
    access.require(actor, "messaging.office_hours.manage", school)
    if starts_at >= ends_at:
        raise Invalid({"ends_at": [_("The end must come after the start.")]})
    with atomic():
        row = db.session.scalar(select(OfficeHours).where(OfficeHours.user_id == actor.id))
        before = {"starts_at": str(row.starts_at), "ends_at": str(row.ends_at)} if row else None
        if row is None:
            row = OfficeHours(user_id=actor.id)
            db.session.add(row)
        row.starts_at, row.ends_at = starts_at, ends_at
        db.session.flush()
        audit.record(
            actor,
            "messaging.office_hours",
            row,
            school_id=school.id,
            before=before,
            after={"starts_at": str(starts_at), "ends_at": str(ends_at)},
        )
    return row


def next_notice_at(teacher: User, school: School, now: datetime | None = None) -> datetime | None:
    """When news may reach the teacher: None inside office hours, else the next start (UTC)."""
    starts_at, ends_at = hours_of(teacher)
    zone = ZoneInfo(school.timezone)
    local_now = (now or utcnow()).astimezone(zone)
    today = local_now.date()
    closed = set(
        db.session.scalars(
            select(ClosedDay.day).where(
                ClosedDay.school_id == school.id,
                ClosedDay.day >= today,
                ClosedDay.day <= today + timedelta(days=LOOK_AHEAD_DAYS),
            )
        )
    )
    for offset in range(LOOK_AHEAD_DAYS):
        day = today + timedelta(days=offset)
        if not school.teaches_on(day) or day in closed:
            continue
        start = datetime.combine(day, starts_at, tzinfo=zone)
        if local_now < start:
            return start.astimezone(ZoneInfo("UTC"))
        if local_now < datetime.combine(day, ends_at, tzinfo=zone):
            return None
    return None

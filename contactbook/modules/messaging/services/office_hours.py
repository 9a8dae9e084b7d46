"""Teachers' office hours: when news of a family's message may reach them.

Outside them a message is stored at once, but the teacher's notification is due at the start
of the next office hours: on a school day of the school (not a closed day), in its time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Date, Integer, Time, cast, null, select, union_all

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
    return notice_times([teacher], school, now)[teacher.id]


def notice_times(
    teachers: list[User], school: School, now: datetime | None = None
) -> dict[int, datetime | None]:
    """`next_notice_at` for several teachers of one school, by user id, in one statement."""
    if not teachers:
        return {}
    zone = ZoneInfo(school.timezone)
    local_now = (now or utcnow()).astimezone(zone)
    today = local_now.date()
    hours, closed = _hours_and_closed_days([t.id for t in teachers], school, today)
    ahead = (today + timedelta(days=offset) for offset in range(LOOK_AHEAD_DAYS))
    school_days = [day for day in ahead if school.teaches_on(day) and day not in closed]
    return {
        teacher.id: _next_start(
            local_now, school_days, *hours.get(teacher.id, (DEFAULT_START, DEFAULT_END))
        )
        for teacher in teachers
    }


def _hours_and_closed_days(
    teacher_ids: list[int], school: School, today: date
) -> tuple[dict[int, tuple[time, time]], set[date]]:
    """The teachers' own hours and the school's closed days ahead, read together.

    One UNION ALL rather than two queries: a family opening a conversation asks both.
    """
    hours = select(
        OfficeHours.user_id,
        OfficeHours.starts_at,
        OfficeHours.ends_at,
        cast(null(), Date).label("day"),
    ).where(OfficeHours.user_id.in_(teacher_ids))
    closed_days = select(
        cast(null(), Integer), cast(null(), Time), cast(null(), Time), ClosedDay.day
    ).where(
        ClosedDay.school_id == school.id,
        ClosedDay.day >= today,
        ClosedDay.day <= today + timedelta(days=LOOK_AHEAD_DAYS),
    )
    found: dict[int, tuple[time, time]] = {}
    closed: set[date] = set()
    for user_id, starts_at, ends_at, day in db.session.execute(union_all(hours, closed_days)):
        if day is None:
            found[user_id] = (starts_at, ends_at)
        else:
            closed.add(day)
    return found, closed


def _next_start(
    local_now: datetime, school_days: list[date], starts_at: time, ends_at: time
) -> datetime | None:
    """None inside these hours on a school day, else the next start (UTC), if one is near."""
    for day in school_days:
        start = datetime.combine(day, starts_at, tzinfo=local_now.tzinfo)
        if local_now < start:
            return start.astimezone(ZoneInfo("UTC"))
        if local_now < datetime.combine(day, ends_at, tzinfo=local_now.tzinfo):
            return None
    return None

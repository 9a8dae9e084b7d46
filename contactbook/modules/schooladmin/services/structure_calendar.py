"""The school's week and its closed days (holidays, Tết, storm days): when there is no school."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import ClosedDay, School, User, access
from contactbook.core.platform import Invalid, atomic, audit
from contactbook.extensions import db

MANAGE = "schooladmin.school.manage"


def closed_days_of(school: School) -> list[ClosedDay]:
    """The school's closed days in date order."""
    return list(
        db.session.scalars(
            select(ClosedDay).where(ClosedDay.school_id == school.id).order_by(ClosedDay.day)
        )
    )


def set_school_days(actor: User, school: School, weekdays: Iterable[int]) -> None:
    """Choose the days of the week with lessons (ISO: 1 is Monday); at least one."""
    access.require(actor, MANAGE, school)
    days = "".join(str(day) for day in sorted(set(weekdays)))
    if not days:
        raise Invalid({"weekdays": [_("Choose at least one day.")]})
    with atomic():
        before = {"school_days": school.school_days}
        school.school_days = days
        audit.record(
            actor,
            "schooladmin.school_days",
            school,
            school_id=school.id,
            before=before,
            after={"school_days": days},
        )


def add_closed_days(
    actor: User, school: School, first: date, last: date | None, reason: str
) -> list[ClosedDay]:
    """Close the school from `first` to `last` (one day when no last): Tết takes a week or two.

    Days already closed keep their reason; a stretch longer than 31 days is refused.
    """
    access.require(actor, MANAGE, school)
    last = last or first
    if last < first:
        raise Invalid({"last": [_("The last day comes before the first.")]})
    if (last - first).days >= 31:
        raise Invalid({"last": [_("Close at most 31 days at once.")]})
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    with atomic():
        known = set(
            db.session.scalars(
                select(ClosedDay.day).where(
                    ClosedDay.school_id == school.id, ClosedDay.day.in_(days)
                )
            )
        )
        added = [
            ClosedDay(school_id=school.id, day=day, reason=reason)
            for day in days
            if day not in known
        ]
        if not added:
            raise Invalid({"first": [_("The school is already closed on these days.")]})
        db.session.add_all(added)
        db.session.flush()
        for row in added:
            audit.record(
                actor,
                "schooladmin.day_closed",
                row,
                school_id=school.id,
                after={"day": row.day.isoformat(), "reason": reason},
            )
    return added


def reopen_day(actor: User, closed_day: ClosedDay) -> None:
    """Take back a closed day entered by mistake: the day becomes a school day again."""
    school = db.session.get(School, closed_day.school_id)
    access.require(actor, MANAGE, school)
    with atomic():
        audit.record(
            actor,
            "schooladmin.day_reopened",
            closed_day,
            school_id=school.id,
            before={"day": closed_day.day.isoformat(), "reason": closed_day.reason},
        )
        db.session.delete(closed_day)

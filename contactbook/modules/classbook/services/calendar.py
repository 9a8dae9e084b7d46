"""Which days take entries: school days inside an open term, never in the future."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from contactbook.core.directory import Classroom, ClosedDay, Term
from contactbook.core.platform import Invalid
from contactbook.extensions import db


def term_on(classroom: Classroom, day: date) -> Term | None:
    """The term of the class's school year that `day` falls in; None between terms.

    Read from the year's terms (a handful, loaded once with the class on its pages), so the
    many questions a page asks about days cost no query each.
    """
    return next(
        (term for term in classroom.school_year.terms if term.starts_on <= day <= term.ends_on),
        None,
    )


def require_school_day(classroom: Classroom, day: date, field: str = "day") -> Term:
    """Return the open term of a school day the class may be marked on, or refuse with why."""
    reason = no_lessons_reason(classroom, day)
    if reason is not None:
        raise Invalid({field: [reason]})
    term = term_on(classroom, day)
    require_open(term, field)
    return term


def no_lessons_reason(classroom: Classroom, day: date) -> str | None:
    """Why the class has no lessons to mark on `day`, in words; None on a school day.

    Entry pages say this instead of showing a sheet no save would be taken for.
    """
    school = classroom.school
    if day > school.today():
        return _("This date is in the future.")
    if not school.teaches_on(day):
        return _("There are no lessons on this day of the week.")
    if any(closed.day == day for closed in classroom.school_year.closed_days):
        return _("The school is closed on this day.")
    if term_on(classroom, day) is None:
        return _("This date is outside the terms of the school year.")
    return None


def is_closed(school_id: int, day: date) -> bool:
    """Whether the school marked `day` closed: no entries then, and no daily summary."""
    return bool(
        db.session.scalar(
            select(ClosedDay.id).where(ClosedDay.school_id == school_id, ClosedDay.day == day)
        )
    )


def require_open(term: Term, field: str = "term_id") -> None:
    """Refuse an entry in a closed term, as an error on `field`: closed terms are read-only."""
    if term.is_closed:
        raise Invalid({field: [_("This term is closed; ask the school admin to reopen it.")]})

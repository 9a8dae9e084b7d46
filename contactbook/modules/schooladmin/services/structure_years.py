"""School years and their two terms: dates in order, and closing a term once it is done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import Classroom, School, SchoolYear, Term, TermKind, User, access
from contactbook.core.platform import Invalid, TermGap, atomic, audit, term_close_gaps
from contactbook.extensions import db

MANAGE = "schooladmin.school.manage"


@dataclass(frozen=True)
class Dates:
    """A stretch of days, first and last included."""

    starts_on: date
    ends_on: date


def require_manager(actor: User, obj: School | Term | Classroom) -> None:
    """Refuse (403) whoever does not run the object's school, before other ids are looked up.

    A teacher of the school then hears "not allowed" rather than about a missing teacher id.
    """
    access.require(actor, MANAGE, obj)


# Options for finding the school with its years (and their terms) in the same statement.
WITH_YEARS = joinedload(School.school_years)
WITH_YEARS_AND_TERMS = joinedload(School.school_years).joinedload(SchoolYear.terms)


def loaded_years_of(school: School) -> list[SchoolYear]:
    """The school's years found with it (`WITH_YEARS`), the latest first: the one being set up
    is on top."""
    return sorted(school.school_years, key=lambda year: year.starts_on, reverse=True)


def create_year(
    actor: User, school: School, name: str, year: Dates, hk1: Dates, hk2: Dates
) -> SchoolYear:
    """Open a school year with its semesters I and II, their dates checked together."""
    access.require(actor, MANAGE, school)
    _check_dates(year, hk1, hk2)
    with atomic():
        taken = db.session.scalar(
            select(SchoolYear.id).where(SchoolYear.school_id == school.id, SchoolYear.name == name)
        )
        if taken is not None:
            raise Invalid({"name": [_("This school already has a year of that name.")]})
        created = SchoolYear(
            school_id=school.id, name=name, starts_on=year.starts_on, ends_on=year.ends_on
        )
        created.terms = [
            Term(kind=TermKind.HK1, starts_on=hk1.starts_on, ends_on=hk1.ends_on),
            Term(kind=TermKind.HK2, starts_on=hk2.starts_on, ends_on=hk2.ends_on),
        ]
        db.session.add(created)
        db.session.flush()
        audit.record(
            actor, "schooladmin.year_created", created, school_id=school.id, after=_state(created)
        )
    return created


def set_year_dates(actor: User, year: SchoolYear, whole: Dates, hk1: Dates, hk2: Dates) -> None:
    """Move a year's and its terms' dates (a province sets them late, or a storm moves them)."""
    access.require(actor, MANAGE, year.school)
    _check_dates(whole, hk1, hk2)
    with atomic():
        before = _state(year)
        year.starts_on, year.ends_on = whole.starts_on, whole.ends_on
        for term, dates in zip(_terms(year), (hk1, hk2), strict=True):
            term.starts_on, term.ends_on = dates.starts_on, dates.ends_on
        audit.record(
            actor,
            "schooladmin.year_dates",
            year,
            school_id=year.school_id,
            before=before,
            after=_state(year),
        )


def gaps_before_closing(term: Term) -> list[TermGap]:
    """What the modules still miss in the term: the warning shown before it closes."""
    return term_close_gaps(term)


def set_term_closed(actor: User, term: Term, is_closed: bool, confirm_gaps: bool = False) -> Term:
    """Close a term (its records become read-only for teachers) or reopen it; audited.

    Closing while grade columns are still missing needs `confirm_gaps`: the admin has been
    shown the list and closes anyway.
    """
    access.require(actor, MANAGE, term)
    with atomic():
        if is_closed and not term.is_closed and not confirm_gaps:
            missing = len(gaps_before_closing(term))
            if missing:
                message = ngettext(
                    "%(num)d grade column is still missing; confirm to close the term anyway.",
                    "%(num)d grade columns are still missing; confirm to close the term anyway.",
                    missing,
                )
                raise Invalid({"confirm_gaps": [message]})
        before = {"is_closed": term.is_closed}
        term.is_closed = is_closed
        audit.record(
            actor,
            "schooladmin.term_closed" if is_closed else "schooladmin.term_reopened",
            term,
            school_id=term.school_year.school_id,
            before=before,
            after={"is_closed": is_closed},
        )
    return term


def _terms(year: SchoolYear) -> list[Term]:
    return sorted(year.terms, key=lambda term: term.kind != TermKind.HK1)


def _check_dates(year: Dates, hk1: Dates, hk2: Dates) -> None:
    """Terms in order, inside the year, each ending after it starts: every problem at once."""
    errors: dict[str, list[str]] = {}
    for field, dates in (("ends_on", year), ("hk1.ends_on", hk1), ("hk2.ends_on", hk2)):
        if dates.ends_on < dates.starts_on:
            errors[field] = [_("The end comes before the start.")]
    if hk1.starts_on < year.starts_on:
        errors["hk1.starts_on"] = [_("Semester I starts before the school year.")]
    if hk2.starts_on <= hk1.ends_on:
        errors["hk2.starts_on"] = [_("Semester II must start after semester I ends.")]
    if hk2.ends_on > year.ends_on:
        errors.setdefault("hk2.ends_on", []).append(_("Semester II ends after the school year."))
    if errors:
        raise Invalid(errors)


def _state(year: SchoolYear) -> dict:
    return {
        "name": year.name,
        "starts_on": year.starts_on.isoformat(),
        "ends_on": year.ends_on.isoformat(),
        "terms": {
            str(term.kind): [term.starts_on.isoformat(), term.ends_on.isoformat()]
            for term in _terms(year)
        },
    }

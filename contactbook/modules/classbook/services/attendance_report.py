"""A child's attendance as the family reads it: counts, days absent against the limit, calendar."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from contactbook.core.directory import Classroom, SchoolYear, Student
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, AttendanceStatus
from contactbook.modules.classbook.rules import ruleset_of

# How a calendar day is coloured when its sessions differ: the most serious mark shows.
SEVERITY = (AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)


@dataclass(frozen=True)
class CalendarMonth:
    """One month of the attendance calendar.

    `weeks` are Monday-first rows of (day, worst mark), None outside the month; `days` lists the
    month's marked days, newest first, with every session's mark and note; `counts` adds the
    month's marks up by status, so a folded month can say what it holds.
    """

    year: int
    month: int
    weeks: list[list[tuple[date | None, str | None]]]
    days: list[tuple[date, list[AttendanceMark]]]
    counts: dict[str, int]


@dataclass
class AttendanceSummary:
    """A child's attendance for the family: counts, days absent against the limit, the calendar."""

    term_counts: dict[str, int]
    year_counts: dict[str, int]
    absent_days: int
    limit_days: int
    is_near_limit: bool
    months: list[CalendarMonth] = field(default_factory=list)


def _calendar(
    starts_on: date, until: date, by_day: dict[date, list[AttendanceMark]]
) -> list[CalendarMonth]:
    """Month grids (Monday first) from the start of the year to `until`, newest month first."""
    months = []
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (until.year, until.month):
        weeks = [
            [
                (day, _worst(by_day.get(day, ()))) if day.month == month else (None, None)
                for day in week
            ]
            for week in calendar.Calendar().monthdatescalendar(year, month)
        ]
        days = [
            (day, by_day[day])
            for day in sorted(by_day, reverse=True)
            if (day.year, day.month) == (year, month)
        ]
        counts: dict[str, int] = defaultdict(int)
        for _day, marks in days:
            for mark in marks:
                counts[mark.status] += 1
        months.append(CalendarMonth(year, month, weeks, days, dict(counts)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[::-1]


def _worst(marks: Iterable[AttendanceMark]) -> str | None:
    statuses = [mark.status for mark in marks if mark.status in SEVERITY]
    return max(statuses, key=SEVERITY.index) if statuses else None


def year_absences(student: Student, year: SchoolYear) -> list[AttendanceMark]:
    """The child's absence and late marks of the school year, in day order."""
    return list(
        db.session.scalars(
            select(AttendanceMark)
            .where(
                AttendanceMark.student_id == student.id,
                AttendanceMark.day >= year.starts_on,
                AttendanceMark.day <= year.ends_on,
                AttendanceMark.status != AttendanceStatus.PRESENT,
            )
            .order_by(AttendanceMark.day)
        )
    )


def attendance_summary(
    student: Student,
    classroom: Classroom,
    today: date,
    marks: Sequence[AttendanceMark] | None = None,
) -> AttendanceSummary:
    """Counts of P / K / late for this term and the year, and the days absent so far.

    `marks` are the child's absence and late marks of the year, in day order, when the page has
    read them already (the child page reads them with its timeline); otherwise they are read.
    """
    year = classroom.school_year
    rules = ruleset_of(year)
    if marks is None:
        marks = year_absences(student, year)
    term = next((t for t in year.terms if t.starts_on <= today <= t.ends_on), None)
    year_counts: dict[str, int] = defaultdict(int)
    term_counts: dict[str, int] = defaultdict(int)
    by_day: dict[date, list[AttendanceMark]] = defaultdict(list)
    for mark in marks:
        year_counts[mark.status] += 1
        if term and term.starts_on <= mark.day <= term.ends_on:
            term_counts[mark.status] += 1
        by_day[mark.day].append(mark)
    # A day counts once however many of its sessions were missed (Circular 22 Art. 12: verify).
    absent_days = len({m.day for m in marks if m.status is not AttendanceStatus.LATE})
    return AttendanceSummary(
        term_counts=dict(term_counts),
        year_counts=dict(year_counts),
        absent_days=absent_days,
        limit_days=rules.absence_limit_days,
        is_near_limit=absent_days >= rules.absence_warning_days,
        months=_calendar(year.starts_on, min(today, year.ends_on), by_day),
    )

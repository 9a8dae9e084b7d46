"""What a school day brought each family: the lines a daily summary is made of.

One set-based pass per school and day (absences, grades entered or corrected, health notes,
comments), so a district of families costs a few queries, not one per pupil.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    School,
    SchoolYear,
    Student,
    Subject,
    Term,
)
from contactbook.core.platform import module_hooks
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    Comment,
    Grade,
    HealthNote,
)
from contactbook.modules.classbook.services.calendar import is_closed


def is_summary_day(school: School, day: date) -> bool:
    """A day of lessons, inside a term, not marked closed."""
    if not school.teaches_on(day) or is_closed(school.id, day):
        return False
    return bool(
        db.session.scalar(
            select(Term.id)
            .join(SchoolYear, Term.school_year_id == SchoolYear.id)
            .where(SchoolYear.school_id == school.id, Term.starts_on <= day, Term.ends_on >= day)
        )
    )


def _day_bounds(school: School, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(school.timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _children(school: School, day: date) -> dict[int, dict[str, Any]]:
    """Pupils of the school that day: id -> name, class and guardians (one query)."""
    rows = db.session.execute(
        select(Student.id, Student.given_name, Classroom.name, Guardianship.user_id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .join(Guardianship, Guardianship.student_id == Student.id)
        .where(SchoolYear.school_id == school.id)
        .where(SchoolYear.starts_on <= day, SchoolYear.ends_on >= day)
    )
    children: dict[int, dict[str, Any]] = {}
    for student_id, name, classroom, guardian_id in rows:
        child = children.setdefault(
            student_id, {"name": name, "classroom": classroom, "guardians": set()}
        )
        child["guardians"].add(guardian_id)
    return children


def _news(school: School, day: date) -> dict[int, dict[str, Any]]:
    """The day's records per pupil, one query per kind of record."""
    start, end = _day_bounds(school, day)
    news: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "absent": [],
            "late": [],
            "grades": [],
            "corrected": [],
            "notes": 0,
            "urgent": 0,
            "praise": 0,
            "concern": 0,
        }
    )
    at_school = Student.school_id == school.id
    for student_id, session, status in db.session.execute(
        select(AttendanceMark.student_id, AttendanceMark.session, AttendanceMark.status)
        .join(Student, Student.id == AttendanceMark.student_id)
        .where(at_school, AttendanceMark.day == day)
        .where(AttendanceMark.status != AttendanceStatus.PRESENT)
    ):
        key = "late" if status is AttendanceStatus.LATE else "absent"
        news[student_id][key].append([str(session), str(status)])
    for student_id, subject, tenths, rating, created_at in db.session.execute(
        select(Grade.student_id, Subject.name, Grade.score_tenths, Grade.rating, Grade.created_at)
        .join(Subject, Subject.id == Grade.subject_id)
        .where(Subject.school_id == school.id)
        .where(and_(Grade.updated_at >= start, Grade.updated_at < end))
        .order_by(Grade.updated_at, Grade.id)
    ):
        # Entered on an earlier day and changed today: the family hears of a correction.
        key = "corrected" if created_at < start else "grades"
        news[student_id][key].append([subject, tenths, rating])
    for student_id, urgent in db.session.execute(
        select(HealthNote.student_id, HealthNote.is_urgent)
        .join(Student, Student.id == HealthNote.student_id)
        .where(at_school, HealthNote.created_at >= start, HealthNote.created_at < end)
    ):
        news[student_id]["notes"] += 1
        news[student_id]["urgent"] += int(urgent)
    for student_id, kind in db.session.execute(
        select(Comment.student_id, Comment.kind)
        .join(Student, Student.id == Comment.student_id)
        .where(at_school, Comment.created_at >= start, Comment.created_at < end)
        .where(Comment.withdrawn_at.is_(None))
    ):
        news[student_id][str(kind)] += 1
    return news


def has_news(line: dict[str, Any]) -> bool:
    """Whether a line says anything: "no news, no message" unless the school asks.

    Other modules give lines only when they have something to say.
    """
    if module_hooks.is_module_line(line):
        return True
    keys = ("absent", "late", "grades", "corrected", "notes", "praise", "concern")
    return any(line[key] for key in keys)


def summaries_for(school: School, day: date) -> dict[int, list[dict[str, Any]]]:
    """Guardian id -> one line per child at this school (empty news included), then the
    lines other modules add for the family (unread announcements and messages)."""
    children, news = _children(school, day), _news(school, day)
    by_guardian: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for student_id, child in sorted(children.items(), key=lambda item: item[1]["name"]):
        line = {"student_id": student_id, "name": child["name"], "classroom": child["classroom"]}
        line |= news.get(student_id) or news.default_factory()
        for guardian_id in child["guardians"]:
            by_guardian[guardian_id].append(line)
    for guardian_id, lines in module_hooks.summary_lines(school, day).items():
        if guardian_id in by_guardian:
            by_guardian[guardian_id] += lines
    return by_guardian

"""School administration's own reports: how news reaches families, and whether they read it.

Computed from core's public models (users, guardianships, push subscriptions, notifications,
deliveries), per class, for the classes of the school years the date range touches.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from contactbook.core.delivery import Delivery, DeliveryStatus, Notification, PushSubscription
from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    School,
    SchoolYear,
    Student,
    User,
)
from contactbook.core.platform import Report, ReportChart, ReportTable, percent
from contactbook.extensions import db


def _classes(school: School, start: date, end: date) -> dict[str, tuple[set[int], set[int]]]:
    """Class name -> (its current pupils' ids, their guardians' user ids)."""
    rows = db.session.execute(
        select(Classroom.name, Enrollment.student_id, Guardianship.user_id)
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(Student, Enrollment.student_id == Student.id)
        .outerjoin(Guardianship, Guardianship.student_id == Student.id)
        .where(SchoolYear.school_id == school.id, Classroom.archived_at.is_(None))
        .where(SchoolYear.starts_on <= end, SchoolYear.ends_on >= start)
        .where(Student.archived_at.is_(None))
    )
    found: dict[str, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for name, student_id, user_id in rows:
        found[name][0].add(student_id)
        if user_id is not None:
            found[name][1].add(user_id)
    return dict(sorted(found.items(), key=lambda item: (_grade(item[0]), item[0])))


def _grade(name: str) -> int:
    digits = "".join(char for char in name if char.isdigit())
    return int(digits or 0)


def _window(school: School, start: date, end: date) -> tuple[datetime, datetime]:
    """The range's days at the school, from the first midnight to the one after the last day."""
    zone = ZoneInfo(school.timezone)
    return (
        datetime.combine(start, time(), zone),
        datetime.combine(end + timedelta(days=1), time(), zone),
    )


def _news(school: School, start: date, end: date, pupils: set[int], families: set[int]):
    """Notifications sent in the range to these families about these pupils."""
    since, until = _window(school, start, end)
    return (
        select(Notification.id)
        .where(Notification.user_id.in_(families), Notification.student_id.in_(pupils))
        .where(Notification.created_at >= since, Notification.created_at < until)
    )


def notification_reach(school: School, start: date, end: date) -> ReportTable:
    """Per class: families a push can reach, those only email reaches, those nothing reaches;
    and of the range's deliveries, how many arrived and how many died after every retry."""
    rows = []
    for name, (pupils, families) in _classes(school, start, end).items():
        pushed = set(
            db.session.scalars(
                select(PushSubscription.user_id).where(PushSubscription.user_id.in_(families))
            )
        )
        emailed = set(
            db.session.scalars(
                select(User.id).where(User.id.in_(families - pushed), func.length(User.email) > 0)
            )
        )
        statuses = dict(
            db.session.execute(
                select(Delivery.status, func.count(Delivery.id))
                .where(Delivery.notification_id.in_(_news(school, start, end, pupils, families)))
                .group_by(Delivery.status)
            ).all()
        )
        delivered = statuses.get(DeliveryStatus.DELIVERED, 0)
        dead = statuses.get(DeliveryStatus.DEAD, 0)
        rows.append(
            (
                name,
                len(families),
                len(pushed),
                len(emailed),
                len(families) - len(pushed) - len(emailed),
                delivered,
                dead,
                percent(delivered, delivered + dead),
            )
        )
    return ReportTable(
        (
            _("Class"),
            _("Families"),
            _("With push"),
            _("Email only"),
            _("Nothing"),
            _("Delivered"),
            _("Failed for good"),
            _("Delivered (%)"),
        ),
        rows,
        ReportChart(label_columns=(0,), value_column=7),
    )


def parent_engagement(school: School, start: date, end: date) -> ReportTable:
    """Per class: the share of families who joined (set a password), and the share of the
    range's notifications (daily summaries among them) that families opened."""
    rows = []
    for name, (pupils, families) in _classes(school, start, end).items():
        joined = db.session.scalar(
            select(func.count(User.id)).where(
                User.id.in_(families), User.password_hash.is_not(None)
            )
        )
        news = _news(school, start, end, pupils, families).subquery()
        sent, read = db.session.execute(
            select(func.count(Notification.id), func.count(Notification.read_at)).where(
                Notification.id.in_(select(news.c.id))
            )
        ).one()
        rows.append(
            (name, len(families), joined, percent(joined, len(families)), sent, read)
            + (percent(read, sent),)
        )
    return ReportTable(
        (
            _("Class"),
            _("Families"),
            _("Joined"),
            _("Joined (%)"),
            _("Notifications"),
            _("Read"),
            _("Read (%)"),
        ),
        rows,
        ReportChart(label_columns=(0,), value_column=3),
    )


REPORTS = (
    Report("schooladmin.notification_reach", _l("Notification reach"), notification_reach),
    Report("schooladmin.parent_engagement", _l("Parent engagement"), parent_engagement),
)

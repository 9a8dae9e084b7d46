"""School administration's own reports: how news reaches families, and whether they read it.

Computed from core's public models (users, guardianships, push subscriptions, notifications,
deliveries), per class, for the classes of the school years the date range touches. Each report
reads two statements however large the school: the classes with their families, and the range's
news counted per family and pupil.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

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


@dataclass
class ClassFamilies:
    """One class's current pupils and their families, with what reaches each family."""

    pupils: set[int] = field(default_factory=set)
    families: set[int] = field(default_factory=set)
    pushed: set[int] = field(default_factory=set)
    emailed: set[int] = field(default_factory=set)
    joined: set[int] = field(default_factory=set)

    def count(self, per_family_and_pupil: Counter, key: object = None) -> int:
        """Sum figures kept per (family, pupil[, key]) over this class's families and pupils."""
        return sum(
            number
            for (user_id, student_id, *rest), number in per_family_and_pupil.items()
            if user_id in self.families
            and student_id in self.pupils
            and (key is None or rest == [key])
        )


def _classes(school: School, start: date, end: date) -> dict[str, ClassFamilies]:
    """Class name -> its pupils and families, in one statement."""
    has_push = exists().where(PushSubscription.user_id == User.id)
    rows = db.session.execute(
        select(
            Classroom.name,
            Enrollment.student_id,
            Guardianship.user_id,
            has_push,
            func.length(User.email) > 0,
            User.password_hash.is_not(None),
        )
        .join(SchoolYear, Classroom.school_year_id == SchoolYear.id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(Student, Enrollment.student_id == Student.id)
        .outerjoin(Guardianship, Guardianship.student_id == Student.id)
        .outerjoin(User, User.id == Guardianship.user_id)
        .where(SchoolYear.school_id == school.id, Classroom.archived_at.is_(None))
        .where(SchoolYear.starts_on <= end, SchoolYear.ends_on >= start)
        .where(Student.archived_at.is_(None))
    )
    found: dict[str, ClassFamilies] = defaultdict(ClassFamilies)
    for name, student_id, user_id, pushed, emailed, joined in rows:
        room = found[name]
        room.pupils.add(student_id)
        if user_id is None:
            continue
        room.families.add(user_id)
        if pushed:
            room.pushed.add(user_id)
        elif emailed:
            room.emailed.add(user_id)
        if joined:
            room.joined.add(user_id)
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


def _news(school: School, start: date, end: date, *columns):
    """The range's notifications about the school's pupils, selecting `columns`."""
    since, until = _window(school, start, end)
    return (
        select(Notification.user_id, Notification.student_id, *columns)
        .join(Student, Notification.student_id == Student.id)
        .where(Student.school_id == school.id)
        .where(Notification.created_at >= since, Notification.created_at < until)
    )


def notification_reach(school: School, start: date, end: date) -> ReportTable:
    """Per class: families a push can reach, those only email reaches, those nothing reaches;
    and of the range's deliveries, how many arrived and how many died after every retry."""
    classes = _classes(school, start, end)
    deliveries = Counter(
        {
            (user_id, student_id, status): number
            for user_id, student_id, status, number in db.session.execute(
                _news(school, start, end, Delivery.status, func.count(Delivery.id))
                .join(Delivery, Delivery.notification_id == Notification.id)
                .where(Delivery.status.in_((DeliveryStatus.DELIVERED, DeliveryStatus.DEAD)))
                .group_by(Notification.user_id, Notification.student_id, Delivery.status)
            )
        }
    )
    rows = []
    for name, room in classes.items():
        delivered = room.count(deliveries, DeliveryStatus.DELIVERED)
        dead = room.count(deliveries, DeliveryStatus.DEAD)
        rows.append(
            (
                name,
                len(room.families),
                len(room.pushed),
                len(room.emailed),
                len(room.families) - len(room.pushed) - len(room.emailed),
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
    classes = _classes(school, start, end)
    sent_to: Counter = Counter()
    read_by: Counter = Counter()
    for user_id, student_id, sent, read in db.session.execute(
        _news(
            school, start, end, func.count(Notification.id), func.count(Notification.read_at)
        ).group_by(Notification.user_id, Notification.student_id)
    ):
        sent_to[user_id, student_id] = sent
        read_by[user_id, student_id] = read
    rows = []
    for name, room in classes.items():
        families, joined = len(room.families), len(room.joined)
        sent, read = room.count(sent_to), room.count(read_by)
        rows.append(
            (name, families, joined, percent(joined, families), sent, read, percent(read, sent))
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

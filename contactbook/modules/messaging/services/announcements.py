"""Announcements: posted to a class, a school or grade levels; families read and acknowledge.

Posting fixes the audience: one receipt row per guardian of a pupil in it, written with the
families' notifications in one transaction, in a few set-based statements whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import Select, insert, or_, select

from contactbook.core.delivery import notify
from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    School,
    SchoolYear,
    Student,
    User,
    access,
)
from contactbook.core.platform import Invalid, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.messaging.models import Announcement, AnnouncementReceipt, Audience
from contactbook.modules.messaging.services import uploads

POSTED = "messaging.announcement_posted"
AUDIT_POSTED = "messaging.announcement"


@dataclass(frozen=True)
class AnnouncementDraft:
    """What the sender wrote, checked for shape at the edge; the rules are checked here."""

    audience: Audience
    title: str
    body: str
    classroom: Classroom | None = None
    grade_levels: tuple[int, ...] = ()
    deadline: date | None = None
    needs_acknowledgement: bool = False
    attachment: IO[bytes] | None = None


def _current_year_id(school: School) -> int | None:
    """The school year running today, else the latest one: whose classes hear announcements."""
    today = school.today()
    running = (SchoolYear.starts_on <= today) & (SchoolYear.ends_on >= today)
    return db.session.scalar(
        select(SchoolYear.id)
        .where(SchoolYear.school_id == school.id)
        .order_by(running.desc(), SchoolYear.starts_on.desc())
        .limit(1)
    )


def _audience_classrooms(school: School, draft: AnnouncementDraft) -> Select:
    """The ids of the classes an announcement reaches."""
    if draft.audience is Audience.CLASS:
        return select(Classroom.id).where(Classroom.id == draft.classroom.id)
    query = select(Classroom.id).where(
        Classroom.school_year_id == _current_year_id(school), Classroom.archived_at.is_(None)
    )
    if draft.audience is Audience.GRADES:
        query = query.where(Classroom.grade_level.in_(draft.grade_levels))
    return query


def _families(school: School, draft: AnnouncementDraft) -> dict[int, list[str]]:
    """Guardian id -> their children in the audience, by given name (one query)."""
    rows = db.session.execute(
        select(Guardianship.user_id, Student.given_name)
        .join(Student, Student.id == Guardianship.student_id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .where(
            Enrollment.classroom_id.in_(_audience_classrooms(school, draft)),
            Student.archived_at.is_(None),
        )
        .order_by(Student.given_name, Student.id)
    )
    families: dict[int, list[str]] = defaultdict(list)
    for guardian_id, name in rows:
        if name not in families[guardian_id]:
            families[guardian_id].append(name)
    return families


def _check(school: School, draft: AnnouncementDraft) -> None:
    """Refuse what cannot be posted, with the field to blame."""
    errors: dict[str, list[str]] = {}
    if draft.audience is Audience.CLASS and (
        draft.classroom is None or draft.classroom.school.id != school.id
    ):
        errors["classroom_id"] = [_("Choose a class of this school.")]
    if draft.audience is Audience.GRADES and not draft.grade_levels:
        errors["grade_levels"] = [_("Choose at least one grade level.")]
    if draft.deadline is not None and draft.deadline < school.today():
        errors["deadline"] = [_("The deadline has already passed.")]
    if draft.needs_acknowledgement and draft.deadline is None:
        errors["deadline"] = [_("Give a deadline for families to acknowledge by.")]
    if errors:
        raise Invalid(errors)


def post_announcement(actor: User, school: School, draft: AnnouncementDraft) -> Announcement:
    """Post to the audience as it stands now, and tell every family in it."""
    target = draft.classroom if draft.audience is Audience.CLASS and draft.classroom else school
    access.require(actor, "messaging.announcements.post", target)
    with atomic():
        _check(school, draft)
        announcement = Announcement(
            school_id=school.id,
            author_id=actor.id,
            audience=draft.audience,
            classroom_id=draft.classroom.id if draft.audience is Audience.CLASS else None,
            grade_levels=sorted(set(draft.grade_levels))
            if draft.audience is Audience.GRADES
            else [],
            title=draft.title,
            body=draft.body,
            deadline=draft.deadline,
            needs_acknowledgement=draft.needs_acknowledgement,
            created_at=utcnow(),
        )
        if draft.attachment is not None:
            announcement.attachment = uploads.save_upload(
                actor, draft.attachment, accept=uploads.IMAGES_AND_PDF, field="attachment"
            )
        db.session.add(announcement)
        db.session.flush()
        families = _families(school, draft)
        if families:
            db.session.execute(
                insert(AnnouncementReceipt),
                [
                    {
                        "announcement_id": announcement.id,
                        "guardian_id": guardian_id,
                        "children": ", ".join(children)[:300],
                    }
                    for guardian_id, children in families.items()
                ],
            )
            guardians = db.session.scalars(select(User).where(User.id.in_(list(families))))
            notify(
                guardians,
                POSTED,
                announcement_id=announcement.id,
                title=announcement.title,
                sender=actor.display_name,
            )
        audit.record(
            actor,
            AUDIT_POSTED,
            announcement,
            school_id=school.id,
            after={
                "title": announcement.title,
                "audience": str(announcement.audience),
                "attachment_id": announcement.attachment_id,
            },
        )
    return announcement


def announcements_visible_to(user: User) -> Select:
    """A family's own announcements; staff: what they sent, their classes', their schools'."""
    received = select(AnnouncementReceipt.announcement_id).where(
        AnnouncementReceipt.guardian_id == user.id
    )
    taught = access.classrooms_taught_by(user).with_only_columns(Classroom.id)
    return select(Announcement).where(
        or_(
            Announcement.id.in_(received),
            Announcement.author_id == user.id,
            Announcement.classroom_id.in_(taught),
            Announcement.school_id.in_(access.managed_school_ids(user)),
        )
    )


def receipt_of(user: User, announcement: Announcement) -> AnnouncementReceipt | None:
    """The reader's own copy, if the announcement was sent to them."""
    return db.session.scalar(
        select(AnnouncementReceipt).where(
            AnnouncementReceipt.announcement_id == announcement.id,
            AnnouncementReceipt.guardian_id == user.id,
        )
    )


def feed_of(user: User) -> list[tuple[Announcement, AnnouncementReceipt]]:
    """A family's announcements, newest first, each with their own read and acknowledged marks."""
    rows = db.session.execute(
        select(Announcement, AnnouncementReceipt)
        .join(AnnouncementReceipt, AnnouncementReceipt.announcement_id == Announcement.id)
        .where(AnnouncementReceipt.guardian_id == user.id)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        .limit(100)
    )
    return [(announcement, receipt) for announcement, receipt in rows]


def announcements_for(user: User) -> list[Announcement]:
    """A family's announcements; for staff, their own, their classes' and their schools'."""
    return list(
        db.session.scalars(
            announcements_visible_to(user)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(100)
        )
    )


def _target_of(announcement: Announcement) -> Classroom | School:
    return announcement.classroom or db.session.get(School, announcement.school_id)


def mark_read(user: User, announcement: Announcement) -> AnnouncementReceipt:
    """The family opened it; the first time is kept."""
    with atomic():
        receipt = _own_receipt(user, announcement)
        receipt.read_at = receipt.read_at or utcnow()
    return receipt


def acknowledge(user: User, announcement: Announcement) -> AnnouncementReceipt:
    """The family confirms they have read it (and read it, if not yet marked)."""
    access.require(user, "messaging.announcements.acknowledge", _target_of(announcement))
    with atomic():
        receipt = _own_receipt(user, announcement)
        if not announcement.needs_acknowledgement:
            raise Invalid({"announcement": [_("This announcement needs no acknowledgement.")]})
        now = utcnow()
        receipt.read_at = receipt.read_at or now
        receipt.acknowledged_at = receipt.acknowledged_at or now
    return receipt


def _own_receipt(user: User, announcement: Announcement) -> AnnouncementReceipt:
    receipt = receipt_of(user, announcement)
    if receipt is None:
        raise Invalid({"announcement": [_("This announcement was not sent to you.")]})
    return receipt


def receipts(actor: User, announcement: Announcement) -> dict[str, Any]:
    """Per family: read and acknowledged, with counts; for the sender and those over them."""
    if announcement.author_id != actor.id:
        access.require(actor, "messaging.announcements.track", _target_of(announcement))
    rows = db.session.execute(
        select(AnnouncementReceipt, User.display_name)
        .join(User, User.id == AnnouncementReceipt.guardian_id)
        .where(AnnouncementReceipt.announcement_id == announcement.id)
        .order_by(AnnouncementReceipt.children, User.display_name, User.id)
    ).all()
    families = [
        {
            "guardian_name": name,
            "children": receipt.children,
            "read_at": receipt.read_at,
            "acknowledged_at": receipt.acknowledged_at,
        }
        for receipt, name in rows
    ]
    return {
        "total": len(families),
        "read": sum(1 for family in families if family["read_at"]),
        "acknowledged": sum(1 for family in families if family["acknowledged_at"]),
        "families": families,
    }

"""Invite codes for a class's families: who has joined, printing a sheet, reprinting one code.

Printing is the write: it issues a fresh code to every family of the class that has not joined
(a guardian without a password) and revokes their unused codes, since a code is shown once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Guardianship,
    SchoolYear,
    Student,
    User,
    access,
)
from contactbook.core.platform import Refused, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import Invite
from contactbook.modules.schooladmin.services import invites_codes

PERMISSION = "schooladmin.invites.issue"
VALID_FOR = timedelta(days=30)
PURPOSE = "invite"


@dataclass(frozen=True)
class Family:
    """One guardian of one pupil on the class page: joined or not, and a code's expiry."""

    guardianship_id: int
    pupil: str
    guardian: str
    guardian_id: int
    phone: str | None
    has_joined: bool
    code_expires_at: datetime | None


@dataclass(frozen=True)
class PrintedCode:
    """A line of the printed sheet; the code in clear exists only here, once."""

    pupil: str
    classroom: str
    guardian: str
    code: str
    expires_at: datetime


def classrooms_for(actor: User) -> list[Classroom]:
    """Classes whose codes the actor prints: those they lead, every class of a school they run.

    Each class comes with its year and school, which the right to print is decided by.
    """
    with_school = joinedload(Classroom.school_year).joinedload(SchoolYear.school)
    return [
        room
        for room in db.session.scalars(
            _printable(actor).options(with_school).order_by(Classroom.grade_level, Classroom.name)
        )
        if access.allows(actor, PERMISSION, room)
    ]


def classroom_or_404(actor: User, classroom_id: int) -> Classroom:
    """A class the actor may see; whether they may print its codes is asked by each service."""
    return access.get_visible_or_404(_printable(actor), Classroom, classroom_id)


def guardianship_or_404(actor: User, guardianship_id: int) -> Guardianship:
    """A pupil's guardian the actor may see, through the pupil."""
    pupils = access.students_visible_to(actor).with_only_columns(Student.id)
    query = select(Guardianship).where(Guardianship.student_id.in_(pupils))
    return access.get_visible_or_404(query, Guardianship, guardianship_id)


def families_of(actor: User, classroom: Classroom) -> list[Family]:
    """Every guardian of the class's pupils, whether they joined, and any code still open."""
    access.require(actor, PERMISSION, classroom)
    guardianships = _guardianships_of(classroom)
    open_codes = _open_codes([g.id for g in guardianships])
    return [
        Family(
            guardianship_id=g.id,
            pupil=g.student.full_name,
            guardian=g.user.display_name,
            guardian_id=g.user_id,
            phone=g.user.phone,
            has_joined=g.user.password_hash is not None,
            code_expires_at=open_codes.get(g.id),
        )
        for g in guardianships
    ]


def print_sheet(actor: User, classroom: Classroom) -> list[PrintedCode]:
    """Issue a new code to every family of the class that has not joined, in one commit."""
    access.require(actor, PERMISSION, classroom)
    waiting = [g for g in _guardianships_of(classroom) if g.user.password_hash is None]
    with atomic():
        _revoke_unused([g.id for g in waiting])
        printed = [_issue(actor, g, classroom) for g in waiting]
        audit.record(
            actor,
            "schooladmin.invites_print",
            classroom,
            school_id=classroom.school.id,
            after={"codes": len(printed)},
        )
    return printed


def reprint(actor: User, guardianship: Guardianship) -> PrintedCode:
    """Issue a new code to one family, revoking its unused one (a lost slip)."""
    classroom = guardianship.student.current_classroom
    if classroom is None:
        raise Refused(PERMISSION)
    access.require(actor, PERMISSION, classroom)
    with atomic():
        _revoke_unused([guardianship.id])
        printed = _issue(actor, guardianship, classroom)
        audit.record(
            actor,
            "schooladmin.invite_reprint",
            guardianship,
            school_id=classroom.school.id,
        )
    return printed


def _printable(actor: User) -> Select:
    """Current classes of the actor's visible ones (archived classes print nothing)."""
    return access.classrooms_visible_to(actor).where(Classroom.archived_at.is_(None))


def _guardianships_of(classroom: Classroom) -> list[Guardianship]:
    rows = db.session.scalars(
        select(Guardianship)
        .join(Student, Guardianship.student_id == Student.id)
        .join(Enrollment, Enrollment.student_id == Student.id)
        .where(Enrollment.classroom_id == classroom.id, Student.archived_at.is_(None))
        .options(joinedload(Guardianship.student), joinedload(Guardianship.user))
    ).all()
    return sorted(rows, key=lambda g: (g.student.sort_key, g.user.display_name))


def _open_codes(guardianship_ids: list[int]) -> dict[int, datetime]:
    rows = db.session.execute(
        select(Invite.guardianship_id, Invite.expires_at).where(
            Invite.guardianship_id.in_(guardianship_ids),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > utcnow(),
        )
    )
    return dict(rows.tuples().all())


def _revoke_unused(guardianship_ids: list[int]) -> None:
    """A code is shown once, so a new one replaces the family's codes not used yet."""
    db.session.execute(
        update(Invite)
        .where(
            Invite.guardianship_id.in_(guardianship_ids),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


def _issue(actor: User, guardianship: Guardianship, classroom: Classroom) -> PrintedCode:
    """Store the hash of a new code for the family and hand the code back, once."""
    now = utcnow()
    code = invites_codes.new_code()
    expires_at = now + VALID_FOR
    db.session.add(
        Invite(
            guardianship_id=guardianship.id,
            code_hash=invites_codes.keyed_hash(code, PURPOSE),
            issued_by_id=actor.id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return PrintedCode(
        pupil=guardianship.student.full_name,
        classroom=classroom.name,
        guardian=guardianship.user.display_name,
        code=code,
        expires_at=expires_at,
    )

"""Password help: a reset link by email, or a one-time code from the teacher or the admin.

Every reset is audited and ends every session of the account; the browser that reset then
signs in afresh. Asking for a link says nothing about whether the account exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from contactbook.core.delivery import notify
from contactbook.core.directory import (
    Enrollment,
    Guardianship,
    InvalidPhoneNumber,
    Student,
    User,
    access,
    identity,
    passwords,
)
from contactbook.core.platform import Invalid, Refused, Urgency, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import PasswordReset
from contactbook.modules.schooladmin.services import invites_codes
from contactbook.modules.schooladmin.services.invites_codes import CodeState

PERMISSION = "schooladmin.passwords.reset"
VALID_FOR = timedelta(hours=24)
PURPOSE = "reset"
EVENT = "schooladmin.password_reset"


@dataclass(frozen=True)
class IssuedCode:
    """A reset code to read out or hand over; shown once, never stored in clear."""

    code: str
    expires_at: datetime


def send_link(identifier: str) -> None:
    """Email a reset link to the account named, when it is active and has an email address."""
    try:
        user = identity.find_user(identifier)
    except InvalidPhoneNumber:
        return
    if user is None or not user.email or not user.is_active:
        return
    with atomic():
        reset = PasswordReset(user_id=user.id, expires_at=utcnow() + VALID_FOR)
        db.session.add(reset)
        db.session.flush()
        notify([user], EVENT, urgency=Urgency.HIGH, email_only=True, reset_id=reset.id)
        audit.record(user, "schooladmin.password_reset_link", reset)


def link_token(reset_id: int) -> str:
    """The signed part of a reset link: it names the reset and only this app can make it."""
    return _serializer().dumps(reset_id)


def by_link(token: str) -> tuple[CodeState, PasswordReset | None]:
    """The reset a link names and whether it can still be used."""
    try:
        reset_id = _serializer().loads(token)
    except BadSignature:
        return CodeState.UNKNOWN, None
    reset = db.session.get(PasswordReset, reset_id) if isinstance(reset_id, int) else None
    if reset is not None and reset.code_hash is not None:
        reset = None
    return invites_codes.state_of(reset), reset


def by_code(identifier: str, typed: str) -> tuple[CodeState, PasswordReset | None]:
    """The reset a code names, if it was issued to the account the phone number names."""
    try:
        user = identity.find_user(identifier)
    except InvalidPhoneNumber:
        return CodeState.UNKNOWN, None
    if user is None or not invites_codes.normalise(typed):
        return CodeState.UNKNOWN, None
    reset = db.session.scalar(
        select(PasswordReset).where(
            PasswordReset.code_hash == invites_codes.keyed_hash(typed, PURPOSE),
            PasswordReset.user_id == user.id,
        )
    )
    return invites_codes.state_of(reset), reset


def complete(reset: PasswordReset, password: str) -> User:
    """Set the new password, use the reset once and end every session of the account.

    Raises Invalid when the password is refused or the reset was used meanwhile.
    """
    user = reset.user
    reason = passwords.refusal(user, "", password)
    if reason is not None:
        raise Invalid({"password": [str(reason)]})
    with atomic():
        used = db.session.execute(
            update(PasswordReset)
            .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
            .where(PasswordReset.revoked_at.is_(None))
            .values(used_at=utcnow())
        )
        if used.rowcount != 1:
            raise Invalid({"password": [str(_l("This reset has already been used."))]})
        _revoke_open(user, keep=reset.id)
        user.password_hash = identity.hash_password(password)
        identity.end_sessions_of(user)
        way = "email" if reset.code_hash is None else "code"
        audit.record(user, "schooladmin.password_reset", user, after={"by": way})
    return user


def guardian_or_404(actor: User, user_id: int) -> User:
    """A guardian of a pupil the actor may see; anyone else looks missing."""
    pupils = access.students_visible_to(actor).with_only_columns(Student.id)
    guardians = select(Guardianship.user_id).where(Guardianship.student_id.in_(pupils))
    return access.get_visible_or_404(select(User).where(User.id.in_(guardians)), User, user_id)


def children_seen_by(actor: User, guardian: User) -> list[Student]:
    """The guardian's children the actor may see, with their school and class, for the page."""
    own = select(Guardianship.student_id).where(Guardianship.user_id == guardian.id)
    return list(
        db.session.scalars(
            access.students_visible_to(actor)
            .where(Student.id.in_(own))
            .options(
                joinedload(Student.school),
                selectinload(Student.enrollments).joinedload(Enrollment.classroom),
            )
        )
    )


def may_issue(actor: User, guardian: User, seen: Sequence[Student] | None = None) -> bool:
    """Homeroom teacher of one of the guardian's children, or an admin of its school.

    Both see the child, so the children the actor sees (`seen`, when a page has read them
    already) are the ones to ask about.
    """
    children = children_seen_by(actor, guardian) if seen is None else seen
    return any(access.allows(actor, PERMISSION, child) for child in children)


def issue_code(actor: User, guardian: User) -> IssuedCode:
    """A new one-time reset code for a guardian, revoking any other open reset of theirs."""
    if not may_issue(actor, guardian):
        raise Refused(PERMISSION)
    code = invites_codes.new_code()
    expires_at = utcnow() + VALID_FOR
    with atomic():
        _revoke_open(guardian)
        reset = PasswordReset(
            user_id=guardian.id,
            code_hash=invites_codes.keyed_hash(code, PURPOSE),
            issued_by_id=actor.id,
            expires_at=expires_at,
        )
        db.session.add(reset)
        db.session.flush()
        audit.record(actor, "schooladmin.password_reset_code", reset)
    return IssuedCode(code=code, expires_at=expires_at)


def _revoke_open(user: User, keep: int | None = None) -> None:
    query = update(PasswordReset).where(
        PasswordReset.user_id == user.id,
        PasswordReset.used_at.is_(None),
        PasswordReset.revoked_at.is_(None),
    )
    if keep is not None:
        query = query.where(PasswordReset.id != keep)
    db.session.execute(query.values(revoked_at=utcnow()))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="schooladmin.password-reset")

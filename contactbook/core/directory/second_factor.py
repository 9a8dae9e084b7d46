"""The second factor: a code from an authenticator app (TOTP), or a one-time recovery code.

One stolen staff password must not open a whole school's records: a user with a second factor
is asked for a code after the password, whichever way the password was proved (the sign-in
form, a reset code or link, an invite slip). Anyone may turn it on; a district admin can
require it of every staff member of the district, who then cannot use the app before turning
it on. A code is taken once: never the same 30-second step
twice, nor an older one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from flask import current_app
from sqlalchemy import delete, exists, func, select, update

from contactbook.core.directory.models import (
    District,
    Membership,
    RecoveryCode,
    School,
    SecondFactor,
    User,
    UserSession,
)
from contactbook.core.platform import Role, audit
from contactbook.core.platform.audit import CoreAction
from contactbook.core.platform.records import utcnow
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import db

ISSUER = "Sổ liên lạc điện tử"
RECOVERY_CODES = 10
# A code typed a little late, or on a phone whose clock runs a little off, is still taken.
STEPS_EITHER_SIDE = 1


@dataclass(frozen=True)
class Enrolment:
    """A secret offered to the user's authenticator app, not yet confirmed by a code."""

    secret: str
    uri: str


def factor_of(user: User) -> SecondFactor | None:
    """The user's second factor, or None when they sign in with a password alone."""
    return db.session.get(SecondFactor, user.id)


def is_required(user: User) -> bool:
    """Whether the user's district requires staff to use a second factor and they are staff."""
    staff = select(Membership.id).where(
        Membership.user_id == user.id, Membership.role != Role.GUARDIAN
    )
    at_school = (
        staff.join(School, School.id == Membership.school_id)
        .join(District, District.id == School.district_id)
        .where(District.staff_second_factor_required)
    )
    over_district = staff.join(District, District.id == Membership.district_id).where(
        District.staff_second_factor_required
    )
    return bool(db.session.scalar(select(exists(at_school) | exists(over_district))))


def new_secret() -> str:
    """A fresh secret for an authenticator app (160 random bits)."""
    return pyotp.random_base32()


def enrolment_for(user: User, secret: str) -> Enrolment:
    """The secret with the link its QR code holds, naming the app and the account."""
    name = user.phone or user.username or str(user.id)
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER))


def turn_on(user: User, secret: str, code: str, now: datetime | None = None) -> list[str] | None:
    """Keep the secret once the app proved it holds it (a current code); the recovery codes to
    show the user once, or None when the code is wrong."""
    step = _matching_step(secret, code, after=0, now=now or utcnow())
    if step is None:
        return None
    with atomic():
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
        db.session.add(SecondFactor(user_id=user.id, secret=secret, last_step=step))
        codes = _replace_recovery_codes(user)
        audit.record(user, CoreAction.SECOND_FACTOR_ON, user)
    return codes


def accept_code(user: User, code: str, now: datetime | None = None) -> bool:
    """Take an app code or an unused recovery code, once; False for anything else."""
    factor = factor_of(user)
    if factor is None:
        return False
    typed = "".join(code.split())
    step = _matching_step(factor.secret, typed, after=factor.last_step, now=now or utcnow())
    if step is not None:
        with atomic():
            # Only moves forward: two sign-ins racing with one code cannot both take it.
            taken = db.session.execute(
                update(SecondFactor)
                .where(SecondFactor.user_id == user.id, SecondFactor.last_step < step)
                .values(last_step=step)
            ).rowcount
        return taken == 1
    return _use_recovery_code(user, typed)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working); show the new ones once."""
    with atomic():
        codes = _replace_recovery_codes(user)
        audit.record(user, CoreAction.SECOND_FACTOR_CODES, user)
    return codes


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user still holds."""
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def turn_off(actor: User, user: User) -> None:
    """Remove the second factor (its owner, or an admin after a lost phone); audited."""
    with atomic():
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        audit.record(actor, CoreAction.SECOND_FACTOR_OFF, user)


def require_for_staff(actor: User, district: District, required: bool) -> int:
    """Set whether the district's staff must use a second factor.

    Turning it on signs out the staff who have none, so their next sign-in has them turn it on.
    Returns how many people were signed out.
    """
    staff_without = (
        select(Membership.user_id)
        .outerjoin(School, School.id == Membership.school_id)
        .where(
            Membership.role != Role.GUARDIAN,
            (School.district_id == district.id) | (Membership.district_id == district.id),
            ~exists().where(SecondFactor.user_id == Membership.user_id),
        )
    )
    with atomic():
        before = district.staff_second_factor_required
        district.staff_second_factor_required = required
        signed_out = 0
        if required and not before:
            signed_out = db.session.execute(
                update(UserSession)
                .where(UserSession.user_id.in_(staff_without), UserSession.ended_at.is_(None))
                .values(ended_at=utcnow())
            ).rowcount
        audit.record(
            actor,
            CoreAction.SECOND_FACTOR_REQUIRED,
            district,
            before={"required": before},
            after={"required": required},
        )
    return signed_out


def _matching_step(secret: str, code: str, after: int, now: datetime) -> int | None:
    """The 30-second step whose code this is, near now and later than `after`, or None."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - STEPS_EITHER_SIDE, current + STEPS_EITHER_SIDE + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _replace_recovery_codes(user: User) -> list[str]:
    """New codes in the caller's transaction; each is 10 letters and digits, in two halves."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        text = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{text[:5]}-{text[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(text)))
    return codes


def _use_recovery_code(user: User, typed: str) -> bool:
    text = typed.replace("-", "").lower()
    if len(text) != 10:
        return False
    with atomic():
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash(text),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        ).rowcount
        if used:
            audit.record(user, CoreAction.RECOVERY_CODE_USED, user)
    return used == 1


def _hash(text: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"recovery:{text}".encode(), hashlib.sha256).hexdigest()

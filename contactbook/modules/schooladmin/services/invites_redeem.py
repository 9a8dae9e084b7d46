"""Redeeming an invite code: a family sets its password, or adds a child to its account.

The code names one guardianship. A guardian from the roster without a password sets one and
becomes that account. Someone already signed in (or signing in with the phone's existing
password) takes the guardianship into their own account when the roster guardian has no
password: the empty roster user is left without links, and the family has one account.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from contactbook.core.directory import Guardianship, User, identity, passwords
from contactbook.core.platform import Invalid, atomic, audit, utcnow
from contactbook.extensions import db
from contactbook.modules.schooladmin.models import Invite
from contactbook.modules.schooladmin.services import invites_codes
from contactbook.modules.schooladmin.services.invites import PURPOSE
from contactbook.modules.schooladmin.services.invites_codes import CodeState


@dataclass(frozen=True)
class Lookup:
    """A code's state and, when it exists, its invite."""

    state: CodeState
    invite: Invite | None = None

    @property
    def guardian(self) -> User | None:
        """The roster guardian the code was printed for."""
        return self.invite.guardianship.user if self.invite else None


def look_up(typed: str) -> Lookup:
    """Find a code however it was typed, and say whether it can still be used."""
    if not invites_codes.normalise(typed):
        return Lookup(CodeState.UNKNOWN)
    invite = db.session.scalar(
        select(Invite).where(Invite.code_hash == invites_codes.keyed_hash(typed, PURPOSE))
    )
    if invite is None:
        return Lookup(CodeState.UNKNOWN)
    return Lookup(invites_codes.state_of(invite), invite)


def join_with_new_password(invite: Invite, password: str) -> User:
    """The roster guardian sets a first password; the code is used. Returns who to sign in.

    Raises Invalid when the guardian has a password already or the password is refused.
    """
    guardian = invite.guardianship.user
    if guardian.password_hash is not None:
        raise Invalid({"password": [str(_l("This phone number already has an account."))]})
    reason = passwords.refusal(guardian, "", password)
    if reason is not None:
        raise Invalid({"password": [str(reason)]})
    with atomic():
        guardian.password_hash = identity.hash_password(password)
        _mark_used(invite, guardian)
        audit.record(guardian, "schooladmin.invite_redeem", invite.guardianship)
    return guardian


def add_to_account(account: User, invite: Invite) -> None:
    """Link the code's pupil to an account that exists (signed in, or its password typed).

    Raises Invalid when the code belongs to another person's account.
    """
    guardianship = invite.guardianship
    roster_user = guardianship.user
    if roster_user.id != account.id and roster_user.password_hash is not None:
        raise Invalid({"code": [str(_l("This code belongs to another person's account."))]})
    with atomic():
        before = {"user_id": roster_user.id}
        if roster_user.id != account.id and not _already_guards(account, guardianship):
            guardianship.user_id = account.id
        _mark_used(invite, account)
        audit.record(
            account,
            "schooladmin.invite_redeem",
            guardianship,
            before=before,
            after={"user_id": guardianship.user_id},
        )


def _already_guards(account: User, guardianship: Guardianship) -> bool:
    return (
        db.session.scalar(
            select(Guardianship.id).where(
                Guardianship.user_id == account.id,
                Guardianship.student_id == guardianship.student_id,
            )
        )
        is not None
    )


def _mark_used(invite: Invite, account: User) -> None:
    """Use the code once: of two redemptions at the same moment, the second is refused."""
    marked = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(used_at=utcnow(), redeemed_by_id=account.id)
    )
    if marked.rowcount != 1:
        raise Invalid({"code": [str(_l("This code has already been used."))]})

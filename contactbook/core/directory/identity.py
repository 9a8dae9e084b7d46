"""Who someone is: password checks, server-side sessions, password changes, disabling users."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import has_request_context, request, session
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from contactbook.core.directory import passwords, session_lifetimes
from contactbook.core.directory.models import Guardianship, User, UserSession
from contactbook.core.directory.phones import looks_like_phone, normalise_phone
from contactbook.core.platform import audit
from contactbook.core.platform.audit import CoreAction
from contactbook.core.platform.records import utcnow
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import db, login_manager

SESSION_KEY = "sid"
MIN_PASSWORD_LENGTH = 8

# argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 30 ms a
# check on this project's 2-core machines, where argon2-cffi's default takes about 150 ms.
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Checked when nobody has the name, so an unknown account takes as long as a wrong password.
_UNKNOWN_USER_HASH = hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Hash at this project's argon2id cost; the only way a password reaches the database."""
    return hasher.hash(password)


def find_user(identifier: str) -> User | None:
    """Look a user up by phone number (any common spelling) or username.

    Raises InvalidPhoneNumber when the text looks like a phone number but is not one.
    """
    if looks_like_phone(identifier):
        return db.session.scalar(select(User).where(User.phone == normalise_phone(identifier)))
    username = identifier.strip().lower()
    return db.session.scalar(select(User).where(func.lower(User.username) == username))


def authenticate(identifier: str, password: str) -> User | None:
    """Return the active user with this name and password, or None, never saying which failed."""
    user = find_user(identifier)
    if user is None or user.password_hash is None:
        _verify(_UNKNOWN_USER_HASH, password)
        return None
    if not _verify(user.password_hash, password) or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verify(password_hash: str | None, password: str) -> bool:
    """A damaged or foreign hash, or none set yet, is a failed check, not an error page."""
    if password_hash is None:
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(user: User) -> str:
    """Record a new signed-in session and count the sign-in, in one transaction."""
    session_id = secrets.token_urlsafe(32)
    device = request.user_agent.string[:300] if has_request_context() else ""
    with atomic():
        db.session.add(
            UserSession(id=session_id, user_id=user.id, user_agent=device, last_seen_at=utcnow())
        )
        db.session.execute(
            update(User).where(User.id == user.id).values(sign_in_count=User.sign_in_count + 1)
        )
        audit.record(user, CoreAction.SIGN_IN, user)
    return session_id


def end_session(session_id: str) -> None:
    """Close one signed-in session on the server, so its cookie stops working."""
    with atomic():
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_sessions_of(user: User, keep: str | None = None) -> None:
    """Close the user's open sessions but `keep`: on a password change, a reset, disabling."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(UserSession.id != keep)
    db.session.execute(query.values(ended_at=utcnow()))


def end_own_session(user: User, handle: str) -> bool:
    """Sign one of the user's own devices out from another; False when no open session of
    theirs has that handle (someone else's, already ended, made up)."""
    now = utcnow()
    for row in session_lifetimes.open_sessions_of(user, now):
        if session_lifetimes.handle_of(row) == handle:
            with atomic():
                row.ended_at = now
                audit.record(user, CoreAction.SESSION_END, user, after={"sessions": 1})
            return True
    return False


def session_is_open(session_id: str | None) -> bool:
    """Whether a session id still lets its browser in (not signed out from another device)."""
    if not session_id:
        return False
    row = db.session.get(UserSession, session_id, populate_existing=True)
    return row is not None and row.ended_at is None


def end_every_session(user: User) -> None:
    """Sign the user out on every device, this one too: a lost phone, a shared computer."""
    with atomic():
        end_sessions_of(user)
        audit.record(user, CoreAction.SESSION_END, user, after={"sessions": "all"})


class PasswordRefused(ValueError):
    """The new password may not be used; the message says why, for the form."""


def change_password(user: User, current: str, new: str, keep_session: str) -> bool:
    """Set a new password and end every other session; False when the current one is wrong.

    Raises PasswordRefused when the new password is the current one, holds the phone number
    or is easy to guess.
    """
    if not _verify(user.password_hash, current):
        return False
    reason = passwords.refusal(user, current, new)
    if reason is not None:
        raise PasswordRefused(str(reason))
    with atomic():
        user.password_hash = hash_password(new)
        end_sessions_of(user, keep=keep_session)
        audit.record(user, CoreAction.PASSWORD_CHANGE, user)
    return True


def disable_user(actor: User | None, user: User) -> None:
    """Stop a user from signing in; their open sessions end at their next request."""
    with atomic():
        user.is_active = False
        end_sessions_of(user)
        audit.record(
            actor, CoreAction.USER_DISABLE, user, before={"active": True}, after={"active": False}
        )


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Trust the cookie only while its server-side session is open and the user is active."""
    session_id = session.get(SESSION_KEY)
    if not session_id:
        return None
    # The user, their roles and a family's children come with the session row: nearly every
    # request checks roles, and a family's pages name its children.
    user = joinedload(UserSession.user)
    row = db.session.get(
        UserSession,
        session_id,
        options=[
            user.joinedload(User.memberships),
            user.joinedload(User.guardianships).joinedload(Guardianship.student),
        ],
    )
    if row is None or row.ended_at is not None or str(row.user_id) != user_id:
        return None
    now = utcnow()
    if not row.user.is_active or session_lifetimes.is_over(row, row.user, now):
        return None
    session_lifetimes.touch(row, now)
    return row.user

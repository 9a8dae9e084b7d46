"""How long a signed-in session lasts, and which of a user's sessions are still open.

A school's staff see every child of a class or a school, so a staff phone left signed in is
worth more to whoever picks it up: staff sessions end sooner than families', who read their
own children on their own phones and would not sign in every day. A session ends when unused
for the idle time or, used or not, the absolute time after signing in (both settings). When a
session was last used is written at most every few minutes, in a short transaction of its own,
so that reading a page stays a read.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from contactbook.core.directory.models import User, UserSession
from contactbook.core.platform import Role
from contactbook.extensions import db

# How stale "last used" may be: the idle time is counted to these few minutes.
TOUCH_EVERY = timedelta(minutes=5)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lifetime:
    """How long a session may go unused, and how long it may last at all."""

    idle: timedelta
    absolute: timedelta


def lifetime_of(user: User) -> Lifetime:
    """Staff (any role at a school or district) get the shorter lifetimes, families the longer."""
    config = current_app.config
    if any(membership.role is not Role.GUARDIAN for membership in user.memberships):
        return Lifetime(
            idle=timedelta(minutes=int(config["CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES"])),
            absolute=timedelta(hours=int(config["CONTACTBOOK_STAFF_SESSION_HOURS"])),
        )
    return Lifetime(
        idle=timedelta(days=int(config["CONTACTBOOK_FAMILY_SESSION_IDLE_DAYS"])),
        absolute=timedelta(days=int(config["CONTACTBOOK_FAMILY_SESSION_DAYS"])),
    )


def last_used(row: UserSession) -> datetime:
    """When the session was last used, to the few minutes (signing in counts)."""
    return row.last_seen_at or row.created_at


def is_over(row: UserSession, user: User, now: datetime) -> bool:
    """Whether the session has ended by time, though nobody signed it out."""
    lifetime = lifetime_of(user)
    return now - row.created_at >= lifetime.absolute or now - last_used(row) >= lifetime.idle


def touch(row: UserSession, now: datetime) -> None:
    """Note that the session is in use, when the last note is a few minutes old.

    Written apart from the request's own transaction, so that a page read does not become a
    write; if the database is busy the note waits for a later request.
    """
    if now - last_used(row) < TOUCH_EVERY:
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
    except OperationalError as error:
        logger.warning("session last use not noted, database busy: %s", error)
        return
    set_committed_value(row, "last_seen_at", now)


def open_sessions_of(user: User, now: datetime) -> list[UserSession]:
    """The user's sessions that still let a browser in, the most recently used first."""
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    return sorted((row for row in rows if not is_over(row, user, now)), key=last_used, reverse=True)


def handle_of(row: UserSession) -> str:
    """A name for the session in pages and forms: its id is the cookie's secret, never shown."""
    return hashlib.sha256(row.id.encode()).hexdigest()[:20]

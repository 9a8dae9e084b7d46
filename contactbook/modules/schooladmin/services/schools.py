"""Which schools an admin runs, and finding one of them from a request."""

from __future__ import annotations

from contactbook.core.directory import School, User, access
from contactbook.extensions import db


def managed_by(user: User) -> list[School]:
    """The schools the user administers, by name: the admin's start page lists them."""
    query = access.schools_visible_to(user).where(School.id.in_(access.managed_school_ids(user)))
    return list(db.session.scalars(query.order_by(School.name)))


def managed_or_404(user: User, school_id: int) -> School:
    """A school the user administers; any other looks missing, so ids cannot be probed."""
    query = access.schools_visible_to(user).where(School.id.in_(access.managed_school_ids(user)))
    return access.get_visible_or_404(query, School, school_id)

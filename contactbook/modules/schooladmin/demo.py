"""School administration's part of the demo: families still to join, as at a term's start.

A school brings every family in from its roster, and they join by invite code over the first
weeks. The demo shows that middle: about one family in eight of each class has no password
yet, so the teacher's "who has joined" list and the printed invite sheet have someone on them.
"""

from __future__ import annotations

from contactbook.core.directory import Guardianship, Membership
from contactbook.core.platform import DemoSeed, Role

# One family in eight has not joined yet.
NOT_JOINED_SHARE = 1 / 8


def add_records(seed: DemoSeed) -> dict[str, int]:
    """Take the password away from some guardians: never staff, never the demo's own parent."""
    featured = {id(student) for student in seed.featured_students}
    staff = {
        id(row.user)
        for row in seed.rows
        if isinstance(row, Membership) and row.role is not Role.GUARDIAN
    }
    sign_in_parents = {
        id(row.user)
        for row in seed.rows
        if isinstance(row, Guardianship) and id(row.student) in featured
    }
    candidates = {
        id(row.user): row.user
        for row in seed.rows
        if isinstance(row, Guardianship) and id(row.user) not in staff | sign_in_parents
    }
    chosen = [user for user in candidates.values() if seed.rng.random() < NOT_JOINED_SHARE]
    for user in chosen:
        user.password_hash = None
    return {"families not joined yet": len(chosen)}

"""Who a document reaches, asked of core's directory (`recipients`) in one place."""

from __future__ import annotations

from collections.abc import Iterable

from contactbook.core.directory import User, recipients
from contactbook.core.platform import Role


def staff_at(school_id: int, roles: Iterable[Role]) -> list[User]:
    """Active staff holding one of the roles at the school."""
    return recipients.staff(schools=[school_id], roles=list(roles))


def families_of(classroom_ids: Iterable[int]) -> list[User]:
    """Active guardians of the pupils enrolled this year in the classes."""
    return recipients.guardians(classrooms=list(classroom_ids))

"""Closing and reopening a term: closed terms are read-only for teachers."""

from __future__ import annotations

from contactbook.core.directory import Term, User, access
from contactbook.core.platform import atomic, audit


def set_term_closed(actor: User, term: Term, is_closed: bool) -> Term:
    """Only the school's admins may close or reopen a term; each change is audited."""
    access.require(actor, "classbook.terms.manage", term)
    with atomic():
        before = {"is_closed": term.is_closed}
        term.is_closed = is_closed
        audit.record(
            actor,
            "classbook.term_closed" if is_closed else "classbook.term_reopened",
            term,
            school_id=term.school_year.school_id,
            before=before,
            after={"is_closed": is_closed},
        )
    return term

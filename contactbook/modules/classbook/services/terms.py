"""Closing and reopening a term: closed terms are read-only for teachers."""

from __future__ import annotations

from contactbook.core.directory import Term, User, access
from contactbook.core.platform import atomic, audit
from contactbook.modules.classbook.models import AuditAction


def set_term_closed(actor: User, term: Term, is_closed: bool) -> Term:
    """Only the school's admins may close or reopen a term; each change is audited."""
    access.require(actor, "classbook.terms.manage", term)
    with atomic():
        before = {"is_closed": term.is_closed}
        term.is_closed = is_closed
        audit.record(
            actor,
            AuditAction.TERM_CLOSED if is_closed else AuditAction.TERM_REOPENED,
            term,
            school_id=term.school_year.school_id,
            before=before,
            after={"is_closed": is_closed},
        )
    return term

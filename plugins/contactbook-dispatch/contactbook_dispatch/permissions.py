"""Permission keys of dispatch and the roles that hold them."""

from __future__ import annotations

from contactbook.core.platform import Permission, Role

PERMISSIONS = (
    # Checked on every school a document goes to (a class's school for families).
    Permission(
        "dispatch.documents.send",
        "Send official documents and follow who confirmed them",
        frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN}),
    ),
    # Reading is further narrowed to the documents addressed to the reader.
    Permission(
        "dispatch.documents.read",
        "Receive, confirm and answer official documents",
        frozenset({Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE, Role.GUARDIAN}),
    ),
)

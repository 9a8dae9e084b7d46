"""Permission keys of the contact book and the roles that hold them by default."""

from __future__ import annotations

from contactbook.core.platform import Permission, Role

STAFF = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE})

PERMISSIONS = (
    Permission("classbook.attendance.record", "Take roll call", frozenset({Role.TEACHER})),
    Permission("classbook.grades.record", "Enter grades", frozenset({Role.TEACHER})),
    Permission(
        "classbook.health_notes.record", "Write health notes", frozenset({Role.TEACHER, Role.NURSE})
    ),
    Permission("classbook.comments.record", "Write comments", frozenset({Role.TEACHER})),
    Permission("classbook.records.view", "Read class records", STAFF),
    Permission("classbook.children.view", "Follow my children", frozenset({Role.GUARDIAN})),
    Permission("classbook.terms.manage", "Close and reopen terms", frozenset({Role.SCHOOL_ADMIN})),
)

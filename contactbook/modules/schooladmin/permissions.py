"""Permission keys of school administration, the roles that hold them, and where."""

from __future__ import annotations

from contactbook.core.platform import Permission, Role

ADMINS = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN})

PERMISSIONS = (
    Permission("schooladmin.school.manage", "Run the school: years, classes, staff", ADMINS),
    Permission(
        "schooladmin.district.manage",
        "See every school of the district, add schools",
        frozenset({Role.DISTRICT_ADMIN}),
    ),
    Permission("schooladmin.roster.import", "Import the pupils and parents of a school", ADMINS),
)

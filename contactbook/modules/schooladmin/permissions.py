"""Permission keys of school administration, the roles that hold them, and where."""

from __future__ import annotations

from contactbook.core.directory import access
from contactbook.core.platform import Permission, Role

ADMINS = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN})
ADMINS_AND_TEACHERS = ADMINS | {Role.TEACHER}

PERMISSIONS = (
    Permission("schooladmin.school.manage", "Run the school: years, classes, staff", ADMINS),
    Permission(
        "schooladmin.district.manage",
        "See every school of the district, add schools",
        frozenset({Role.DISTRICT_ADMIN}),
    ),
    Permission("schooladmin.roster.import", "Import the pupils and parents of a school", ADMINS),
    Permission(
        "schooladmin.invites.issue",
        "See which families of a class joined; print and reprint their invite codes",
        ADMINS_AND_TEACHERS,
        where={Role.TEACHER: access.leads_class},
    ),
    Permission(
        "schooladmin.passwords.reset",
        "Give a pupil's guardian a one-time password reset code",
        ADMINS_AND_TEACHERS,
        where={Role.TEACHER: access.leads_pupils_class},
    ),
)

"""What core itself declares through the module contract: its permissions and menu."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contactbook.core.models import Role
from contactbook.core.modules import MenuItem, Module, Permission

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE})

module = Module(
    name="core",
    title="Core",
    permissions=(
        Permission("core.home.view", "See the home page", ALL_ROLES),
        Permission("core.classes.view", "See class lists", STAFF_ROLES),
    ),
    menu=(
        MenuItem(_l("Home"), "core.home", "core.home.view"),
        MenuItem(_l("Inbox"), "core.inbox", "core.home.view"),
    ),
)

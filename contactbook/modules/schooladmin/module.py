"""What school administration contributes to the app."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contactbook.core.platform import MenuItem, Module, PublicLink
from contactbook.modules.schooladmin.notifications import NOTIFICATIONS
from contactbook.modules.schooladmin.permissions import PERMISSIONS
from contactbook.modules.schooladmin.views.home import bp as pages_bp
from contactbook.modules.schooladmin.views.invites import bp as invites_bp
from contactbook.modules.schooladmin.views.passwords import bp as passwords_bp

module = Module(
    name="schooladmin",
    title="Quản trị nhà trường",
    blueprints=(pages_bp, invites_bp, passwords_bp),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(_l("School administration"), "schooladmin.index", "schooladmin.school.manage"),
        MenuItem(_l("Parent accounts"), "schooladmin_invites.index", "schooladmin.invites.issue"),
    ),
    signin_links=(
        PublicLink(_l("Have an invite code?"), "schooladmin_invites.join"),
        PublicLink(_l("Forgot your password?"), "schooladmin_passwords.forgot"),
    ),
    notifications=NOTIFICATIONS,
)

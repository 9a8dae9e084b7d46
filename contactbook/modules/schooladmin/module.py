"""What school administration contributes to the app."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import MenuItem, Module, PublicLink
from contactbook.modules.schooladmin.api.district import bp as district_api_bp
from contactbook.modules.schooladmin.api.promotion import bp as promotion_api_bp
from contactbook.modules.schooladmin.api.roster import bp as roster_api_bp
from contactbook.modules.schooladmin.api.staff import bp as staff_api_bp
from contactbook.modules.schooladmin.api.structure import bp as structure_api_bp
from contactbook.modules.schooladmin.cli import cli
from contactbook.modules.schooladmin.demo import add_records
from contactbook.modules.schooladmin.notifications import NOTIFICATIONS
from contactbook.modules.schooladmin.permissions import PERMISSIONS
from contactbook.modules.schooladmin.services.reports_families import REPORTS
from contactbook.modules.schooladmin.views.district import bp as district_bp
from contactbook.modules.schooladmin.views.home import bp as pages_bp
from contactbook.modules.schooladmin.views.invites import bp as invites_bp
from contactbook.modules.schooladmin.views.passwords import bp as passwords_bp
from contactbook.modules.schooladmin.views.promotion import bp as promotion_bp
from contactbook.modules.schooladmin.views.reports import bp as reports_bp
from contactbook.modules.schooladmin.views.roster import bp as roster_bp
from contactbook.modules.schooladmin.views.staff import bp as staff_bp
from contactbook.modules.schooladmin.views.structure import bp as structure_bp


def init_app(app: Flask) -> None:
    """Add `flask schooladmin ...` (the first account on an empty database)."""
    app.cli.add_command(cli)


module = Module(
    name="schooladmin",
    title="Quản trị nhà trường",
    blueprints=(
        pages_bp,
        structure_bp,
        structure_api_bp,
        staff_bp,
        staff_api_bp,
        roster_bp,
        roster_api_bp,
        invites_bp,
        passwords_bp,
        reports_bp,
        district_bp,
        district_api_bp,
        promotion_bp,
        promotion_api_bp,
    ),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(
            _l("School administration"),
            "schooladmin.index",
            "schooladmin.school.manage",
            icon="school",
            order=15,
            short_label=_l("Administration"),
        ),
        MenuItem(
            _l("Parent accounts"),
            "schooladmin_invites.index",
            "schooladmin.invites.issue",
            icon="key",
            order=60,
        ),
    ),
    signin_links=(
        PublicLink(_l("Have an invite code?"), "schooladmin_invites.join"),
        PublicLink(_l("Forgot your password?"), "schooladmin_passwords.forgot"),
    ),
    notifications=NOTIFICATIONS,
    init_app=init_app,
    demo=add_records,
    reports=REPORTS,
)

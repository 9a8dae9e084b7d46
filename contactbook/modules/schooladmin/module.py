"""What school administration contributes to the app."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contactbook.core.platform import MenuItem, Module
from contactbook.modules.schooladmin.api.staff import bp as staff_api_bp
from contactbook.modules.schooladmin.api.structure import bp as structure_api_bp
from contactbook.modules.schooladmin.permissions import PERMISSIONS
from contactbook.modules.schooladmin.views.home import bp as pages_bp
from contactbook.modules.schooladmin.views.staff import bp as staff_bp
from contactbook.modules.schooladmin.views.structure import bp as structure_bp

module = Module(
    name="schooladmin",
    title="Quản trị nhà trường",
    blueprints=(pages_bp, structure_bp, structure_api_bp, staff_bp, staff_api_bp),
    permissions=PERMISSIONS,
    menu=(MenuItem(_l("School administration"), "schooladmin.index", "schooladmin.school.manage"),),
)

"""District pages: every school side by side, and one school's drill-down."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from contactbook.core.directory import SchoolLevel
from contactbook.core.platform import Refused
from contactbook.modules.schooladmin.services import district, reports

bp = Blueprint("schooladmin_district", __name__, template_folder="../templates")

LEVEL_NAMES = {
    SchoolLevel.PRIMARY: _l("Primary (grades 1–5)"),
    SchoolLevel.LOWER_SECONDARY: _l("Lower secondary (grades 6–9)"),
    SchoolLevel.UPPER_SECONDARY: _l("Upper secondary (grades 10–12)"),
}


@bp.get("/district/")
@login_required
def index() -> str:
    """Each district the admin runs: its schools' figures, and a form to open a school."""
    districts = district.districts_run_by(current_user)
    if not districts:
        raise Refused(district.PERMISSION)
    return render_template(
        "schooladmin/district/index.html",
        tables=district.district_tables(current_user, districts),
        levels=LEVEL_NAMES,
    )


@bp.get("/district/schools/<int:school_id>")
@login_required
def school(school_id: int) -> str:
    """One school of the district: its figures and its reports."""
    found = district.school_in_district_or_404(current_user, school_id)
    district.district_or_404(current_user, found.district_id)
    return render_template(
        "schooladmin/district/school.html",
        line=district.figures(found),
        reports=reports.available(),
    )

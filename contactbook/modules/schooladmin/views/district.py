"""District pages: every school side by side, and one school's drill-down."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from contactbook.core.directory import SchoolLevel, second_factor
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


@bp.post("/district/<int:district_id>/two-step")
@login_required
def require_two_step(district_id: int) -> ResponseReturnValue:
    """Require, or stop requiring, two-step verification of the district's staff."""
    found = district.district_or_404(current_user, district_id)
    required = request.form.get("required") == "1"
    signed_out = second_factor.require_for_staff(current_user, found, required)
    if required:
        flash(
            _l(
                "Staff must now use two-step verification; %(count)d without it were signed "
                "out and will turn it on at their next sign-in.",
                count=signed_out,
            )
        )
    else:
        flash(_l("Two-step verification is no longer required of staff."))
    return redirect(url_for(".index"))

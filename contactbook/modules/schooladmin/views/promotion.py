"""The year-end promotion page: pick the year that ends, see the dry run, confirm."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from contactbook.core.platform import Hidden
from contactbook.modules.schooladmin.services import promotion, schools

bp = Blueprint("schooladmin_promotion", __name__, template_folder="../templates")


@bp.get("/promotion/schools/<int:school_id>/")
@login_required
def index(school_id: int) -> str:
    """Where every class goes (the dry run) and the form that does it."""
    school = schools.managed_or_404(current_user, school_id)
    years = promotion.years_of(school)
    if not years:
        raise Hidden()
    chosen = request.args.get("year", type=int)
    year = promotion.year_of_school(school, chosen, years) if chosen else years[0]
    return render_template(
        "schooladmin/promotion/index.html",
        school=school,
        years=years,
        year=year,
        moves=promotion.preview(current_user, school, year),
    )

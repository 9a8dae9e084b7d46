"""Report pages: which reports a school has, one report on screen, and its CSV and XLSX files."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from contactbook.core.directory import access
from contactbook.core.platform import Hidden, Invalid
from contactbook.modules.schooladmin.services import reports, schools

bp = Blueprint("schooladmin_reports", __name__, template_folder="../templates")

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", reports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reports.as_xlsx,
    ),
}


@bp.get("/reports/schools/<int:school_id>/")
@login_required
def index(school_id: int) -> str:
    """The school's reports, one tap each."""
    school = schools.managed_or_404(current_user, school_id)
    access.require(current_user, reports.PERMISSION, school)
    return render_template(
        "schooladmin/reports/index.html", school=school, reports=reports.available()
    )


@bp.get("/reports/schools/<int:school_id>/<key>")
@login_required
def show(school_id: int, key: str) -> ResponseReturnValue:
    """One report for a date range: a chart, the table, and links to download it."""
    school = schools.managed_or_404(current_user, school_id)
    report = reports.find(key)
    try:
        start, end = reports.date_range(school, request.args.get("start"), request.args.get("end"))
    except Invalid as invalid:
        access.require(current_user, reports.PERMISSION, school)
        page = render_template(
            "schooladmin/reports/show.html",
            school=school,
            report=report,
            shown=None,
            errors=invalid.errors,
            asked=request.args,
        )
        return page, 422
    shown = reports.build(current_user, school, report, start, end)
    return render_template(
        "schooladmin/reports/show.html",
        school=school,
        report=report,
        shown=shown,
        errors={},
        asked={"start": start.isoformat(), "end": end.isoformat()},
    )


@bp.get("/reports/schools/<int:school_id>/<key>/export.<kind>")
@login_required
def export(school_id: int, key: str, kind: str) -> ResponseReturnValue:
    """The report as a file for Excel or another spreadsheet."""
    school = schools.managed_or_404(current_user, school_id)
    report = reports.find(key)
    if kind not in EXPORTS:
        raise Hidden()
    start, end = reports.date_range(school, request.args.get("start"), request.args.get("end"))
    shown = reports.build(current_user, school, report, start, end)
    mimetype, write = EXPORTS[kind]
    name = f"{key.replace('.', '-')}_{school.code}_{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
    return Response(
        write(shown),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

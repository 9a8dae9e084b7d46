"""Pages of the roster import: the upload page, the template, and an import's dry run."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import access
from contactbook.core.platform import Refused
from contactbook.modules.schooladmin.services import roster, schools
from contactbook.modules.schooladmin.services.roster_plan import plan_for_display
from contactbook.modules.schooladmin.services.roster_read import TEMPLATE_HEADERS

bp = Blueprint("schooladmin_roster", __name__, template_folder="../templates")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_admin() -> None:
    if not access.has_permission(current_user, roster.PERMISSION):
        raise Refused(roster.PERMISSION)


@bp.get("/roster/schools/<int:school_id>")
@login_required
def upload(school_id: int) -> str:
    """Choose a file to check; earlier uploads of the school lead back to their dry runs."""
    _require_admin()
    school = schools.managed_or_404(current_user, school_id)
    return render_template(
        "schooladmin/roster/upload.html",
        school=school,
        headers=TEMPLATE_HEADERS.values(),
        imports=roster.recent_imports(school),
        max_megabytes=roster.MAX_UPLOAD_BYTES // (1024 * 1024),
    )


@bp.get("/roster/schools/<int:school_id>/template.xlsx")
@login_required
def template(school_id: int) -> Response:
    """The empty roster to fill in, with the headers the import knows best."""
    _require_admin()
    schools.managed_or_404(current_user, school_id)
    return Response(
        roster.template_workbook(),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="danh-sach-hoc-sinh.xlsx"'},
    )


@bp.get("/roster/imports/<int:import_id>")
@login_required
def dry_run(import_id: int) -> str:
    """What the import will write, row by row, with every problem; or what it wrote."""
    _require_admin()
    roster_import = roster.import_or_404(current_user, import_id)
    plan = roster.dry_run(current_user, roster_import)
    return render_template(
        "schooladmin/roster/dry_run.html",
        roster_import=roster_import,
        school=roster.school_of(roster_import),
        year=plan.school_year,
        **plan_for_display(plan),
    )

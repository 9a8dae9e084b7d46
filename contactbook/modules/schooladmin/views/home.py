"""Pages of school administration (reads only; writes go through the JSON API)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import access
from contactbook.core.platform import Refused
from contactbook.modules.schooladmin.services import district, schools

bp = Blueprint("schooladmin", __name__, template_folder="../templates")


@bp.get("/")
@login_required
def index() -> str:
    """The admin's start: each school they run, with a way into each part of running it."""
    if not access.has_permission(current_user, "schooladmin.school.manage"):
        raise Refused("schooladmin.school.manage")
    return render_template(
        "schooladmin/index.html",
        schools=schools.managed_by(current_user),
        districts=district.districts_run_by(current_user),
    )

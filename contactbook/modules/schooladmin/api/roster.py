"""JSON routes of the roster import: upload for a dry run, read the dry run, confirm it."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_smorest import Blueprint, abort
from marshmallow import fields

from contactbook.core.platform import Invalid, idempotent
from contactbook.modules.schooladmin.services import roster, schools
from contactbook.modules.schooladmin.services.roster_plan import plan_for_display

bp = Blueprint(
    "schooladmin_roster_api", __name__, description="Roster import: dry run, then confirm"
)


class ProblemOut(ma.Schema):
    row = fields.Integer()
    column = fields.String(metadata={"description": "the column's header as the file has it"})
    letter = fields.String(metadata={"description": "the column's letter in the spreadsheet"})
    message = fields.String()


class RowOut(ma.Schema):
    row = fields.Integer()
    code = fields.String()
    name = fields.String()
    class_name = fields.String()
    changes = fields.List(fields.String())
    problems = fields.List(fields.Nested(ProblemOut))
    notes = fields.List(fields.String())


class DryRunOut(ma.Schema):
    id = fields.Integer()
    status = fields.String()
    page = fields.String(metadata={"description": "the dry run page to show the admin"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    problems = fields.List(fields.Nested(ProblemOut))
    rows = fields.List(fields.Nested(RowOut))


class ImportedOut(ma.Schema):
    id = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


@bp.url_value_preprocessor
def allow_large_upload(endpoint: str | None, _values: Any) -> None:
    # Runs before the CSRF check reads the form, so the roster's own size limit applies.
    if endpoint != f"{bp.name}.upload_roster":
        return
    if (request.content_length or 0) > roster.MAX_UPLOAD_BYTES:
        megabytes = roster.MAX_UPLOAD_BYTES // (1024 * 1024)
        abort(413, message=_("The file is larger than %(size)d MB.", size=megabytes))
    request.max_content_length = roster.MAX_UPLOAD_BYTES


def _dry_run_out(roster_import) -> dict[str, Any]:
    plan = roster.dry_run(current_user, roster_import)
    return {
        "id": roster_import.id,
        "status": roster_import.status.value,
        "page": url_for("schooladmin_roster.dry_run", import_id=roster_import.id),
        **plan_for_display(plan),
    }


@bp.route("/roster/schools/<int:school_id>/imports", methods=["POST"])
@login_required
@bp.response(201, DryRunOut)
def upload_roster(school_id):
    """Upload an .xlsx or .csv roster (form field `file`) and get its dry run."""
    school = schools.managed_or_404(current_user, school_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid({"file": [_("Choose a file.")]})
    with upload.stream:  # a large upload waits in a temporary file: close it when read
        data = upload.stream.read()
    roster_import = roster.check_upload(current_user, school, upload.filename, data)
    return _dry_run_out(roster_import)


@bp.route("/roster/imports/<int:import_id>", methods=["GET"])
@login_required
@bp.response(200, DryRunOut)
def get_dry_run(import_id):
    """What confirming the import would write now, and every problem in its rows."""
    return _dry_run_out(roster.import_or_404(current_user, import_id))


@bp.route("/roster/imports/<int:import_id>/confirm", methods=["POST"])
@login_required
@idempotent
@bp.response(200, ImportedOut)
def confirm_import(import_id):
    """Write the import, all or nothing; confirming again writes nothing more."""
    roster_import = roster.import_or_404(current_user, import_id)
    return {"id": roster_import.id, "counts": roster.confirm(current_user, roster_import)}

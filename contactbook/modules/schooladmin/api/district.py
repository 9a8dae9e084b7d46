"""JSON routes of the district view: open a school with its first admin."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import fields, validate

from contactbook.core.directory import SchoolLevel
from contactbook.core.platform import idempotent
from contactbook.modules.schooladmin.services import district

bp = Blueprint("schooladmin_district_api", __name__, description="Schools of a district")


class SchoolIn(ma.Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^\s*[A-Za-z0-9._-]{1,32}\s*$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = fields.Enum(SchoolLevel, by_value=True, required=True)
    admin = fields.String(required=True, validate=validate.Length(min=3, max=64))
    admin_name = fields.String(load_default="", validate=validate.Length(max=200))
    admin_password = fields.String(load_default="", validate=validate.Length(max=200))


class SchoolOut(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


@bp.route("/district/districts/<int:district_id>/schools", methods=["POST"])
@login_required
@idempotent
@bp.arguments(SchoolIn)
@bp.response(201, SchoolOut)
def create_school(payload, district_id):
    found = district.district_or_404(current_user, district_id)
    return district.create_school(current_user, found, **payload)

"""JSON routes of school administration: parse with a schema, call a service, dump."""

from __future__ import annotations

from flask_smorest import Blueprint

bp = Blueprint(
    "schooladmin_api", __name__, description="School years, classes, staff, rosters, invites"
)

"""JSON routes of staff accounts: add someone, change their roles here, disable or enable them."""

from __future__ import annotations

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.directory import second_factor
from contactbook.core.platform import idempotent
from contactbook.modules.schooladmin.api import staff_schemas as schemas
from contactbook.modules.schooladmin.services import staff, structure_years
from contactbook.modules.schooladmin.services import structure_find as find

bp = Blueprint("schooladmin_staff_api", __name__, description="Staff accounts of a school")


def _member(school_id: int, user_id: int):
    """The school, and a staff member of it, once the actor is known to run the school."""
    school = find.school_or_404(current_user, school_id)
    structure_years.require_manager(current_user, school)
    return school, find.staff_member_or_404(school, user_id)


@bp.route("/staff/schools/<int:school_id>/members", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.StaffIn)
@bp.response(201, schemas.StaffOut)
def add_staff(payload, school_id):
    """Add a staff member; an existing account with this phone or username is linked."""
    school = find.school_or_404(current_user, school_id)
    data = staff.StaffIn(
        name=payload["name"],
        phone=payload["phone"],
        username=payload["username"],
        roles=schemas.ticked(payload["roles"]),
        password=payload["password"],
    )
    return staff.add_staff(current_user, school, data)


@bp.route("/staff/schools/<int:school_id>/members/<int:user_id>/roles", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.RolesIn)
@bp.response(204)
def set_roles(payload, school_id, user_id):
    """Set the person's roles at this school; none ticked and they leave it."""
    school, member = _member(school_id, user_id)
    staff.set_roles(current_user, school, member, schemas.ticked(payload["roles"]))


@bp.route("/staff/schools/<int:school_id>/members/<int:user_id>", methods=["PATCH"])
@login_required
@idempotent
@bp.arguments(schemas.ActiveIn)
@bp.response(200, schemas.StaffOut)
def set_active(payload, school_id, user_id):
    """Disable (ends their sessions at once) or enable an account."""
    school, member = _member(school_id, user_id)
    return staff.set_active(current_user, school, member, payload["is_active"])


@bp.route("/staff/schools/<int:school_id>/members/<int:user_id>/two-step", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def turn_off_two_step(school_id, user_id):
    """Turn a staff member's two-step verification off after a lost phone; audited. If the
    district requires it, they turn it on again at their next sign-in."""
    _school, member = _member(school_id, user_id)
    if second_factor.factor_of(member) is not None:
        second_factor.turn_off(current_user, member)

"""Pages of staff accounts (reads only; their forms post to the staff API)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import School, second_factor
from contactbook.modules.schooladmin.services import staff, structure_years
from contactbook.modules.schooladmin.services import structure_find as find

bp = Blueprint("schooladmin_staff", __name__, template_folder="../templates")


def _school(school_id: int) -> School:
    school = find.school_or_404(current_user, school_id)
    structure_years.require_manager(current_user, school)
    return school


@bp.get("/staff/<int:school_id>")
@login_required
def index(school_id: int) -> str:
    """The school's staff with their roles, and a form to add someone."""
    school = _school(school_id)
    return render_template(
        "schooladmin/staff/index.html",
        school=school,
        rows=staff.staff_of(school),
        roles=staff.STAFF_ROLES,
    )


@bp.get("/staff/<int:school_id>/<int:user_id>")
@login_required
def member(school_id: int, user_id: int) -> str:
    """One staff member: roles at this school, and disabling or enabling the account."""
    school = _school(school_id)
    person = find.staff_member_or_404(school, user_id)
    return render_template(
        "schooladmin/staff/member.html",
        school=school,
        person=person,
        held=staff.roles_here(person, school),
        roles=staff.STAFF_ROLES,
        is_self=person.id == current_user.id,
        two_step=second_factor.factor_of(person) is not None,
    )

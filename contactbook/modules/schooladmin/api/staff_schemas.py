"""What goes in and out of the staff API.

Roles come as a map of role to ticked or not (`{"teacher": true, "nurse": false}`), as the
pages' role checkboxes send them.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from contactbook.core.platform import Role
from contactbook.modules.schooladmin.services.staff import STAFF_ROLES

USERNAME = validate.Regexp(
    r"^[A-Za-z0-9._-]{3,64}$", error=_l("3 to 64 letters, digits, dots, dashes or underscores.")
)


def _roles() -> fields.Dict:
    return fields.Dict(
        keys=fields.Enum(Role, by_value=True, validate=validate.OneOf(STAFF_ROLES)),
        values=fields.Boolean(),
        required=True,
    )


def ticked(roles: dict[Role, bool]) -> frozenset[Role]:
    """The roles whose box is ticked."""
    return frozenset(role for role, on in roles.items() if on)


class StaffIn(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(load_default=None, validate=validate.Length(max=30))
    username = fields.String(load_default=None, validate=USERNAME)
    roles = _roles()
    password = fields.String(load_default=None, validate=validate.Length(max=200))


class RolesIn(ma.Schema):
    roles = _roles()


class ActiveIn(ma.Schema):
    is_active = fields.Boolean(required=True)


class StaffOut(ma.Schema):
    id = fields.Integer()
    display_name = fields.String()
    phone = fields.String(allow_none=True)
    username = fields.String(allow_none=True)
    is_active = fields.Boolean()

"""JSON route of year-end promotion: move the classes up into the new year."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import fields, validate

from contactbook.core.platform import Id, idempotent
from contactbook.modules.schooladmin.services import promotion, schools

bp = Blueprint("schooladmin_promotion_api", __name__, description="Year-end promotion")


class PromotionIn(ma.Schema):
    from_year_id = Id(required=True)
    new_year_name = fields.String(required=True, validate=validate.Length(min=4, max=20))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class PromotionOut(ma.Schema):
    classes = fields.Integer()
    enrollments = fields.Integer()
    graduated = fields.Integer()


@bp.route("/promotion/schools/<int:school_id>/promotions", methods=["POST"])
@login_required
@idempotent
@bp.arguments(PromotionIn)
@bp.response(200, PromotionOut)
def promote(payload, school_id):
    school = schools.managed_or_404(current_user, school_id)
    year = promotion.year_of_school(school, payload.pop("from_year_id"), promotion.years_of(school))
    return promotion.promote(current_user, school, year, **payload)

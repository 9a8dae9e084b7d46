"""Two-step verification pages: the code asked after the password, and turning it on or off."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import DataRequired

from contactbook.core.directory import second_factor, signing_in
from contactbook.core.platform.public_routes import public
from contactbook.extensions import limiter

bp = Blueprint("two_step", __name__)
ENROLLING = "second_factor_secret"
# Wrong codes for one account, whatever the address: a 6-digit code must not be guessable.
CODE_ATTEMPTS = "5 per 5 minutes"
FAILED = 401


class CodeForm(FlaskForm):
    """One box for the app's 6 digits or a recovery code."""

    code = StringField(
        _l("Verification code"), validators=[DataRequired(message=_l("Type the code."))]
    )


@bp.route("/signin/code", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: CODE_ATTEMPTS,
    key_func=signing_in.pending_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == FAILED,
)
def code() -> ResponseReturnValue:
    """After the password: the code from the authenticator app, or a recovery code."""
    waiting = signing_in.waiting_for_code()
    if waiting is None:
        flash(_l("Please sign in again."))
        return redirect(url_for("auth.signin"))
    user, destination = waiting
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        if second_factor.accept_code(user, form.code.data):
            signing_in.start_session(user)
            return redirect(destination)
        form.code.errors.append(_l("The code is wrong or has been used. Type the newest one."))
        status = FAILED
    elif form.is_submitted():
        status = 400
    return render_template("core/two_step_code.html", form=form), status


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    """Turn two-step verification on (scan, then type a code), or see and manage it."""
    factor = second_factor.factor_of(current_user)
    if factor is not None:
        return render_template(
            "core/two_step_on.html",
            factor=factor,
            codes_left=second_factor.recovery_codes_left(current_user),
            required=second_factor.is_required(current_user),
            form=CodeForm(),
        )
    if ENROLLING not in session:
        session[ENROLLING] = second_factor.new_secret()
    enrolment = second_factor.enrolment_for(current_user, session[ENROLLING])
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        codes = second_factor.turn_on(current_user, enrolment.secret, form.code.data.strip())
        if codes is not None:
            session.pop(ENROLLING)
            signing_in.enrolled()
            return render_template("core/two_step_codes.html", codes=codes, first=True)
        form.code.errors.append(_l("The code is wrong. Type the one the app shows now."))
        status = 400
    elif form.is_submitted():
        status = 400
    qr = segno.make(enrolment.uri, error="m").svg_inline(scale=4, title=_l("QR code to scan"))
    return (
        render_template(
            "core/two_step_enrol.html",
            form=form,
            # segno's own SVG: paths and an escaped title; nothing typed by anyone goes in it.
            qr=Markup(qr),  # noqa: S704 - SVG made by segno from our own link  # nosec B704
            secret=" ".join(
                enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4)
            ),
            required=signing_in.MUST_ENROL in session,
        ),
        status,
    )


@bp.post("/account/two-step/codes")
@login_required
def new_codes() -> ResponseReturnValue:
    """New recovery codes, when the old ones are used up or lost; a current code proves it."""
    form = CodeForm()
    if not (form.validate_on_submit() and second_factor.accept_code(current_user, form.code.data)):
        flash(_l("The code is wrong or has been used. Type the newest one."))
        return redirect(url_for(".settings"))
    return render_template(
        "core/two_step_codes.html", codes=second_factor.new_recovery_codes(current_user)
    )


@bp.post("/account/two-step/off")
@login_required
def turn_off() -> ResponseReturnValue:
    """Turn two-step verification off, unless the district requires it; a code proves it."""
    if second_factor.factor_of(current_user) is None:
        abort(404)
    if second_factor.is_required(current_user):
        flash(_l("Your district requires two-step verification for staff."))
        return redirect(url_for(".settings"))
    form = CodeForm()
    if not (form.validate_on_submit() and second_factor.accept_code(current_user, form.code.data)):
        flash(_l("The code is wrong or has been used. Type the newest one."))
        return redirect(url_for(".settings"))
    second_factor.turn_off(current_user, current_user)
    flash(_l("Two-step verification is off."))
    return redirect(url_for(".settings"))

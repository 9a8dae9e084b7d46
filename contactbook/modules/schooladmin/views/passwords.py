"""Password help pages: asking for a link, resetting by link or code, and the parent's page
where the homeroom teacher or an admin issues a reset code.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from contactbook.core.directory import display_phone, finish_sign_in
from contactbook.core.platform import Invalid, parse_id, public
from contactbook.extensions import limiter
from contactbook.modules.schooladmin.models import PasswordReset
from contactbook.modules.schooladmin.services import passwords
from contactbook.modules.schooladmin.services.invites_codes import CodeState

bp = Blueprint("schooladmin_passwords", __name__, template_folder="../templates")

# Every request for a link counts (the answer never says whether one went out).
LINK_REQUESTS = "5 per hour"
# Failed reset codes per client address: a code has 2**50 values and lives 24 hours.
FAILED_CODES = "10 per hour"
REQUIRED = _l("Please fill in this field.")


class ForgotForm(FlaskForm):
    """The name the person signs in with."""

    identifier = StringField(
        _l("Phone number or username"), validators=[DataRequired(message=REQUIRED)]
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(_l("New password"), validators=[DataRequired(message=REQUIRED)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=REQUIRED),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class CodeResetForm(NewPasswordForm):
    """The phone number and the code the teacher gave, then the new password."""

    identifier = StringField(_l("Phone number"), validators=[DataRequired(message=REQUIRED)])
    code = StringField(_l("Reset code"), validators=[DataRequired(message=REQUIRED)])


class IssueForm(FlaskForm):
    """One button: issue a reset code."""


@bp.route("/passwords/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: LINK_REQUESTS, methods=["POST"])
def forgot() -> ResponseReturnValue:
    """Ask for a reset link by email; the answer is the same whether or not one was sent."""
    form = ForgotForm()
    if form.validate_on_submit():
        passwords.send_link(form.identifier.data)
        return render_template("schooladmin/passwords/forgot.html", form=form, asked=True)
    status = 400 if form.is_submitted() else 200
    return render_template("schooladmin/passwords/forgot.html", form=form, asked=False), status


@bp.route("/passwords/reset/<token>", methods=["GET", "POST"])
@public
def reset_by_link(token: str) -> ResponseReturnValue:
    """The link from the email: choose a new password."""
    state, reset = passwords.by_link(token)
    form = NewPasswordForm()
    if state is not CodeState.VALID or reset is None:
        return _refused(state)
    return _reset(form, reset, "schooladmin/passwords/reset.html")


@bp.route("/passwords/code", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: FAILED_CODES,
    methods=["POST"],
    deduct_when=lambda response: response.status_code in {404, 410},
)
def reset_by_code() -> ResponseReturnValue:
    """Type the phone number, the code from the teacher and a new password."""
    form = CodeResetForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("schooladmin/passwords/code.html", form=form), status
    state, reset = passwords.by_code(form.identifier.data, form.code.data)
    if state is not CodeState.VALID or reset is None:
        form.form_errors.append(_STATE_MESSAGES[state])
        status = 404 if state is CodeState.UNKNOWN else 410
        return render_template("schooladmin/passwords/code.html", form=form), status
    return _reset(form, reset, "schooladmin/passwords/code.html")


@bp.get("/passwords/guardians/<user_id>")
@login_required
def guardian(user_id: str) -> str:
    """The parent's page for the homeroom teacher and the admins: children and a reset code."""
    parent = passwords.guardian_or_404(current_user, parse_id(user_id))
    children = passwords.children_seen_by(current_user, parent)
    return render_template(
        "schooladmin/passwords/guardian.html",
        parent=parent,
        children=children,
        may_issue=passwords.may_issue(current_user, parent, children),
        phone=display_phone(parent.phone) if parent.phone else "",
        form=IssueForm(),
        issued=None,
    )


@bp.post("/passwords/guardians/<user_id>/code")
@login_required
def issue_code(user_id: str) -> ResponseReturnValue:
    """Issue a one-time reset code and show it this once."""
    parent = passwords.guardian_or_404(current_user, parse_id(user_id))
    if not IssueForm().validate_on_submit():
        return redirect(url_for(".guardian", user_id=parent.id))
    issued = passwords.issue_code(current_user, parent)
    return render_template(
        "schooladmin/passwords/guardian.html",
        parent=parent,
        children=passwords.children_seen_by(current_user, parent),
        may_issue=True,
        phone=display_phone(parent.phone) if parent.phone else "",
        form=IssueForm(),
        issued=issued,
    )


_STATE_MESSAGES = {
    CodeState.UNKNOWN: _l("This phone number and code do not match. Check them and try again."),
    CodeState.USED: _l("This code has already been used. Ask the homeroom teacher for a new one."),
    CodeState.REVOKED: _l("This code has been replaced by a newer one."),
    CodeState.EXPIRED: _l("This code has expired. Ask the homeroom teacher for a new one."),
}
_LINK_MESSAGES = {
    CodeState.UNKNOWN: _l("This link is not valid. Ask for a new one."),
    CodeState.USED: _l("This link has already been used. Ask for a new one if you need it."),
    CodeState.REVOKED: _l("This link has been replaced by a newer one."),
    CodeState.EXPIRED: _l("This link has expired. Ask for a new one."),
}


def _refused(state: CodeState) -> ResponseReturnValue:
    status = 404 if state is CodeState.UNKNOWN else 410
    return render_template(
        "schooladmin/passwords/link_refused.html", message=_LINK_MESSAGES[state]
    ), status


def _reset(form: NewPasswordForm, reset: PasswordReset, template: str) -> ResponseReturnValue:
    """Complete a reset from a valid form, or show the form again with what is wrong."""
    status = 200
    if form.validate_on_submit():
        try:
            user = passwords.complete(reset, form.password.data)
        except Invalid as refusal:
            form.password.errors = [m for messages in refusal.errors.values() for m in messages]
            status = 400
        else:
            response = finish_sign_in(user, url_for("core.home"))
            flash(_l("Your password has been changed. Other devices have been signed out."))
            return response
    elif form.is_submitted():
        status = 400
    return render_template(template, form=form), status

"""Sign-in, sign-out, password change and signed-in devices pages."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from contactbook.core.directory import (
    devices,
    identity,
    session_lifetimes,
    signin_limits,
    signing_in,
)
from contactbook.core.directory.phones import InvalidPhoneNumber
from contactbook.core.platform.errors import wants_json
from contactbook.core.platform.module_contract import registry
from contactbook.core.platform.public_routes import public
from contactbook.core.platform.records import utcnow
from contactbook.core.platform.redirects import is_local_path
from contactbook.extensions import login_manager

bp = Blueprint("auth", __name__)
# Preferred over the generic HTTPException handler: the page says how long to wait.
bp.app_errorhandler(RateLimitExceeded)(signin_limits.too_many_attempts)

REQUIRED = _l("Please fill in this field.")


class SignInForm(FlaskForm):
    """One box for a phone number or a username, so parents and staff use the same page."""

    identifier = StringField(
        _l("Phone number or username"), validators=[DataRequired(message=REQUIRED)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class PasswordChangeForm(FlaskForm):
    """The current password proves it is the owner; the new one is typed twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(message=REQUIRED)])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(
                min=identity.MIN_PASSWORD_LENGTH,
                message=_l("Use at least %(min)d characters.", min=identity.MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=REQUIRED),
            EqualTo("new", message=_l("The two passwords differ.")),
        ],
    )


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    """Pages send people to sign in and back; the API answers 401."""
    if wants_json():
        abort(401)
    return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """Follow ?next= only within this site."""
    if target and is_local_path(target):
        return target
    return url_for("core.home")


@bp.route("/signin", methods=["GET", "POST"])
@public
@signin_limits.limit_signin
def signin() -> ResponseReturnValue:
    """The sign-in page; on success, a fresh server-side session and back to ?next=."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = identity.authenticate(form.identifier.data, form.password.data)
        except InvalidPhoneNumber:
            form.identifier.errors.append(_l("This is not a valid Vietnamese mobile number."))
            status = 400
        else:
            if user is None:
                form.form_errors.append(_l("Wrong phone number, username or password."))
                status = 401
            else:
                response = signing_in.finish_sign_in(user, _safe_next(request.args.get("next")))
                signin_limits.remember_device(response, user)
                return response
    elif form.is_submitted():
        status = 400
    return render_template("core/signin.html", form=form, links=registry().signin_links), status


@bp.post("/signout")
def signout() -> ResponseReturnValue:
    """End this device's session on the server too, so a copied cookie is worth nothing."""
    session_id = session.get(identity.SESSION_KEY)
    if session_id:
        identity.end_session(session_id)
    return _signed_out(_l("You have signed out."))


def _signed_out(message: str) -> ResponseReturnValue:
    """Forget the reader here and have the browser delete what this site keeps on the phone
    (the pages kept for offline use, the outbox, the service worker), so the next person sees
    nothing of this user."""
    logout_user()
    session.clear()
    flash(message)
    response = redirect(url_for("auth.signin"))
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.get("/sessions")
@login_required
def sessions() -> ResponseReturnValue:
    """The reader's signed-in devices, so a lost phone or a shared computer can be signed out."""
    here = session.get(identity.SESSION_KEY)
    rows = [
        {
            "handle": session_lifetimes.handle_of(row),
            "device": devices.describe(row.user_agent),
            "signed_in_at": row.created_at,
            "last_used_at": session_lifetimes.last_used(row),
            "here": row.id == here,
        }
        for row in session_lifetimes.open_sessions_of(current_user, utcnow())
    ]
    config = current_app.config
    return render_template(
        "core/sessions.html",
        rows=rows,
        staff_idle=format_timedelta(
            timedelta(minutes=int(config["CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES"]))
        ),
        family_idle=format_timedelta(
            timedelta(days=int(config["CONTACTBOOK_FAMILY_SESSION_IDLE_DAYS"]))
        ),
    )


@bp.post("/sessions/<handle>/end")
@login_required
def end_session(handle: str) -> ResponseReturnValue:
    """Sign one other device out; another person's session, or an ended one, is not found."""
    if not identity.end_own_session(current_user, handle):
        abort(404)
    if not identity.session_is_open(session.get(identity.SESSION_KEY)):
        return _signed_out(_l("You have signed out."))
    flash(_l("That device has been signed out."))
    return redirect(url_for("auth.sessions"))


@bp.post("/sessions/end-all")
@login_required
def end_every_session() -> ResponseReturnValue:
    """Sign out on every device, this one too."""
    identity.end_every_session(current_user)
    return _signed_out(_l("You have signed out on every device."))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    """The password page; a change signs out every other device."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            changed = identity.change_password(
                current_user, form.current.data, form.new.data, session[identity.SESSION_KEY]
            )
        except identity.PasswordRefused as refusal:
            form.new.errors.append(str(refusal))
        else:
            if changed:
                flash(_l("Your password has been changed. Other devices have been signed out."))
                return redirect(url_for("core.home"))
            form.current.errors.append(_l("The current password is wrong."))
    if form.is_submitted():
        status = 400
    return render_template(
        "core/password.html", form=form, min_length=identity.MIN_PASSWORD_LENGTH
    ), status

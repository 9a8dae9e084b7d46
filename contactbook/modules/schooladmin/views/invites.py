"""Pages for invite codes: a class's families and its printable sheet; redeeming a code.

Printing is a POST that answers with the sheet itself: a code exists in clear only in that
answer, so the page that shows it is the one that issued it.
"""

from __future__ import annotations

from urllib.parse import urljoin

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from contactbook.core.directory import display_phone, finish_sign_in, identity
from contactbook.core.platform import Invalid, parse_id, public
from contactbook.extensions import limiter
from contactbook.modules.schooladmin.services import invites, invites_redeem
from contactbook.modules.schooladmin.services.invites import PrintedCode
from contactbook.modules.schooladmin.services.invites_codes import CodeState

bp = Blueprint("schooladmin_invites", __name__, template_folder="../templates")

# Failed redemptions (unknown, used, expired code; wrong password) per client address. A code
# has 2**50 values, so at this pace guessing one open code takes far longer than its 30 days.
FAILED_ATTEMPTS = "10 per hour"
FAILED = {401, 404, 410}
REQUIRED = _l("Please fill in this field.")
STATUS = {CodeState.UNKNOWN: 404, CodeState.VALID: 200}


class NewPasswordForm(FlaskForm):
    """A first password for a family joining, typed twice."""

    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(message=REQUIRED)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=REQUIRED),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class ExistingPasswordForm(FlaskForm):
    """The password of the account the phone number already has."""

    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class ConfirmForm(FlaskForm):
    """Adding a child to the account signed in: one button."""


@bp.get("/invites/")
@login_required
def index() -> str:
    """The classes whose families the user invites: a homeroom teacher's, an admin's school's."""
    return render_template(
        "schooladmin/invites/index.html", classrooms=invites.classrooms_for(current_user)
    )


@bp.get("/invites/classes/<classroom_id>")
@login_required
def classroom(classroom_id: str) -> str:
    """Which families of a class have joined, with a way to print or reprint their codes."""
    room = invites.classroom_or_404(current_user, parse_id(classroom_id))
    families = invites.families_of(current_user, room)
    return render_template(
        "schooladmin/invites/classroom.html",
        classroom=room,
        families=families,
        joined=sum(family.has_joined for family in families),
        display_phone=display_phone,
        form=ConfirmForm(),
    )


@bp.post("/invites/classes/<classroom_id>/sheet")
@login_required
def print_sheet(classroom_id: str) -> ResponseReturnValue:
    """Issue codes for the class's families who have not joined, and show them to print."""
    room = invites.classroom_or_404(current_user, parse_id(classroom_id))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".classroom", classroom_id=room.id))
    return _sheet(invites.print_sheet(current_user, room), room.name)


@bp.post("/invites/families/<guardianship_id>/sheet")
@login_required
def reprint(guardianship_id: str) -> ResponseReturnValue:
    """Issue one family a new code (the slip was lost) and show it to print."""
    guardianship = invites.guardianship_or_404(current_user, parse_id(guardianship_id))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".index"))
    printed = invites.reprint(current_user, guardianship)
    return _sheet([printed], printed.classroom)


@bp.get("/invites/join")
@public
def join() -> ResponseReturnValue:
    """Where a parent types the code from the slip (linked from the sign-in page)."""
    typed = request.args.get("code", "").strip()
    if typed:
        return redirect(url_for(".redeem", code=typed))
    return render_template("schooladmin/invites/join.html")


@bp.route("/invites/join/<code>", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: FAILED_ATTEMPTS,
    methods=["GET", "POST"],
    deduct_when=lambda response: response.status_code in FAILED,
)
def redeem(code: str) -> ResponseReturnValue:
    """The link on the slip: set a password, or add this child to the account signed in."""
    found = invites_redeem.look_up(code)
    if found.state is not CodeState.VALID or found.invite is None:
        status = STATUS.get(found.state, 410)
        return render_template("schooladmin/invites/join.html", state=found.state), status
    invite = found.invite
    guardian = invite.guardianship.user
    if current_user.is_authenticated:
        form: FlaskForm = ConfirmForm()
        mode = "confirm"
    elif guardian.password_hash is None:
        form, mode = NewPasswordForm(), "new"
    else:
        form, mode = ExistingPasswordForm(), "existing"
    status = 200
    if form.validate_on_submit():
        try:
            account = _redeem(mode, invite, form)
        except Invalid as refusal:
            form.form_errors.extend(m for messages in refusal.errors.values() for m in messages)
            status = 400
        else:
            if account is None:
                form.form_errors.append(_l("The password is wrong."))
                status = 401
            else:
                home = url_for("core.home")
                response = redirect(home) if mode == "confirm" else finish_sign_in(account, home)
                pupil = invite.guardianship.student.full_name
                flash(_l("Welcome! You can now follow %(name)s.", name=pupil))
                return response
    elif form.is_submitted():
        status = 400
    return render_template(
        "schooladmin/invites/redeem.html",
        form=form,
        mode=mode,
        invite=invite,
        phone=display_phone(guardian.phone) if guardian.phone else "",
    ), status


def _redeem(mode: str, invite, form: FlaskForm):
    """Run the redemption the form is for; the account to be signed in, or None."""
    if mode == "new":
        return invites_redeem.join_with_new_password(invite, form.password.data)
    if mode == "confirm":
        invites_redeem.add_to_account(current_user, invite)
        return current_user
    account = identity.authenticate(invite.guardianship.user.phone or "", form.password.data)
    if account is None:
        return None
    invites_redeem.add_to_account(account, invite)
    return account


def _sheet(printed: list[PrintedCode], classroom_name: str) -> str:
    """The printable sheet: each code with a QR code of its redemption link."""
    base = current_app.config["CONTACTBOOK_BASE_URL"]
    lines = []
    for line in printed:
        link = urljoin(base, url_for(".redeem", code=line.code))
        qr = segno.make(link, error="m").svg_inline(scale=3, title=line.code)
        lines.append((line, link, qr))
    return render_template(
        "schooladmin/invites/sheet.html",
        lines=lines,
        classroom_name=classroom_name,
        join_link=urljoin(base, url_for(".join")),
    )

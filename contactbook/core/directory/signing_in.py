"""Finishing a sign-in once the password, a reset code or link, or an invite slip proved who
someone is: every one of those ways asks for the second factor here, so none skips it.

Until the code is given, the browser holds only a note of whose code it waits for (for a few
minutes), not a session. Staff whose district requires a second factor and who have none are
signed in with a note that they must turn it on first: every other page sends them there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.utils import redirect

from contactbook.core.directory import identity, second_factor
from contactbook.core.directory.models import User
from contactbook.core.platform.errors import wants_json
from contactbook.core.platform.public_routes import is_public
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db

PENDING = "second_factor_for"
MUST_ENROL = "second_factor_needed"
PENDING_FOR = timedelta(minutes=5)
# Where someone who must turn the second factor on may still go.
ENROLMENT_ENDPOINTS = frozenset({"two_step.settings", "auth.signout"})


def finish_sign_in(user: User, destination: str) -> ResponseReturnValue:
    """Sign the user in and go on, or first ask for their second factor's code."""
    if second_factor.factor_of(user) is not None:
        session.clear()
        session[PENDING] = {"user": user.id, "since": utcnow().isoformat(), "next": destination}
        return redirect(url_for("two_step.code"))
    start_session(user)
    if second_factor.is_required(user):
        session[MUST_ENROL] = True
        return redirect(url_for("two_step.settings"))
    return redirect(destination)


def start_session(user: User) -> None:
    """A fresh server-side session for the user in this browser (never the one before it)."""
    session.clear()
    session[identity.SESSION_KEY] = identity.start_session(user)
    session["lang"] = user.language
    login_user(user)


def waiting_for_code() -> tuple[User, str] | None:
    """Whose code this browser was asked for, and where they were going; None when nobody's
    or the password was given too long ago."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    since = datetime.fromisoformat(pending["since"])
    user = db.session.get(User, pending["user"])
    if user is None or not user.is_active or utcnow() - since > PENDING_FOR:
        return None
    return user, pending["next"]


def pending_key() -> str:
    """The rate-limit key of code attempts: the account waited for, whatever the address."""
    pending = session.get(PENDING)
    return f"second-factor:{pending['user']}" if isinstance(pending, dict) else "second-factor:-"


def enrolled() -> None:
    """The user turned the second factor on: other pages open again."""
    session.pop(MUST_ENROL, None)


def init_app(app: Flask) -> None:
    """Keep someone who must turn the second factor on to the pages that do it."""
    app.before_request(_send_to_enrolment)


def _send_to_enrolment() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if not session.get(MUST_ENROL) or endpoint is None or endpoint in ENROLMENT_ENDPOINTS:
        return None
    if is_public(current_app, endpoint) or not current_user.is_authenticated:
        return None
    if wants_json():
        return {"errors": {"second_factor": [_("Turn on two-step verification first.")]}}, 403
    return redirect(url_for("two_step.settings"))

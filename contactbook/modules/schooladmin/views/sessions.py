"""Signing a person in once they proved who they are by a code or a link, not a password form."""

from __future__ import annotations

from flask import session
from flask_login import login_user

from contactbook.core.directory import User, identity


def sign_in(user: User) -> None:
    """Start a fresh server-side session for the user in this browser, as the sign-in form does."""
    session.clear()
    session[identity.SESSION_KEY] = identity.start_session(user)
    session["lang"] = user.language
    login_user(user)

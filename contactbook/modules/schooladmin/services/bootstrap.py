"""The first account on an empty database: a district and its first district admin.

Without it nobody could sign in to create a school: every other write needs an admin.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from contactbook.core.directory import District, Membership, User, identity, passwords
from contactbook.core.platform import Invalid, Role, atomic, audit
from contactbook.extensions import db

ACTION = "schooladmin.bootstrap"
# Starts with a letter, so it can never be read as a phone number at sign-in.
USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,63}")


def password_problem(username: str, display_name: str, password: str) -> str | None:
    """Say why a typed password may not be the admin's; None when it may."""
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        return f"Use at least {identity.MIN_PASSWORD_LENGTH} characters."
    someone = User(username=username, display_name=display_name)
    reason = passwords.refusal(someone, "", password)
    return None if reason is None else str(reason)


def create_district_admin(
    district_code: str,
    district_name: str,
    username: str,
    display_name: str,
    password: str | None,
) -> User:
    """Create the district and its first admin in one transaction, or refuse and write nothing.

    `password` None leaves the account without one until a sign-in link is used.
    Refuses a district code already taken (the command must not run twice) and a taken username.
    """
    code, username = district_code.strip().upper(), username.strip().lower()
    errors: dict[str, list[str]] = {}
    if not code or not district_name.strip():
        errors["district"] = ["The district code and name are required."]
    elif db.session.scalar(select(District.id).where(func.upper(District.code) == code)):
        errors["district_code"] = [f"District {code} already exists; nothing was changed."]
    if not USERNAME.fullmatch(username):
        errors["admin_username"] = [
            "A username is 3 to 64 letters, digits, dots or dashes, starting with a letter."
        ]
    elif db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        errors["admin_username"] = [f"The username {username} is taken; nothing was changed."]
    if password is not None:
        problem = password_problem(username, display_name, password)
        if problem:
            errors["password"] = [problem]
    if errors:
        raise Invalid(errors)
    with atomic():
        district = District(code=code, name=district_name.strip())
        admin = User(
            username=username,
            display_name=display_name.strip() or username,
            password_hash=identity.hash_password(password) if password is not None else None,
        )
        admin.memberships = [Membership(role=Role.DISTRICT_ADMIN, district=district)]
        db.session.add_all([district, admin])
        db.session.flush()
        audit.record(None, ACTION, district, after={"code": code, "admin": username})
    return admin

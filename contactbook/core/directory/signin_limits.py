"""Sign-in limits: failed attempts per client address, per account and per known device.

Only failed attempts (401) count, so families signing in every day never use the budget.
A browser that has signed in to an account carries a signed, long-lived device cookie naming
it; on that account it is limited by its own failures alone, so strangers failing there cannot
lock the owner out. Every other browser shares the account's limit and its address's limit.
The answer to a breached limit says how long to wait, from the limit that was hit, and sends
`Retry-After`.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from babel.lists import format_list
from babel.units import format_unit
from flask import Response, current_app, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from contactbook.core.directory import identity
from contactbook.core.directory.models import User
from contactbook.core.directory.phones import InvalidPhoneNumber, looks_like_phone, normalise_phone
from contactbook.core.platform.errors import wants_json
from contactbook.core.platform.records import utcnow
from contactbook.extensions import limiter

View = TypeVar("View", bound=Callable[..., Any])

DEVICE_COOKIE = "signin_device"
# Browsers keep a cookie at most 400 days; a year is long enough to stay known.
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
# A family phone may sign in to a few accounts (mother, father, an older child).
MAX_ACCOUNTS_PER_DEVICE = 5
FAILED_SIGN_IN = 401


def limit_signin(view: View) -> View:
    """Put the three sign-in limits on a view; each counts only its failed POSTs."""
    for key_func, exempt_when in (
        (get_remote_address, _is_known_device),
        (_account_key, _is_known_device),
        (_device_key, _is_unknown_device),
    ):
        view = limiter.limit(
            _signin_limit,
            methods=["POST"],
            key_func=key_func,
            exempt_when=exempt_when,
            deduct_when=_failed,
        )(view)
    return view


def remember_device(response: Response, user: User) -> None:
    """Mark this browser as known to the user's account, for the account's own limit."""
    device = _device() or {"id": secrets.token_urlsafe(16), "accounts": []}
    accounts = [user.id] + [account for account in device["accounts"] if account != user.id]
    value = _serializer().dumps(
        {"id": device["id"], "accounts": accounts[:MAX_ACCOUNTS_PER_DEVICE]}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_MAX_AGE,
        path=url_for("auth.signin"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def too_many_attempts(error: RateLimitExceeded) -> tuple[Any, int, dict[str, str]]:
    """Answer a breached limit with the wait it imposes, as a page or as the JSON error body."""
    seconds = _seconds_to_wait()
    message = _("Too many attempts. Please try again in %(wait)s.", wait=_duration(seconds))
    headers = {"Retry-After": str(seconds)}
    if wants_json():
        return jsonify(code=429, message=message, errors={}), 429, headers
    return render_template("errors/error.html", code=429, message=message), 429, headers


def _signin_limit() -> str:
    return current_app.config["CONTACTBOOK_SIGNIN_RATE_LIMIT"]


def _failed(response: Response) -> bool:
    return response.status_code == FAILED_SIGN_IN


def _attempted_account() -> tuple[str, int | None]:
    """Name the account tried, however it was typed: its user id, else the normalised name."""
    if "signin_account" not in g:
        g.signin_account = _resolve(request.form.get("identifier", ""))
    return g.signin_account


def _resolve(identifier: str) -> tuple[str, int | None]:
    try:
        user = identity.find_user(identifier)
    except InvalidPhoneNumber:
        # Answered 400 without a password check: never counted.
        return "invalid:" + identifier.strip(), None
    if user is not None:
        return f"user:{user.id}", user.id
    if looks_like_phone(identifier):
        return "phone:" + normalise_phone(identifier), None
    return "name:" + identifier.strip().lower(), None


def _account_key() -> str:
    return "account:" + _attempted_account()[0]


def _device_key() -> str:
    device = _device()
    device_id = device["id"] if device else ""
    return f"device:{device_id}:{_attempted_account()[0]}"


def _is_known_device() -> bool:
    user_id = _attempted_account()[1]
    device = _device()
    return user_id is not None and device is not None and user_id in device["accounts"]


def _is_unknown_device() -> bool:
    return not _is_known_device()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="contactbook.signin-device")


def _device() -> dict[str, Any] | None:
    """The device cookie's contents when its signature holds and it is young enough."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        device = _serializer().loads(value, max_age=DEVICE_COOKIE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(device, dict) or not isinstance(device.get("id"), str):
        return None
    accounts = device.get("accounts")
    if not isinstance(accounts, list) or not all(isinstance(a, int) for a in accounts):
        return None
    return device


def _seconds_to_wait() -> int:
    """Seconds until every limit this request breached has room again; at least one."""
    now = utcnow().timestamp()
    resets = [limit.window.reset_time for limit in limiter.current_limits if limit.breached]
    return max(1, math.ceil(max(resets, default=now + 60) - now))


def _duration(seconds: int) -> str:
    """Words for a wait in whole minutes, rounded up: "1 phút", "2 tiếng, 40 phút"."""
    locale = get_locale()
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="long", locale=locale))
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="long", locale=locale))
    return format_list(parts, style="unit", locale=locale)

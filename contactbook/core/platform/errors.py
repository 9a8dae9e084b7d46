"""One error shape: JSON {"code", "message", "errors"} under /api, a friendly page elsewhere.

`errors` maps a field's path to its messages, always flat: nested fields are dotted keys
(`entries.3.score`), the same for schema errors and for a service's `Invalid`, and `{}` when
no field is to blame. Pages' scripts read exactly that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, jsonify, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import fields
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import Forbidden, HTTPException, NotFound

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have permission to do this."),
    404: _l("This page does not exist or is not available to you."),
    405: _l("This action is not allowed here."),
    422: _l("Some of the information is not valid."),
    413: _l("What was sent is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
    503: _l("The contact book is unavailable for a moment. Please try again in a few minutes."),
}
# How long a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30
CSRF_MESSAGE = _l("This form has expired. Please reload the page and try again.")


class ErrorOut(ma.Schema):
    """The body of every error under /api, as the OpenAPI document describes it."""

    code = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    message = fields.String(required=True, metadata={"description": "a sentence for the user"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": 'field path ("entries.3.score") -> messages; {} for none'},
    )


class Invalid(Exception):
    """A service refuses its input: field path -> messages, answered with 422, nothing written."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class Refused(Exception):
    """The actor may see the object but not do this to it: a 403, from the API and the pages alike.

    Raised by `access.require` when a declared permission does not admit the actor here. A
    service that refuses for a reason the user can act on (a time limit) says it in `message`.
    """

    def __init__(self, key: str, message: str | None = None) -> None:
        super().__init__(key)
        self.message = message


class Hidden(Exception):
    """The actor may not even know the object exists: a 404, as if it were missing."""


def init_app(app: Flask) -> None:
    """Answer every HTTP error, refused action and refused service input in the one error shape."""
    # Registered after flask-smorest's Api, so this handler replaces its JSON-only one.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Invalid, handle_invalid)
    app.register_error_handler(Refused, handle_refused)
    app.register_error_handler(Hidden, lambda _error: handle_http_exception(NotFound()))
    # The database refusing connections (down, restarting, pool exhausted) is not a bug here.
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeoutError, handle_database_unavailable)


def field_errors(errors: Any, path: str = "") -> dict[str, list[str]]:
    """Flatten nested schema errors into {"entries.3.score": ["..."]}, the one shape we answer.

    Messages about a whole object rather than a field sit under marshmallow's "_schema".
    """
    if isinstance(errors, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            for field, messages in field_errors(
                value, f"{path}.{key}" if path else str(key)
            ).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if not errors:
        return {}
    messages = errors if isinstance(errors, list | tuple) else [errors]
    return {path or "_schema": [str(message) for message in messages]}


def _without_location(messages: Mapping[str, Any] | None) -> dict[str, Any]:
    # webargs files schema errors under the part of the request they came from ("json",
    # "query"); a field's name is enough for the client, so that level is dropped.
    merged: dict[str, Any] = {}
    for part in (messages or {}).values():
        merged.update(part if isinstance(part, Mapping) else {"_schema": part})
    return merged


def handle_invalid(error: Invalid) -> Response:
    """Turn a service's refusal into a 422 naming the fields, as a schema error would be."""
    response = jsonify(code=422, message=str(MESSAGES[422]), errors=field_errors(error.errors))
    response.status_code = 422
    return response


def handle_refused(error: Refused) -> ResponseReturnValue:
    """A 403 in the one error shape, with the service's own words when it gave some."""
    forbidden = Forbidden()
    if error.message:
        forbidden.data = {"message": error.message}
    return handle_http_exception(forbidden)


def wants_json() -> bool:
    """Whether the caller is a script (the API, a page's fetch) rather than a person's browser."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def handle_http_exception(error: HTTPException) -> ResponseReturnValue:
    """Answer scripts with the JSON error shape and people with the friendly error page."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    message = str(data.get("message") or _message_for(error, code))
    # Keep what the exception says about itself (a 405's Allow), not its HTML content type.
    headers = {
        **{key: value for key, value in error.get_headers() if key.lower() != "content-type"},
        **(data.get("headers") or {}),
    }
    if wants_json():
        errors = field_errors(data.get("errors") or _without_location(data.get("messages")))
        response = jsonify(code=code, message=message, errors=errors)
        response.status_code = code
        response.headers.update(headers)
        return response
    return render_template("errors/error.html", code=code, message=message), code, headers


def _message_for(error: HTTPException, code: int) -> object:
    """The sentence for the user: an expired form says so, other codes by their class."""
    if error.__class__.__name__ == "CSRFError":
        return CSRF_MESSAGE
    return MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])


def handle_database_unavailable(error: SQLAlchemyError) -> ResponseReturnValue:
    """Answer 503 without touching the database again, and log one line saying why.

    The usual error page needs the signed-in user (language, menu), which needs the database,
    so people get a page of its own that renders from the session cookie alone.
    """
    log.error("database unavailable: %s", short_reason(error))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    # The session's language: the signed-in user's saved one would need the database.
    language = session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        message = str(MESSAGES[503])
        if wants_json():
            response = jsonify(code=503, message=message, errors={})
            response.status_code = 503
            response.headers.update(headers)
            return response
        # Straight from the template, skipping context processors that read the database.
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            code=503, message=message, language=language
        )
    return page, 503, headers


def short_reason(error: SQLAlchemyError) -> str:
    """The driver's first line about a database error, without SQL, parameters or traceback."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return f"{type(original).__name__}: {lines[0] if lines else ''}".rstrip(": ")

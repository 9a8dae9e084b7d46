"""One error shape: JSON {"code", "message", "errors"} under /api, a friendly page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have permission to do this."),
    404: _l("This page does not exist or is not available to you."),
    405: _l("This action is not allowed here."),
    422: _l("Some of the information is not valid."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
}
CSRF_MESSAGE = _l("This form has expired. Please reload the page and try again.")


class Invalid(Exception):
    """A service refuses its input: field -> messages, answered with 422 and nothing written."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def init_app(app: Flask) -> None:
    # Registered after flask-smorest's Api, so this handler replaces its JSON-only one.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Invalid, handle_invalid)


def handle_invalid(error: Invalid):
    response = jsonify(code=422, message=str(MESSAGES[422]), errors=error.errors)
    response.status_code = 422
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    message = str(data.get("message") or _message_for(error, code))
    headers = data.get("headers") or {}
    if wants_json():
        errors = data.get("errors") or data.get("messages") or {}
        response = jsonify(code=code, message=message, errors=errors)
        response.status_code = code
        response.headers.update(headers)
        return response
    return render_template("errors/error.html", code=code, message=message), code, headers


def _message_for(error: HTTPException, code: int) -> object:
    if error.__class__.__name__ == "CSRFError":
        return CSRF_MESSAGE
    return MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])

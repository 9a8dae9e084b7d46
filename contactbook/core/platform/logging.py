"""Logs an operator can search: one line per request with its request id, JSON in production.

Every process (web, notify worker, scheduler) logs to standard error, which systemd's journal
keeps. `CONTACTBOOK_LOG_FORMAT` chooses `json` (one object a line, for the journal and log
shippers; the production default) or `text` (for a person at a terminal; the development
default). A request's id comes from the proxy's `X-Request-ID` when it is well formed, else
it is made here; it is echoed in the response and on every line logged while answering.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# What nginx's $request_id and common tracing ids look like; nothing that could forge a line.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"

requests_log = logging.getLogger("contactbook.request")


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record, so all lines of one request match."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` ("-" outside a request); never drops a record."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id() if has_request_context() else "-"
        return True


class AppLogHandler(logging.StreamHandler):
    """The one handler the app puts on the root logger (replaced when another app is made)."""


def init_app(app: Flask) -> None:
    """Send the process's logs to standard error in the chosen format, and log each request."""
    log_format = log_format_of(app)
    handler = AppLogHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, AppLogHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config["CONTACTBOOK_LOG_LEVEL"].upper())
    app.before_request(_start_clock)
    app.after_request(log_request)


def log_format_of(app: Flask) -> str:
    """The configured format, else JSON in production and text elsewhere."""
    chosen = str(app.config["CONTACTBOOK_LOG_FORMAT"]).strip().lower()
    if not chosen:
        return "json" if app.config["CONTACTBOOK_ENV"] == "production" else "text"
    if chosen not in FORMATS:
        raise ValueError(f"CONTACTBOOK_LOG_FORMAT must be one of {', '.join(FORMATS)}: {chosen!r}")
    return chosen


def request_id() -> str:
    """This request's id: the proxy's when well formed, else a new one (made once)."""
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if WELL_FORMED_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def log_request(response: Response) -> Response:
    """Echo the request id and log one line: method, path, status, duration, user."""
    response.headers[REQUEST_ID_HEADER] = request_id()
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    user_id = _user_id()
    requests_log.info(
        "%s %s %s %s ms user %s",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        user_id or "-",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user_id,
        },
    )
    return response


def _user_id() -> int | None:
    """The signed-in user's id if the request already loaded them; logging never queries."""
    user = g.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None

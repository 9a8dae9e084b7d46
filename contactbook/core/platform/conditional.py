"""Conditional GET: a page or API read that phones poll answers 304 when nothing changed.

A view names what it shows through a `Stamp` read in one cheap statement (the pupils' change
stamps, a conversation's last message); the ETag is made of that stamp with whatever else
changes the answer: the reader, their language, the app's version (a deploy), the address with
its query, and the day (pages say "today"). It is keyed with the app's secret, so nobody can
make up a tag for a page they have never been sent. A 304 carries no body, and the view does
not run. The answer may be kept by the reader's browser only (`private, no-cache`): it asks
again each time and gets the page anew the moment a write touches what it shows. The server
keeps the answer under the same tag too (`page_cache.py`), so a reader whose browser kept
nothing (a reload, another tab, the app reopened) gets it without the view running either.
The tag also names the session's CSRF token, which the page's forms carry: a new session (after
signing in again) never gets a page with the old one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Response, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from contactbook.core.platform import page_cache, security_headers
from contactbook.core.platform.records import utcnow

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Stamp:
    """What a view's answer was made from: any text that changes when the data does, and the
    time of the last change when known (sent as Last-Modified)."""

    token: str
    changed_at: datetime | None = None


def conditional(stamp_of: Callable[..., Stamp]) -> Callable[[View], View]:
    """Answer 304 when the reader's If-None-Match holds the tag of what the view would send.

    `stamp_of` gets the view's URL arguments. Put it below `login_required`: the tag names
    the reader.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Any:
            stamp = stamp_of(**request.view_args)
            tag = entity_tag(stamp)
            if tag in _tags_in(request.headers.get("If-None-Match", "")):
                response = Response(status=304)
            else:
                # A page showing messages meant for this one view is neither kept nor replayed.
                replayable = not _flashes_waiting()
                response = page_cache.kept(tag) if replayable else None
                if response is None:
                    response = make_response(view(*args, **kwargs))
                    if response.status_code != 200:
                        return response
                    if replayable:
                        page_cache.keep(tag, response)
            response.headers["ETag"] = f'W/"{tag}"'
            if stamp.changed_at is not None:
                response.last_modified = stamp.changed_at
            return response

        return security_headers.revalidated(answer)

    return decorate


def entity_tag(stamp: Stamp) -> str:
    """The tag of what a view sends this reader now: changes with data, reader and session,
    language, deploy and modules, address and day."""
    zone = ZoneInfo(current_app.config["CONTACTBOOK_TIMEZONE"])
    generate_csrf()  # the session's token exists before the page is made, and names it
    parts = (
        str(current_user.get_id()),
        str(session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), "")),
        str(get_locale()),
        current_app.extensions.get("pwa_version", ""),
        ",".join(current_app.config["MODULES"]),
        request.full_path,
        utcnow().astimezone(zone).date().isoformat(),
        stamp.token,
    )
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _flashes_waiting() -> bool:
    """Whether the page about to be built will show flashed messages (they are shown once)."""
    return bool(session.get("_flashes"))


def _tags_in(header: str) -> set[str]:
    """The opaque tags an If-None-Match lists, weak or strong alike (a GET compares weakly)."""
    return {part.strip().removeprefix("W/").strip('"') for part in header.split(",") if part}

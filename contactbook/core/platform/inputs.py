"""What a request may carry before any schema reads it: ids that fit a column, plain JSON.

Ids in paths go through `IdConverter`, registered as the "int" converter, so an id no database
column can hold is a 404 like any other missing object. JSON bodies are read once, strictly, by
`StrictJSONProvider` before the view runs: nesting past `MAX_DEPTH`, strings that are not
Unicode text (lone surrogates) or hold the NUL character, NaN and infinities are a 400 with the
usual error body, so that schemas and the database only ever see values they can store. NUL in a
query string or a plain form is a 400 too: PostgreSQL cannot store it in text (SQLite can, so
refusing it everywhere keeps both databases alike).
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, Map

# Ids are `integer` columns: PostgreSQL stores at most 2**31 - 1 there.
MAX_ID = 2**31 - 1
# Our bodies nest three levels deep (a column, its entries, one entry); far below recursion.
MAX_DEPTH = 32
NUL = "\x00"
# A plain form is read whole here; a multipart one (with files) is left to its view's limits.
PLAIN_FORM = "application/x-www-form-urlencoded"


class IdConverter(IntegerConverter):
    """An id in a path: ASCII digits and no larger than the database can store."""

    regex = r"[0-9]+"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(text: str) -> int:
    """Read an id from a query string (`request.args.get(..., type=parse_id)`).

    Raises ValueError, which makes `args.get` fall back to its default, unless the text is
    ASCII digits naming an id a column can hold: int() would take "١" and 2**63 alike.
    """
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        raise ValueError(f"not an id: {text!r}")
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"not an id: {text!r}")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing what no browser sends and nothing can store."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON, raising ValueError (so a 400) for anything our models cannot hold."""
        kwargs.setdefault("parse_constant", _refuse_constant)
        kwargs.setdefault("parse_float", _finite_float)
        try:
            data = json.loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply.") from error
        _check_plain(data)
        return data


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON.")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} does not fit a number.")
    return number


def _check_plain(data: Any) -> None:
    """Walk the parsed value without recursion: depth within MAX_DEPTH, every string UTF-8."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise ValueError("JSON nested too deeply.")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                _check_text(key)
            pending.append((item, depth + 1))


def _check_text(text: str) -> None:
    """Raise ValueError for text no column can store: a lone surrogate, the NUL character."""
    text.encode("utf-8")  # UnicodeEncodeError, a ValueError, for a lone surrogate
    if NUL in text:
        raise ValueError("Text may not hold the NUL character.")


def init_app(app: Flask) -> None:
    """Install the id converter and the strict readers of bodies and query strings; call before
    any route is added."""
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(_read_inputs)


def _read_inputs() -> None:
    # webargs parses bodies with the standard library; reading them here first means it never
    # meets one that would crash it, and every view gets the same 400 for a bad body.
    if request.is_json and request.get_data(cache=True):
        request.get_json()
    fields = [value for _name, value in request.args.items(multi=True)]
    if request.mimetype == PLAIN_FORM:
        fields += [value for _name, value in request.form.items(multi=True)]
    if any(NUL in field for field in fields):
        abort(400)

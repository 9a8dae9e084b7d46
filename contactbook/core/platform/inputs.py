"""What a request may carry before any schema reads it: ids that fit a column, plain JSON.

Ids in paths go through `IdConverter`, registered as the "int" converter, so an id no database
column can hold is a 404 like any other missing object. JSON bodies are read once, strictly, by
`StrictJSONProvider` before the view runs: nesting past `MAX_DEPTH`, strings that are not
Unicode text (lone surrogates), NaN and infinities are a 400 with the usual error body, so that
schemas and the database only ever see values they can store.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, Map

# Ids are `integer` columns: PostgreSQL stores at most 2**31 - 1 there.
MAX_ID = 2**31 - 1
# Our bodies nest three levels deep (a column, its entries, one entry); far below recursion.
MAX_DEPTH = 32


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
            value.encode("utf-8")  # UnicodeEncodeError, a ValueError, for a lone surrogate
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise ValueError("JSON nested too deeply.")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                key.encode("utf-8")
            pending.append((item, depth + 1))


def init_app(app: Flask) -> None:
    """Install the id converter and the strict JSON reader; call before any route is added."""
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(_read_json_body)


def _read_json_body() -> None:
    # webargs parses bodies with the standard library; reading them here first means it never
    # meets one that would crash it, and every view gets the same 400 for a bad body.
    if request.is_json and request.get_data(cache=True):
        request.get_json()

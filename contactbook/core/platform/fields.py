"""Schema fields every module's API shares (whole numbers and ids that fit, storable times)."""

from __future__ import annotations

import re
from datetime import MAXYEAR, MINYEAR, UTC, datetime
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from contactbook.core.platform.inputs import MAX_ID

_DIGITS = re.compile(r"[0-9]+")


class WholeNumber(fields.Integer):
    """A whole number from a JSON number or a query string's ASCII digits, within bounds.

    Marshmallow's Integer takes 5.5 as 5 and Python reads "١٠" as 10; neither is what anyone
    typed, so both are refused, as is anything an `integer` column cannot hold.
    """

    default_error_messages = {
        "invalid": _l("Enter a whole number."),
        "range": _l("Enter a number from %(low)s to %(high)s."),
    }

    def __init__(self, *, low: int = 0, high: int = MAX_ID, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.low = low
        self.high = high
        self.metadata.setdefault("minimum", low)
        self.metadata.setdefault("maximum", high)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip()) and len(value) < 20:
            value = int(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON has one kind of number: 5.0 is the whole number 5
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        if not self.low <= value <= self.high:
            raise ma.ValidationError(
                str(self.error_messages["range"]) % {"low": self.low, "high": self.high}
            )
        return value


class Id(WholeNumber):
    """The id of a stored row: 1 up to the largest value of an `integer` column."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(low=1, high=MAX_ID, **kwargs)


class AwareDateTime(fields.AwareDateTime):
    """A time with its offset that every time zone can show: no year 1 at +14:00."""

    default_error_messages = {"out_of_range": _l("This time is out of range.")}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = moment.astimezone(UTC)
        except OverflowError as error:
            raise self.make_error("out_of_range") from error
        # A day of margin on each side, so converting to any zone on display cannot overflow.
        if not MINYEAR < in_utc.year < MAXYEAR:
            raise self.make_error("out_of_range")
        return moment


def decimal_as_json(converter: Any, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """Describe a Decimal field in OpenAPI as its JSON really is (an apispec attribute function).

    apispec writes a Decimal's bounds through the field ("999.0", a string where OpenAPI wants
    a number) and calls a Decimal sent as a string a number.
    """
    if not isinstance(field, fields.Decimal):
        return {}
    described: dict[str, Any] = {}
    for key in ("minimum", "maximum"):
        if key in ret:
            bound = Decimal(ret[key])
            described[key] = int(bound) if bound == bound.to_integral_value() else float(bound)
    if field.as_string:
        described["type"] = ["string", "null"] if field.allow_none else "string"
    return described

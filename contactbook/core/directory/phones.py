"""Vietnamese mobile numbers: one stored form (E.164) whatever way a person types them."""

from __future__ import annotations

import phonenumbers

REGION = "VN"


class InvalidPhoneNumber(ValueError):
    """The text is not a Vietnamese mobile number."""


def normalise_phone(text: str) -> str:
    """Return "+84912345678" for "0912 345 678", "+84 912 345 678" or "84912345678"."""
    digits = "".join(char for char in text if char.isdigit() or char == "+")
    if digits.startswith("84") and len(digits) == 11:
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(text) from error
    is_mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    if number.country_code != 84 or not is_mobile or not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """Tell a phone number from a username: it has digits and nothing but phone punctuation."""
    stripped = text.strip()
    return bool(stripped) and all(char.isdigit() or char in "+ .-()" for char in stripped)


def display_phone(e164: str) -> str:
    """Format for Vietnamese eyes: 0912 345 678."""
    number = phonenumbers.parse(e164, REGION)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

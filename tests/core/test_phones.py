"""Phone numbers: one person, one number, however it is typed."""

from __future__ import annotations

import pytest

from contactbook.core.directory.phones import InvalidPhoneNumber, display_phone, normalise_phone


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678", "(091) 2345-678"]
)
def test_common_spellings_are_one_number(typed):
    assert normalise_phone(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["0312345678", "0562345678", "0772345678", "0862345678"])
def test_every_mobile_prefix_is_accepted(typed):
    assert normalise_phone(typed) == "+84" + typed[1:]


@pytest.mark.parametrize(
    "typed", ["", "12345", "091234567", "09123456789", "0241 234 5678", "+1 415 555 0100", "abc"]
)
def test_anything_but_a_vietnamese_mobile_is_refused(typed):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(typed)


def test_numbers_are_shown_the_vietnamese_way():
    assert display_phone("+84912345678") == "0912 345 678"

"""Circular 22's scores: typing them in, semester and year averages, and showing the working.

Scores are Decimals from start to finish: a float cannot hold 8,25 exactly, so rounding it half up
gives the wrong tenth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from contactbook.modules.classbook.rules.ruleset import format_decimal

SCORE_STEP = Decimal("0.1")
MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("10")

REGULAR_LABEL = "ĐĐGtx"
MISSING_LABELS = {"midterm": "ĐĐGgk", "final": "ĐĐGck"}

# A grade book entry is an integer or has one decimal; anything else is a typing mistake.
_SCORE_TEXT = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class ScoreError(ValueError):
    """A score that cannot go into the grade book; the message is shown to the teacher."""


def regular_count(periods_per_year: int) -> int:
    """Return how many regular scores (ĐĐGtx) a subject needs per semester."""
    if periods_per_year <= 0:
        raise ValueError(f"periods_per_year must be positive, got {periods_per_year}")
    if periods_per_year <= 35:
        return 2
    if periods_per_year <= 70:
        return 3
    return 4


def parse_score(value: str | int | Decimal) -> Decimal:
    """Parse a score typed by a teacher into a Decimal with one decimal place.

    Accepts "8,5" (decimal comma), "8.5", " 8 ", 8 and Decimal("8.5"). A float is accepted only
    through str(), so 8.5 passes but 0.1 + 0.2 ("0.30000000000000004") is refused rather than
    silently rounded.
    """
    if isinstance(value, bool):
        raise ScoreError("Điểm không hợp lệ.")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ScoreError("Chưa nhập điểm.")
        if not _SCORE_TEXT.fullmatch(text):
            raise ScoreError("Điểm không hợp lệ.")
        number = Decimal(text.replace(",", "."))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raise ScoreError("Điểm không hợp lệ.")
    if not number.is_finite():
        raise ScoreError("Điểm không hợp lệ.")
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise ScoreError("Điểm phải từ 0 đến 10.")
    if number != number.quantize(SCORE_STEP):
        raise ScoreError("Điểm chỉ có tối đa một chữ số thập phân.")
    # copy_abs turns a typed "-0" into 0.0; every other accepted score is already positive.
    return number.quantize(SCORE_STEP).copy_abs()


def round_half_up(value: Decimal) -> Decimal:
    """Round to one decimal place, halves away from zero, as the grade book does."""
    return value.quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


def _term_parts(
    regular: Sequence[Decimal], midterm: Decimal, final: Decimal
) -> tuple[Decimal, int, Decimal]:
    if not regular:
        raise ValueError("a semester average needs at least one regular score")
    # Sum each regular score: averaging them first would weigh them wrongly.
    total = sum(regular, Decimal(0)) + 2 * midterm + 3 * final
    divisor = len(regular) + 5
    return total, divisor, total / divisor


def term_average(regular: Sequence[Decimal], midterm: Decimal, final: Decimal) -> Decimal:
    """Compute ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (number of ĐĐGtx + 5)."""
    return round_half_up(_term_parts(regular, midterm, final)[2])


def missing_for_term(
    periods_per_year: int,
    regular: Sequence[Decimal | None],
    midterm: Decimal | None,
    final: Decimal | None,
) -> list[str]:
    """List the scores still missing before the semester average can be computed."""
    missing = [
        f"regular_{number}"
        for number in range(1, regular_count(periods_per_year) + 1)
        if number > len(regular) or regular[number - 1] is None
    ]
    if midterm is None:
        missing.append("midterm")
    if final is None:
        missing.append("final")
    return missing


def describe_missing(keys: Iterable[str]) -> str:
    """Name missing scores in Vietnamese, e.g. "ĐĐGtx 2, ĐĐGgk, ĐĐGck"."""
    labels = []
    for key in keys:
        if key in MISSING_LABELS:
            labels.append(MISSING_LABELS[key])
        elif key.startswith("regular_") and key.removeprefix("regular_").isdigit():
            labels.append(f"{REGULAR_LABEL} {key.removeprefix('regular_')}")
        else:
            raise ValueError(f"unknown missing-score key {key!r}")
    return ", ".join(labels)


def year_average(term1: Decimal, term2: Decimal) -> Decimal:
    """Compute ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3."""
    return round_half_up((term1 + 2 * term2) / 3)


def _result_of_division(total: Decimal, divisor: int) -> str:
    quotient = total / divisor
    rounded = round_half_up(quotient)
    # "≈" tells the reader a rounding happened, so 66,0 ÷ 8 ≈ 8,3 is not mistaken for exact.
    sign = "=" if rounded == quotient else "≈"
    return f"{format_decimal(total)} ÷ {divisor} {sign} {format_decimal(rounded)}"


def explain_term_average(regular: Sequence[Decimal], midterm: Decimal, final: Decimal) -> str:
    """Show the semester average formula with the child's own scores."""
    total, divisor, _ = _term_parts(regular, midterm, final)
    terms = [format_decimal(score) for score in regular]
    terms += [f"2 × {format_decimal(midterm)}", f"3 × {format_decimal(final)}"]
    return f"({' + '.join(terms)}) ÷ ({len(regular)} + 5) = {_result_of_division(total, divisor)}"


def explain_year_average(term1: Decimal, term2: Decimal) -> str:
    """Show the year average formula with the child's two semester averages."""
    total = term1 + 2 * term2
    formula = f"({format_decimal(term1)} + 2 × {format_decimal(term2)}) ÷ 3"
    return f"{formula} = {_result_of_division(total, 3)}"

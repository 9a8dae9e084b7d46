"""Circular 22's ratings and academic results: comment subjects, and Art. 9's levels.

The academic result levels and their single-subject adjustment follow Circular 22, Art. 9
(khoản 2 and khoản 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from contactbook.modules.classbook.rules.circular22.scores import MAX_SCORE
from contactbook.modules.classbook.rules.ruleset import format_decimal

PASS = "dat"  # noqa: S105 - the rating "Đạt" (passed), not a password  # nosec B105
FAIL = "chua_dat"
RATING_LABELS = {PASS: "Đạt", FAIL: "Chưa đạt"}

TOT = "tot"
KHA = "kha"
DAT = "dat"
CHUA_DAT = "chua_dat"
RESULT_LABELS = {TOT: "Tốt", KHA: "Khá", DAT: "Đạt", CHUA_DAT: "Chưa đạt"}
# Lowest first, so that a higher index is a better result.
RESULT_ORDER = (CHUA_DAT, DAT, KHA, TOT)


def _check_ratings(ratings: Iterable[str]) -> None:
    for rating in ratings:
        if rating not in RATING_LABELS:
            raise ValueError(f"unknown rating {rating!r}")


def comment_term_rating(ratings: Sequence[str]) -> str:
    """Rate a comment-only subject for a semester: Đạt only when every required rating is Đạt."""
    if not ratings:
        raise ValueError("a semester rating needs at least one assessment")
    _check_ratings(ratings)
    return PASS if all(rating == PASS for rating in ratings) else FAIL


def comment_year_rating(term1: str, term2: str) -> str:
    """Rate a comment-only subject for the year: the year takes semester II's rating."""
    _check_ratings((term1, term2))
    return term2


class _Requirement(NamedTuple):
    most_not_passed: int  # comment subjects allowed at Chưa đạt
    floor: Decimal  # every scored subject at least this
    count_at: Decimal  # ... and at least _COUNT_NEEDED scored subjects at least this


_COUNT_NEEDED = 6
_REQUIREMENTS = {
    TOT: _Requirement(0, Decimal("6.5"), Decimal("8.0")),
    KHA: _Requirement(0, Decimal("5.0"), Decimal("6.5")),
    DAT: _Requirement(1, Decimal("3.5"), Decimal("5.0")),
}


def _shortfalls(
    requirement: _Requirement, scored: Mapping[str, Decimal], commented: Mapping[str, str]
) -> list[str]:
    reasons = []
    not_passed = sorted(name for name, rating in commented.items() if rating == FAIL)
    if len(not_passed) > requirement.most_not_passed:
        reasons += [f"{name} {RATING_LABELS[FAIL]}" for name in not_passed]
    for name in sorted(scored):
        if scored[name] < requirement.floor:
            limit = format_decimal(requirement.floor)
            reasons.append(f"{name} {format_decimal(scored[name])} < {limit}")
    count = sum(1 for score in scored.values() if score >= requirement.count_at)
    if count < _COUNT_NEEDED:
        reasons.append(
            f"Chỉ {count} môn từ {format_decimal(requirement.count_at)} trở lên "
            f"(cần ít nhất {_COUNT_NEEDED})"
        )
    return reasons


def _base_level(scored: Mapping[str, Decimal], commented: Mapping[str, str]) -> str:
    for level in (TOT, KHA, DAT):
        if not _shortfalls(_REQUIREMENTS[level], scored, commented):
            return level
    return CHUA_DAT


def _raised_for_single_subject(
    level: str, scored: Mapping[str, Decimal], commented: Mapping[str, str]
) -> str | None:
    """Return the one subject that pulls the result down two or more levels, if there is one.

    Circular 22, Art. 9.3: when the result is two or more levels below what it would be but for
    a single subject, it is raised to the next level. Each subject in turn is taken at its best
    (score 10, rating Đạt); because every threshold only rewards better scores, at most one
    subject can lift the result that far, so the first one found is the one.
    """
    rank = RESULT_ORDER.index(level)
    lifted: list[tuple[str, Mapping[str, Decimal], Mapping[str, str]]] = [
        (name, {**scored, name: MAX_SCORE}, commented) for name in sorted(scored)
    ]
    lifted += [
        (name, scored, {**commented, name: PASS})
        for name in sorted(commented)
        if commented[name] == FAIL
    ]
    for name, better_scored, better_commented in lifted:
        if RESULT_ORDER.index(_base_level(better_scored, better_commented)) - rank >= 2:
            return name
    return None


def academic_result_explained(
    scored: Mapping[str, Decimal], commented: Mapping[str, str]
) -> tuple[str, list[str]]:
    """Rate a semester or year's results and say, in Vietnamese, what kept it from the next level.

    `scored` maps each scored subject to its (semester or year) average; `commented` maps each
    comment-only subject to PASS or FAIL. The reasons are empty for Tốt.
    """
    for score in scored.values():
        if not isinstance(score, Decimal):
            raise TypeError(f"subject averages must be Decimal, got {score!r}")
    _check_ratings(commented.values())
    level = _base_level(scored, commented)
    reasons = []
    if level != TOT:
        above = RESULT_ORDER[RESULT_ORDER.index(level) + 1]
        reasons = _shortfalls(_REQUIREMENTS[above], scored, commented)
    culprit = _raised_for_single_subject(level, scored, commented)
    if culprit is not None:
        level = RESULT_ORDER[RESULT_ORDER.index(level) + 1]
        reasons.append(f"Được nâng một mức theo khoản 3 Điều 9 (chỉ do môn {culprit})")
    return level, reasons


def academic_result(scored: Mapping[str, Decimal], commented: Mapping[str, str]) -> str:
    """Rate a semester or year's results: Tốt, Khá, Đạt or Chưa đạt (Art. 9)."""
    return academic_result_explained(scored, commented)[0]

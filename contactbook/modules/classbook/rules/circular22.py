"""Secondary grading rules of Thông tư 22/2021/TT-BGDĐT: scores, averages and academic results.

Scores are Decimals from start to finish: a float cannot hold 8,25 exactly, so rounding it half up
gives the wrong tenth. The academic result levels and their single-subject adjustment follow
Circular 22, Art. 9 (khoản 2 and khoản 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from flask_babel import gettext as _

from contactbook.core.directory import Assessment, Subject
from contactbook.modules.classbook.models import GradeKind
from contactbook.modules.classbook.rules.ruleset import (
    ColumnChoice,
    Entries,
    EntryForm,
    RuleSet,
    TermCell,
    TermResult,
    YearCell,
    format_decimal,
)

VERSION = "TT22/2021"
TITLE = "Thông tư 22/2021/TT-BGDĐT"

SCORE_STEP = Decimal("0.1")
MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("10")

PASS = "dat"
FAIL = "chua_dat"
RATING_LABELS = {PASS: "Đạt", FAIL: "Chưa đạt"}

TOT = "tot"
KHA = "kha"
DAT = "dat"
CHUA_DAT = "chua_dat"
RESULT_LABELS = {TOT: "Tốt", KHA: "Khá", DAT: "Đạt", CHUA_DAT: "Chưa đạt"}
# Lowest first, so that a higher index is a better result.
RESULT_ORDER = (CHUA_DAT, DAT, KHA, TOT)

REGULAR_LABEL = "ĐĐGtx"
MISSING_LABELS = {"midterm": "ĐĐGgk", "final": "ĐĐGck"}

# Art. 12: promotion needs no more than 45 days of absence in the year, with or without leave.
# verify the unit: the circular may count buổi (sessions) rather than days.
ABSENCE_LIMIT_DAYS = 45
# Warn parents and the homeroom teacher while there is still room to act.
ABSENCE_WARNING_DAYS = 35

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


def _shown(score: Decimal | None) -> str:
    return "–" if score is None else format_decimal(score)


class Circular22(RuleSet):
    """Circular 22 as the contact book asks it: scored and comment subjects, averages, results."""

    VERSION = VERSION
    TITLE = TITLE

    def columns(self, subject: Subject) -> list[ColumnChoice]:
        """ĐĐGtx 1..n by the subject's periods, then ĐĐGgk and ĐĐGck."""
        count = regular_count(subject.periods_per_year)
        regular = range(1, count + 1)
        return [
            *(ColumnChoice(GradeKind.REGULAR, n, f"{REGULAR_LABEL} {n}") for n in regular),
            ColumnChoice(GradeKind.MIDTERM, 1, MISSING_LABELS["midterm"]),
            ColumnChoice(GradeKind.FINAL, 1, MISSING_LABELS["final"]),
        ]

    def slots(self, subject: Subject, kind: GradeKind) -> int:
        """As many regular columns as the subject's periods call for; one mid-term, one final."""
        if kind is GradeKind.REGULAR:
            return regular_count(subject.periods_per_year)
        return 1

    def entry_form(self, subject: Subject) -> EntryForm:
        """Comment subjects take Đạt / Chưa đạt; the others a score."""
        hint = _("0 to 10, at most one decimal (8,5).")
        if subject.assessment is Assessment.COMMENT:
            return EntryForm("comment", RATING_LABELS, hint)
        return EntryForm("score", {}, hint)

    def parse_entry(
        self, subject: Subject, grade_level: int, slot: int, score: str, rating: str | None
    ) -> tuple[int | None, str | None]:
        """A comment subject takes a rating only, a scored one a score only."""
        if subject.assessment is Assessment.COMMENT:
            if score:
                raise ValueError(_("This subject is assessed by comment, not by score."))
            if rating is not None and rating not in RATING_LABELS:
                raise ValueError(_("Choose Đạt or Chưa đạt."))
            return None, rating
        if rating is not None:
            raise ValueError(_("This subject is assessed by score."))
        if not score:
            return None, None
        return int(parse_score(score) * 10), None

    def format_score(self, score: Decimal) -> str:
        """Scores and averages read with a decimal comma and one decimal: 8,0."""
        return format_decimal(score)

    def rating_label(self, rating: str) -> str:
        """Đạt or Chưa đạt."""
        return RATING_LABELS.get(rating, rating)

    def term_cell(self, subject: Subject, entries: Entries) -> TermCell:
        """Each assessment, then the average and its formula (scored) or the rating (comment)."""
        count = regular_count(subject.periods_per_year)
        nothing = (None, None)
        regular = [entries.get((GradeKind.REGULAR, slot), nothing) for slot in range(1, count + 1)]
        mid = entries.get((GradeKind.MIDTERM, 1), nothing)
        end = entries.get((GradeKind.FINAL, 1), nothing)
        if subject.assessment is Assessment.COMMENT:
            ratings = [rating for _score, rating in [*regular, mid, end]]
            given = [rating for rating in ratings if rating is not None]
            complete = len(given) == len(ratings)
            cell = TermCell(rating=comment_term_rating(given) if complete else None)
            if cell.rating is not None:
                cell.overall = RATING_LABELS[cell.rating]
            cell.parts = [
                (REGULAR_LABEL, " · ".join(RATING_LABELS.get(r, "–") for _s, r in regular)),
                (MISSING_LABELS["midterm"], RATING_LABELS.get(mid[1], "–")),
                (MISSING_LABELS["final"], RATING_LABELS.get(end[1], "–")),
            ]
            return cell
        scores = [score for score, _rating in regular]
        cell = TermCell(
            parts=[
                (REGULAR_LABEL, " · ".join(_shown(score) for score in scores)),
                (MISSING_LABELS["midterm"], _shown(mid[0])),
                (MISSING_LABELS["final"], _shown(end[0])),
            ],
            scores=[(s, format_decimal(s)) for s in [*scores, mid[0], end[0]] if s is not None],
        )
        missing = missing_for_term(subject.periods_per_year, scores, mid[0], end[0])
        if missing:
            cell.missing = describe_missing(missing)
            return cell
        given = [score for score in scores if score is not None]
        cell.average = term_average(given, mid[0], end[0])
        cell.average_text = format_decimal(cell.average)
        cell.formula = f"ĐTBmhk = (ΣĐĐGtx + 2 × ĐĐGgk + 3 × ĐĐGck) ÷ ({_('number of ĐĐGtx')} + 5)"
        cell.explanation = explain_term_average(given, mid[0], end[0])
        return cell

    def year_cell(self, first: TermCell, second: TermCell) -> YearCell | None:
        """ĐTBmcn once both semesters have their average."""
        if first.average is None or second.average is None:
            return None
        return YearCell(
            format_decimal(year_average(first.average, second.average)),
            "ĐTBmcn = (ĐTBmhk I + 2 × ĐTBmhk II) ÷ 3",
            explain_year_average(first.average, second.average),
        )

    def term_result(self, cells: Sequence[tuple[Subject, TermCell]]) -> TermResult | None:
        """Art. 9's level, once every subject has its average or its rating."""
        scored, commented = {}, {}
        for subject, cell in cells:
            if subject.assessment is Assessment.COMMENT:
                commented[subject.name] = cell.rating
            else:
                scored[subject.name] = cell.average
        if not cells or None in scored.values() or None in commented.values():
            return None
        level, reasons = academic_result_explained(scored, commented)
        return TermResult(level, RESULT_LABELS[level], reasons)


RULES = Circular22()

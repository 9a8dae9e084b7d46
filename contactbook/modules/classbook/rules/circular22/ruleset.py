"""Circular 22 as the contact book asks it: the RuleSet over its scores, ratings and results."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from flask_babel import gettext as _

from contactbook.core.directory import Assessment, Subject
from contactbook.modules.classbook.models import GradeKind
from contactbook.modules.classbook.rules.circular22.results import (
    RATING_LABELS,
    RESULT_LABELS,
    academic_result_explained,
    comment_term_rating,
)
from contactbook.modules.classbook.rules.circular22.scores import (
    MISSING_LABELS,
    REGULAR_LABEL,
    describe_missing,
    explain_term_average,
    explain_year_average,
    missing_for_term,
    parse_score,
    regular_count,
    term_average,
    year_average,
)
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
# Art. 12: promotion needs no more than 45 days of absence in the year, with or without leave.
# verify the unit: the circular may count buổi (sessions) rather than days.
ABSENCE_LIMIT_DAYS = 45
# Warn parents and the homeroom teacher while there is still room to act.
ABSENCE_WARNING_DAYS = 35
TITLE = "Thông tư 22/2021/TT-BGDĐT"


def _shown(score: Decimal | None) -> str:
    return "–" if score is None else format_decimal(score)


class Circular22(RuleSet):
    """Circular 22 as the contact book asks it: scored and comment subjects, averages, results."""

    VERSION = VERSION
    TITLE = TITLE
    absence_limit_days = ABSENCE_LIMIT_DAYS
    absence_warning_days = ABSENCE_WARNING_DAYS

    def columns(self, subject: Subject) -> list[ColumnChoice]:
        """ĐĐGtx 1..n by the subject's periods, then ĐĐGgk and ĐĐGck."""
        count = regular_count(subject.periods_per_year)
        regular = range(1, count + 1)
        return [
            *(ColumnChoice(GradeKind.REGULAR, n, f"{REGULAR_LABEL} {n}") for n in regular),
            ColumnChoice(GradeKind.MIDTERM, 1, MISSING_LABELS["midterm"]),
            ColumnChoice(GradeKind.FINAL, 1, MISSING_LABELS["final"]),
        ]

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

    def short_label(self, rating: str) -> str | None:
        """Đạt or Chưa đạt are short already."""
        return RATING_LABELS.get(rating)

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
            scores=[
                (label, score, format_decimal(score))
                for label, score in [
                    *((f"{REGULAR_LABEL} {n}", s) for n, s in enumerate(scores, start=1)),
                    (MISSING_LABELS["midterm"], mid[0]),
                    (MISSING_LABELS["final"], end[0]),
                ]
                if score is not None
            ],
        )
        missing = missing_for_term(subject.periods_per_year, scores, mid[0], end[0])
        if missing:
            cell.missing = describe_missing(missing)
            return cell
        given = [score for score in scores if score is not None]
        cell.average = term_average(given, mid[0], end[0])
        cell.average_text = format_decimal(cell.average)
        count_name = _("number of ĐĐGtx")
        cell.formula = f"ĐTBmhk = (ΣĐĐGtx + 2 × ĐĐGgk + 3 × ĐĐGck) ÷ ({count_name} + 5)"
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

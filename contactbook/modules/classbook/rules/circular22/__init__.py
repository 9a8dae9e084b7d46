"""Secondary grading rules of Thông tư 22/2021/TT-BGDĐT: scores, averages and academic results.

scores.py types and averages scores, results.py rates comment subjects and the term (Art. 9),
ruleset.py answers the contact book's questions through the one RuleSet interface.
"""

from __future__ import annotations

from contactbook.modules.classbook.rules.circular22.results import (
    CHUA_DAT,
    DAT,
    FAIL,
    KHA,
    PASS,
    RATING_LABELS,
    RESULT_LABELS,
    RESULT_ORDER,
    TOT,
    academic_result,
    academic_result_explained,
    comment_term_rating,
    comment_year_rating,
)
from contactbook.modules.classbook.rules.circular22.ruleset import (
    ABSENCE_LIMIT_DAYS,
    ABSENCE_WARNING_DAYS,
    TITLE,
    VERSION,
    Circular22,
)
from contactbook.modules.classbook.rules.circular22.scores import (
    MAX_SCORE,
    MIN_SCORE,
    MISSING_LABELS,
    REGULAR_LABEL,
    SCORE_STEP,
    ScoreError,
    describe_missing,
    explain_term_average,
    explain_year_average,
    missing_for_term,
    parse_score,
    regular_count,
    round_half_up,
    term_average,
    year_average,
)
from contactbook.modules.classbook.rules.ruleset import format_decimal

RULES = Circular22()

__all__ = [
    "ABSENCE_LIMIT_DAYS",
    "ABSENCE_WARNING_DAYS",
    "CHUA_DAT",
    "DAT",
    "FAIL",
    "KHA",
    "MAX_SCORE",
    "MIN_SCORE",
    "MISSING_LABELS",
    "PASS",
    "RATING_LABELS",
    "REGULAR_LABEL",
    "RESULT_LABELS",
    "RESULT_ORDER",
    "RULES",
    "SCORE_STEP",
    "TITLE",
    "TOT",
    "VERSION",
    "Circular22",
    "ScoreError",
    "academic_result",
    "academic_result_explained",
    "comment_term_rating",
    "comment_year_rating",
    "describe_missing",
    "explain_term_average",
    "explain_year_average",
    "format_decimal",
    "missing_for_term",
    "parse_score",
    "regular_count",
    "round_half_up",
    "term_average",
    "year_average",
]

"""Grading rule sets, one module per circular, chosen by school level and school year.

A new circular becomes a new module whose RuleSet object is registered in _RULESETS, never an
edit of an old one, so past school years keep being graded by the rules that applied to them.
Callers ask the rule set (rules.ruleset.RuleSet) rather than deciding which circular applies.
"""

from __future__ import annotations

from datetime import date

from contactbook.core.directory import SchoolYear
from contactbook.modules.classbook.models import tenths_to_decimal
from contactbook.modules.classbook.rules import circular22, circular27
from contactbook.modules.classbook.rules.ruleset import (
    ColumnChoice,
    EntryForm,
    RuleSet,
    TermCell,
    TermResult,
    YearCell,
    format_decimal,
)

__all__ = [
    "ColumnChoice",
    "EntryForm",
    "RuleSet",
    "TermCell",
    "TermResult",
    "YearCell",
    "circular22",
    "circular27",
    "ruleset_for",
    "ruleset_of",
    "short_grade",
]

# (school levels, first school year start it applies to, rule set), oldest first per level.
# Both circulars were rolled out grade by grade (Circular 22: grade 6 in 2021–2022 up to grades 9
# and 12 in 2024–2025; Circular 27: grade 1 in 2020–2021 up to grade 5 in 2024–2025). The choice
# here is by level alone, so it is wrong for a grade still on the old rules in those transition
# years: verify before grading records from before 2024–2025.
_RULESETS: tuple[tuple[frozenset[str], date, RuleSet], ...] = (
    (frozenset({"primary"}), date(2020, 8, 1), circular27.RULES),
    (frozenset({"lower_secondary", "upper_secondary"}), date(2021, 8, 1), circular22.RULES),
)


def ruleset_for(level: str, year_starts_on: date) -> RuleSet:
    """Return the rule set for a school level and a school year starting on the given date.

    `level` is a contactbook.core.directory.SchoolLevel or its string value.
    """
    known = [entry for entry in _RULESETS if level in entry[0]]
    if not known:
        raise LookupError(f"No grading rules for school level {level!r}.")
    applicable = [ruleset for _, since, ruleset in known if since <= year_starts_on]
    if not applicable:
        raise LookupError(
            f"No grading rules for {level!s} in the school year starting "
            f"{year_starts_on:%d/%m/%Y}: the earliest known rule set starts with the school year "
            f"from {known[0][1]:%d/%m/%Y}."
        )
    return applicable[-1]


def ruleset_of(year: SchoolYear) -> RuleSet:
    """Return the rule set grading a school year: its school's level in that year."""
    return ruleset_for(year.school.level, year.starts_on)


def short_grade(tenths: int | None, rating: str | None) -> str:
    """Write a grade kept in a daily summary, which records no school year: 8,5 or HTT.

    Each rule set names only its own ratings, so the first that knows the rating names it.
    """
    if tenths is not None:
        return format_decimal(tenths_to_decimal(tenths))
    for _levels, _since, ruleset in _RULESETS:
        if (label := ruleset.short_label(rating or "")) is not None:
            return label
    return rating or ""

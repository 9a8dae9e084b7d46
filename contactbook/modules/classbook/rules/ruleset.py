"""The one interface every circular's rule set answers: columns, labels, formatting, results.

Callers (services, and through them pages) ask the school's rule set instead of deciding which
circular applies or whether a subject is scored or commented; what they get back is ready to show.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from contactbook.core.directory import Subject
from contactbook.modules.classbook.models import GradeKind

# What a grade book holds for one subject and term: (kind, slot) -> (score, rating).
Entries = Mapping[tuple[GradeKind, int], tuple[Decimal | None, str | None]]
TENTH = Decimal("0.1")


def format_decimal(value: Decimal) -> str:
    """Format a Decimal the Vietnamese way, with a decimal comma and at least one decimal."""
    if value == value.quantize(TENTH):
        value = value.quantize(TENTH)
    return format(value, "f").replace(".", ",")


def _or(choices: Iterable[str]) -> str:
    """Tốt, Đạt or Cần cố gắng: choices listed for a sentence."""
    names = list(choices)
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s or %(last)s", some=", ".join(names[:-1]), last=names[-1])


@dataclass(frozen=True)
class ColumnChoice:
    """One assessment column a teacher can pick for a subject: which it is and its name."""

    kind: GradeKind
    slot: int
    label: str

    @property
    def params(self) -> dict[str, str | int]:
        """The column as the grade entry page posts it."""
        return {"kind": self.kind, "slot": self.slot}


@dataclass(frozen=True)
class EntryForm:
    """How the grade entry page takes a subject: input mode, rating choices, the score hint."""

    mode: str
    rating_labels: Mapping[str, str]
    score_hint: str


@dataclass
class TermCell:
    """One subject in one term, ready to show; `average` and `rating` feed the term's result."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    overall: str = ""
    average: Decimal | None = None
    rating: str | None = None
    average_text: str = ""
    missing: str = ""
    formula: str = ""
    explanation: str = ""
    # Every score of the term in the order it was taken, as (assessment, score, how it is
    # written): for the chart, whose axis names each assessment.
    scores: list[tuple[str, Decimal, str]] = field(default_factory=list)


@dataclass(frozen=True)
class YearCell:
    """A subject's year average, ready to show with its formula and the child's own numbers."""

    average_text: str
    formula: str
    explanation: str


@dataclass(frozen=True)
class TermResult:
    """The term's academic result and what kept it from the next level."""

    level: str
    label: str
    reasons: list[str]


class RuleSet(ABC):
    """A circular's grading rules, as the contact book asks them."""

    VERSION: str
    TITLE: str
    # Qualities and competences the homeroom teacher rates, (key, name); empty when none are.
    traits: tuple[tuple[str, str], ...] = ()
    trait_labels: Mapping[str, str] = {}
    # When in the term they are rated: mid-term (1) and end of term (2); empty when never.
    trait_slots: tuple[int, ...] = ()
    # Days absent in a school year that still allow promotion, and from when families are warned.
    absence_limit_days: int
    absence_warning_days: int

    def parse_trait_rating(self, rating: str | None) -> str | None:
        """Check a quality or competence rating as sent: a known one, or None to clear it."""
        if rating and rating not in self.trait_labels:
            raise ValueError(_("Choose %(choices)s.", choices=_or(self.trait_labels.values())))
        return rating or None

    def trait_columns(self) -> list[tuple[dict[str, str | int], str]]:
        """Return the quality and competence columns a homeroom teacher rates, as picker options."""
        return []

    def trait_form(self) -> EntryForm:
        """Return how the rating page takes qualities and competences."""
        # No score is typed on this page; the hint is the one the entry page shows by default.
        return EntryForm("trait", self.trait_labels, _("0 to 10, at most one decimal (8,5)."))

    @abstractmethod
    def columns(self, subject: Subject) -> list[ColumnChoice]:
        """Return the assessment columns of a subject in a term, in the order they are taken."""

    def has_column(self, subject: Subject, kind: GradeKind, slot: int) -> bool:
        """Whether the subject has this assessment in a term: one of `columns`, nothing else."""
        return any(
            column.params == {"kind": kind, "slot": slot} for column in self.columns(subject)
        )

    def column_label(self, subject: Subject, kind: GradeKind, slot: int) -> str:
        """Name one of the subject's assessments as the grade entry page names it."""
        for column in self.columns(subject):
            if column.params == {"kind": kind, "slot": slot}:
                return column.label
        return f"{kind} {slot}"

    @abstractmethod
    def entry_form(self, subject: Subject) -> EntryForm:
        """Return how the grade entry page takes this subject's grades."""

    @abstractmethod
    def parse_entry(
        self, subject: Subject, grade_level: int, slot: int, score: str, rating: str | None
    ) -> tuple[int | None, str | None]:
        """Turn what a teacher typed into stored tenths and rating, or raise ValueError."""

    @abstractmethod
    def format_score(self, score: Decimal) -> str:
        """Write a stored score the way every page, list and message shows it."""

    @abstractmethod
    def rating_label(self, rating: str) -> str:
        """Name a stored rating; an unknown one is shown as it is."""

    def short_label(self, rating: str) -> str | None:
        """Name a stored rating in as few letters as a one-line summary needs; None if unknown."""
        return None

    def format_grade(self, score: Decimal | None, rating: str | None) -> str:
        """Write a stored grade, score or rating, for a family to read."""
        if score is not None:
            return self.format_score(score)
        return self.rating_label(rating or "")

    @abstractmethod
    def term_cell(self, subject: Subject, entries: Entries) -> TermCell:
        """Show one subject's term: its assessments, and its average or rating once complete."""

    def year_cell(self, first: TermCell, second: TermCell) -> YearCell | None:
        """Show a subject's year result from its two terms, when this circular has one."""
        return None

    def term_result(self, cells: Sequence[tuple[Subject, TermCell]]) -> TermResult | None:
        """Rate the term over every subject, when this circular has such a result."""
        return None

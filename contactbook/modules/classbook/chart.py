"""Small server-drawn SVG line charts of a child's scores over a term: no chart library.

Each chart has a 0–10 score axis with its ticks, the pass mark, and an axis naming every
assessment under its dot; the page shows the same values as a list beside it, so the chart is
never the only way to read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from contactbook.modules.classbook.services.report import GradeBook

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 30, 12, 18, 44  # room for the score axis, value labels and names
INSET = 22  # the first and last dot stay clear of the axis so their names fit
MAX_SCORE = 10
TICKS = (0, 2, 4, 6, 8, 10)
PASS_MARK = Decimal("5")


@dataclass(frozen=True)
class Dot:
    """One score on the chart: where it sits, the assessment it belongs to, how it is written."""

    x: float
    y: float
    assessment: str
    shown: str

    @property
    def name_lines(self) -> list[str]:
        """The assessment's name on two lines ("ĐĐGtx" over "2"), so neighbours never overlap."""
        return self.assessment.rsplit(" ", 1)


@dataclass(frozen=True)
class ScoreChart:
    """One subject's scores of one term, placed on the chart's axes."""

    subject: str
    dots: list[Dot]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM

    @property
    def points(self) -> str:
        """The line through the dots, in the order the scores were taken."""
        return " ".join(f"{dot.x},{dot.y}" for dot in self.dots)

    @property
    def ticks(self) -> list[tuple[float, int]]:
        """Where each labelled score of the axis sits."""
        return [(_y(Decimal(tick)), tick) for tick in TICKS]

    @property
    def pass_line_y(self) -> float:
        """Where 5,0 sits: the line a parent reads the other scores against."""
        return _y(PASS_MARK)

    @property
    def names_y(self) -> float:
        """The baseline of the assessments' names under the axis."""
        return HEIGHT - BOTTOM + 17


def _y(score: Decimal) -> float:
    return round(TOP + float(MAX_SCORE - score) / MAX_SCORE * (HEIGHT - TOP - BOTTOM), 1)


def _xs(count: int) -> list[float]:
    first, last = LEFT + INSET, WIDTH - RIGHT - INSET
    if count == 1:
        return [round((first + last) / 2, 1)]
    step = (last - first) / (count - 1)
    return [round(first + index * step, 1) for index in range(count)]


def score_chart(subject: str, scores: list[tuple[str, Decimal, str]]) -> ScoreChart | None:
    """A chart of the term's scores in the order they were taken; None below two scores."""
    if len(scores) < 2:
        return None
    dots = [
        Dot(x, _y(score), assessment, shown)
        for x, (assessment, score, shown) in zip(_xs(len(scores)), scores, strict=True)
    ]
    return ScoreChart(subject, dots)


def score_charts(book: GradeBook) -> dict[tuple[int, int], ScoreChart]:
    """Each scored subject's chart per term, keyed by (term id, subject id)."""
    charts = {}
    for row in book.rows:
        for term_id, cell in row.terms.items():
            drawn = score_chart(row.subject.name, cell.scores)
            if drawn is not None:
                charts[(term_id, row.subject.id)] = drawn
    return charts

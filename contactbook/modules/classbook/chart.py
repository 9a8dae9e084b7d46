"""Small server-drawn SVG line charts of a child's scores over a term: no chart library."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, PAD = 280, 100, 16
PASS_MARK = Decimal("5")


@dataclass(frozen=True)
class ScoreChart:
    subject: str
    points: str
    dots: list[tuple[float, float, str]]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def pass_line_y(self) -> float:
        """Where 5,0 sits: the line a parent reads the other scores against."""
        return _y(PASS_MARK)


def _y(score: Decimal) -> float:
    return round(HEIGHT - PAD - float(score) / 10 * (HEIGHT - 2 * PAD), 1)


def score_charts(book, term) -> list[ScoreChart]:
    """One chart per scored subject with at least two scores in the term."""
    if term is None:
        return []
    charts = []
    for row in book.rows:
        scores = row.terms[term.id].scores if term.id in row.terms else []
        if len(scores) < 2:
            continue
        step = (WIDTH - 2 * PAD) / (len(scores) - 1)
        dots = [
            (round(PAD + index * step, 1), _y(score), shown)
            for index, (score, shown) in enumerate(scores)
        ]
        charts.append(
            ScoreChart(row.subject.name, " ".join(f"{x},{y}" for x, y, _label in dots), dots)
        )
    return charts

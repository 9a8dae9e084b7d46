"""Reports a module contributes through the contract: figures for one school and a date range.

Each module knows its own figures; school administration shows any report the same way (a
table, a small bar chart, CSV and XLSX) without importing the module that built it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# A cell: words, a whole number, a share in percent (float, one decimal), a date, or blank.
Cell = str | int | float | date | None


@dataclass(frozen=True)
class ReportChart:
    """Which columns a report's bar chart draws: the bar's label and its length.

    `maximum` is the full length of a bar (100 for a share in percent).
    """

    label_columns: tuple[int, ...]
    value_column: int
    maximum: float = 100.0


@dataclass(frozen=True)
class ReportTable:
    """A report's figures: translated column headings, rows of cells, and what to chart."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    chart: ReportChart | None = None


@dataclass(frozen=True)
class Report:
    """A report a module offers school admins: `build(school, start, end)` makes its table.

    `key` is namespaced by the module (`classbook.attendance_daily`); `title` is shown.
    """

    key: str
    title: Any
    build: Callable[[Any, date, date], ReportTable]


def percent(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, or None when there is nothing to share."""
    return round(100 * part / whole, 1) if whole else None

"""Any module's report for one school: the range asked for, the table, and its exports.

Reports come from the registry (`Module.reports`), so a module adds figures without this
module knowing it; every one is shown, charted and exported the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from contactbook.core.directory import School, User, access
from contactbook.core.platform import Hidden, Invalid, Report, ReportTable, registry

PERMISSION = "schooladmin.school.manage"
# A year and a little: a whole school year fits, and no request asks for a decade of rows.
LONGEST_RANGE = timedelta(days=400)
DEFAULT_RANGE = timedelta(days=27)


@dataclass(frozen=True)
class Shown:
    """A report built for a school and range, with its rows ready to read on screen."""

    report: Report
    start: date
    end: date
    table: ReportTable

    def cells(self) -> list[list[str]]:
        """Rows as the page writes them: dd/mm/yyyy, decimal comma, a dash for nothing."""
        return [[shown_cell(value) for value in row] for row in self.table.rows]

    def bars(self) -> list[tuple[str, float | None, str]]:
        """(label, value, value as shown) per row, for the small bar chart."""
        chart = self.table.chart
        if chart is None:
            return []
        return [
            (
                " · ".join(shown_cell(row[index]) for index in chart.label_columns),
                row[chart.value_column],
                shown_cell(row[chart.value_column]),
            )
            for row in self.table.rows
        ]


def shown_cell(value: object) -> str:
    """One cell as words, the Vietnamese way."""
    if value is None:
        return "–"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def available() -> list[Report]:
    """Every report the loaded modules offer, by title."""
    return sorted(registry().reports.values(), key=lambda report: str(report.title))


def find(key: str) -> Report:
    """A report by key; an unknown key looks like a missing page."""
    report = registry().reports.get(key)
    if report is None:
        raise Hidden()
    return report


def date_range(school: School, start: str | None, end: str | None) -> tuple[date, date]:
    """Read the range from the page's fields (ISO dates); the last four weeks when blank."""
    errors: dict[str, list[str]] = {}
    last = _parse(end, "end", errors) or school.today()
    first = _parse(start, "start", errors) or last - DEFAULT_RANGE
    if not errors and first > last:
        errors["end"] = [_("The end date is before the start date.")]
    if not errors and last - first > LONGEST_RANGE:
        errors["end"] = [_("Choose at most %(days)d days.", days=LONGEST_RANGE.days)]
    if errors:
        raise Invalid(errors)
    return first, last


def _parse(text: str | None, field: str, errors: dict[str, list[str]]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("Not a date.")]
        return None


def build(actor: User, school: School, report: Report, start: date, end: date) -> Shown:
    """Build a report for a school the actor runs."""
    access.require(actor, PERMISSION, school)
    return Shown(report, start, end, report.build(school, start, end))


def as_csv(shown: Shown) -> bytes:
    """CSV as spreadsheets open it: UTF-8 with a byte-order mark, ISO dates, dot decimals."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([str(heading) for heading in shown.table.columns])
    for row in shown.table.rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + text.getvalue()).encode()


def as_xlsx(shown: Shown) -> bytes:
    """An Excel workbook with numbers as numbers and dates as dd/mm/yyyy dates."""
    # openpyxl (some 8 MB) loads with the first spreadsheet, not in every web worker.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(shown.report.title)[:31])
    sheet.append([str(heading) for heading in shown.table.columns])
    for row in shown.table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _xlsx_cell(sheet, value: object) -> object:
    from openpyxl.cell import WriteOnlyCell  # loaded by as_xlsx already

    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    return value

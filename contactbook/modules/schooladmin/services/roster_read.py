"""Reading a roster file as schools export it: find the header row, keep the cells as text.

A file is recognised by what it holds, never by its name: a zip archive is read as .xlsx,
anything else must be UTF-8 text to be read as .csv. Title rows and merged cells above the
header are skipped, headers match whatever their order, spacing, case or accents, and rows
with nothing in the roster's columns are left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from contactbook.core.platform import Invalid

MAX_ROWS = 10_000
# A header row is looked for this far down, past a school's title and date lines.
HEADER_SEARCH_ROWS = 30
ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"

# The template's headers, in its order: what the admin is told to use.
TEMPLATE_HEADERS = {
    "code": "Mã HS",
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "gender": "Giới tính",
    "class_name": "Lớp",
    "guardian_name": "Họ tên phụ huynh",
    "guardian_phone": "Số điện thoại",
    "relationship": "Quan hệ",
}
REQUIRED = ("code", "full_name", "date_of_birth", "gender", "class_name")
# Headers seen in real exports, folded (see `fold`): one column per parent is common too.
HEADER_VARIANTS = {
    "code": ("mahs", "mahocsinh", "masohocsinh", "masohs", "madinhdanh", "studentcode"),
    "full_name": ("hovaten", "hoten", "hotenhocsinh", "hovatenhocsinh", "fullname"),
    "date_of_birth": ("ngaysinh", "ngaythangnamsinh", "dateofbirth", "birthdate"),
    "gender": ("gioitinh", "gender"),
    "class_name": ("lop", "tenlop", "lophoc", "class"),
    "guardian_name": ("hotenphuhuynh", "hovatenphuhuynh", "phuhuynh", "tenphuhuynh", "guardian"),
    "guardian_phone": (
        "sodienthoai",
        "sdt",
        "dienthoai",
        "sodienthoaiphuhuynh",
        "sdtphuhuynh",
        "dienthoaiphuhuynh",
        "dienthoailienhe",
        "phone",
    ),
    "relationship": ("quanhe", "quanhevoihocsinh", "moiquanhe", "relationship"),
    "father_name": ("hotenbo", "hotencha", "hovatenbo", "hovatencha"),
    "father_phone": ("sdtbo", "sdtcha", "sodienthoaibo", "sodienthoaicha", "dienthoaicha"),
    "mother_name": ("hotenme", "hovatenme"),
    "mother_phone": ("sdtme", "sodienthoaime", "dienthoaime"),
}
FIELD_OF_HEADER = {variant: name for name, forms in HEADER_VARIANTS.items() for variant in forms}


@dataclass
class Sheet:
    """The roster's columns (as the file names them) and its data rows, every cell as text."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_content(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows}


def clean_text(text: str) -> str:
    """NFC with single spaces: Excel on some systems saves decomposed Vietnamese."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(header: str) -> str:
    """Reduce a header to bare letters: "Mã  HS (*)", "MÃ HS" and "ma hs" all read "mahs"."""
    text = re.sub(r"\([^)]*\)", "", clean_text(header)).casefold().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(c for c in bare if c.isalnum())


def cell_text(value: object) -> str:
    """A cell as text; an Excel date as yyyy-mm-dd, a whole number without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def read_roster(data: bytes) -> Sheet:
    """Read an uploaded file into a Sheet, or refuse it with a sentence saying why."""
    if data.startswith(ZIP_MAGIC):
        tables = _xlsx_tables(data)
    elif data.startswith(OLD_EXCEL_MAGIC):
        raise _file_error(_("This is an old .xls file: open it in Excel and save it as .xlsx."))
    else:
        tables = [_csv_rows(data)]
    for rows in tables:
        sheet = _sheet_from(rows)
        if sheet is not None:
            return sheet
    expected = ", ".join(TEMPLATE_HEADERS[name] for name in REQUIRED)
    raise _file_error(
        _("No header row was found. The sheet needs the columns %(names)s.", names=expected)
    )


def _file_error(message: str) -> Invalid:
    return Invalid({"file": [message]})


def _not_a_spreadsheet() -> Invalid:
    return _file_error(_("This file is not a spreadsheet. Upload an .xlsx or .csv file."))


def _xlsx_tables(data: bytes) -> list[Iterator[tuple[int, tuple[Any, ...]]]]:
    # openpyxl (some 8 MB) loads with the first spreadsheet, not in every web worker.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a zip that is no workbook
        raise _not_a_spreadsheet() from error
    return [enumerate(sheet.iter_rows(values_only=True), start=1) for sheet in book.worksheets]


def _csv_rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_a_spreadsheet() from error
    if "\x00" in text or not text.strip():
        raise _not_a_spreadsheet()
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return ((reader.line_num, tuple(row)) for row in reader)


def _sheet_from(numbered_rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Sheet | None:
    """The rows below the header row, or None when no row near the top looks like headers."""
    for number, cells in numbered_rows:
        columns = _header_columns(cells)
        if len(columns) >= 2:
            missing = [TEMPLATE_HEADERS[name] for name in REQUIRED if name not in columns]
            if missing:
                raise _file_error(
                    _("These columns are missing: %(names)s.", names=", ".join(missing))
                )
            return _data_rows(columns, cells, numbered_rows)
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _header_columns(cells: Iterable[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells):
        name = FIELD_OF_HEADER.get(fold(cell_text(value)))
        if name and name not in columns:
            columns[name] = index
    return columns


def _data_rows(
    columns: dict[str, int],
    header: tuple[Any, ...],
    numbered_rows: Iterator[tuple[int, tuple[Any, ...]]],
) -> Sheet:
    from openpyxl.utils import get_column_letter  # a CSV roster names columns as Excel does

    sheet = Sheet(
        columns={
            name: {"label": cell_text(header[index]), "letter": get_column_letter(index + 1)}
            for name, index in columns.items()
        }
    )
    for number, cells in numbered_rows:
        values = {
            name: cell_text(cells[index]) if index < len(cells) else ""
            for name, index in columns.items()
        }
        if not any(values.values()):
            continue
        if len(sheet.rows) == MAX_ROWS:
            raise _file_error(_("A roster has at most %(count)d rows.", count=MAX_ROWS))
        sheet.rows.append({"row": number, "cells": values})
    return sheet

"""Roster files as schools send them, written by the tests' own code, and sending them."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence

from openpyxl import Workbook

from tests.conftest import csrf_token_from

HEADERS = (
    "Mã HS",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Lớp",
    "Họ tên phụ huynh",
    "Số điện thoại",
    "Quan hệ",
)


def xlsx(rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS, above=()) -> bytes:
    """A workbook with optional lines above the header row, then the header and the rows."""
    book = Workbook()
    sheet = book.active
    for line in above:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], headers=HEADERS, bom=True, delimiter=",") -> bytes:
    """A CSV as Excel saves it: UTF-8, with a byte order mark unless told otherwise."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + text.getvalue()).encode()


def upload(client, school_id: int, data: bytes, name: str = "danh-sach.xlsx"):
    """Send a file as the upload page's script does: multipart, with the CSRF header."""
    return client.post(
        f"/api/schooladmin/roster/schools/{school_id}/imports",
        data={"file": (io.BytesIO(data), name)},
        headers={"X-CSRFToken": csrf_token_from(client, "/")},
        content_type="multipart/form-data",
    )


def confirm(client, import_id: int, key: str | None = None):
    """Confirm an import as the dry run page's script does."""
    return client.post(
        f"/api/schooladmin/roster/imports/{import_id}/confirm",
        json={},
        headers={
            "X-CSRFToken": csrf_token_from(client, "/"),
            "Idempotency-Key": key or str(uuid.uuid4()),
        },
    )

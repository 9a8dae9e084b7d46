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


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    """A form with one file field, encoded in memory: werkzeug's test encoder leaves the
    temporary file of a large body open."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(client, school_id: int, data: bytes, name: str = "danh-sach.xlsx"):
    """Send a file as the upload page's script does: multipart, with the CSRF header."""
    body, content_type = multipart(data, name)
    return client.post(
        f"/api/schooladmin/roster/schools/{school_id}/imports",
        data=body,
        headers={"X-CSRFToken": csrf_token_from(client, "/")},
        content_type=content_type,
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

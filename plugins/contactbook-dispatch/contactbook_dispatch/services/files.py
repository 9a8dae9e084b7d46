"""PDF files of documents and replies: checked by content, kept under instance/, served on a check.

A file's name and declared type are never trusted: a PDF must start with `%PDF-` and end with
`%%EOF`. Stored files get a random name; if the transaction that recorded one rolls back, the
file is deleted again, so a refused write leaves nothing behind.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO

from flask import Response, current_app, send_file
from flask_babel import gettext as _

from contactbook.core.platform import Invalid, write_file

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def request_size_limit() -> int:
    """How large a request carrying one PDF may be before it is refused unread (413).

    Twice the file limit, so a file just over the limit still reaches the check that answers
    with a clear 422.
    """
    return 2 * int(current_app.config["DISPATCH_UPLOAD_MAX_BYTES"]) + 64 * 1024


def save_pdf(stream: IO[bytes], field: str) -> tuple[str, int]:
    """Check an uploaded PDF and write it; return its storage name and size.

    Call it inside the caller's `atomic()`: on rollback the written file is removed. A file
    that is empty, too large or not a PDF raises `Invalid` naming `field`.
    """
    max_bytes = int(current_app.config["DISPATCH_UPLOAD_MAX_BYTES"])
    data = stream.read(max_bytes + 1)
    if not data:
        raise Invalid({field: [_("The file is empty.")]})
    if len(data) > max_bytes:
        size = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        raise Invalid({field: [_("The file is larger than %(size)s MB.", size=size)]})
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise Invalid({field: [_("This file is not a complete PDF.")]})
    name = secrets.token_hex(16)
    write_file(_path_of(name), data)
    return name, len(data)


def serve_pdf(name: str, download_name: str) -> Response:
    """Send a stored PDF; the caller has checked that the reader may open it."""
    response = send_file(
        _path_of(name), mimetype="application/pdf", as_attachment=True, download_name=download_name
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _path_of(name: str) -> Path:
    return Path(current_app.config["DISPATCH_UPLOAD_FOLDER"]) / name[:2] / name

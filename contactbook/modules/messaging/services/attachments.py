"""Files that come with announcements and leave requests, checked by content before storing."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from contactbook.core.platform import Invalid


def store_attachment(upload: FileStorage | None, field: str) -> dict[str, Any]:
    """Store an uploaded file; return the announcement's attachment columns (empty for none)."""
    if upload is None or not upload.filename:
        return {}
    raise Invalid({field: [_("Attachments cannot be stored yet.")]})


def store_photo(upload: FileStorage | None, field: str) -> dict[str, Any]:
    """Store an uploaded photo; return the leave request's note columns (empty for none)."""
    if upload is None or not upload.filename:
        return {}
    raise Invalid({field: [_("Photos cannot be stored yet.")]})

"""Uploaded files: checked by content, images re-encoded, kept under instance/, served on a check.

A file's name and declared type are never trusted: JPEG, PNG and WebP are recognised by Pillow
from their bytes, decoded under a pixel limit (an "image bomb" is refused before it is decoded),
turned upright, shrunk to at most `MAX_SIDE` pixels and written anew, which drops EXIF and with
it a photo's location. A PDF must start with `%PDF-` and end with `%%EOF`; it is kept as sent.
Stored files get a random name under the instance folder; if the transaction that recorded one
rolls back, the file is deleted again, so a refused write leaves nothing behind.
"""

from __future__ import annotations

import enum
import io
import secrets
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import Flask, Response, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from contactbook.core.directory import User
from contactbook.core.platform import Hidden, Invalid, write_file
from contactbook.extensions import db
from contactbook.modules.messaging.models import StoredFile

MAX_SIDE = 1600
JPEG_QUALITY = 85
# Defaults; the app's config may lower or raise them.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


class Kind(enum.StrEnum):
    """What an upload may be, as the feature taking it allows."""

    IMAGE = "image"
    PDF = "pdf"


IMAGES = frozenset({Kind.IMAGE})
IMAGES_AND_PDF = frozenset({Kind.IMAGE, Kind.PDF})


@dataclass(frozen=True)
class _Checked:
    data: bytes
    content_type: str
    width: int | None = None
    height: int | None = None


def init_app(app: Flask) -> None:
    """Set the upload limits and folder unless the configuration already did."""
    app.config.setdefault(
        "MESSAGING_UPLOAD_FOLDER", str(Path(app.instance_path) / "messaging" / "uploads")
    )
    app.config.setdefault("MESSAGING_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    app.config.setdefault("MESSAGING_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def request_size_limit(app: Flask | None = None) -> int:
    """How large a request carrying one upload may be before it is refused unread (413).

    Twice the file limit, so a file just over the limit still reaches the check that answers
    with a clear 422.
    """
    return 2 * int((app or current_app).config["MESSAGING_UPLOAD_MAX_BYTES"]) + 64 * 1024


def save_upload(
    actor: User, stream: IO[bytes], *, accept: frozenset[Kind], field: str = "file"
) -> StoredFile:
    """Check an uploaded file, write it under the upload folder and add its row to the session.

    Call it inside the caller's `atomic()`: on rollback the written file is removed. A file that
    is too large, empty, of another kind or an image bomb raises `Invalid` naming `field`.
    """
    max_bytes = int(current_app.config["MESSAGING_UPLOAD_MAX_BYTES"])
    data = stream.read(max_bytes + 1)
    if not data:
        raise Invalid({field: [_("The file is empty.")]})
    if len(data) > max_bytes:
        raise Invalid(
            {field: [_("The file is larger than %(size)s MB.", size=_megabytes(max_bytes))]}
        )
    checked = _check(data, accept, field)
    stored = StoredFile(
        storage_name=secrets.token_hex(16),
        content_type=checked.content_type,
        byte_size=len(checked.data),
        width=checked.width,
        height=checked.height,
        uploaded_by_id=actor.id,
    )
    write_file(_path_of(stored), checked.data)
    db.session.add(stored)
    return stored


def serve(
    actor: User, stored: StoredFile, may_read: Callable[[User], bool], *, download_name: str
) -> Response:
    """Send a stored file to a reader the caller's check admits; anyone else gets a 404.

    `may_read` is the owning record's access rule (a conversation's participants, an
    announcement's audience), asked here so no route can forget it.
    """
    if not may_read(actor):
        raise Hidden()
    response = send_file(
        _path_of(stored),
        mimetype=stored.content_type,
        as_attachment=not stored.is_image,
        download_name=download_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _check(data: bytes, accept: frozenset[Kind], field: str) -> _Checked:
    """Recognise the file by its bytes and return what will be stored."""
    if Kind.PDF in accept and data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise Invalid({field: [_("This PDF file is damaged or incomplete.")]})
        return _Checked(data, "application/pdf")
    if Kind.IMAGE in accept:
        image = _reencoded(data, field)
        if image is not None:
            return image
    allowed = (
        _("a photo (JPEG, PNG or WebP) or a PDF")
        if Kind.PDF in accept
        else _("a photo (JPEG, PNG or WebP)")
    )
    raise Invalid({field: [_("This file is not %(allowed)s.", allowed=allowed)]})


def _reencoded(data: bytes, field: str) -> _Checked | None:
    """Decode an image under the pixel limit and write it anew; None if it is no image we take."""
    max_pixels = int(current_app.config["MESSAGING_IMAGE_MAX_PIXELS"])
    too_big = Invalid({field: [_("This picture is too large to open.")]})
    with warnings.catch_warnings():
        # Pillow's own guard warns (and past twice its limit raises); both mean refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(_IMAGE_FORMATS)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_big
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            return None
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return _encoded(upright)


def _encoded(image: Image.Image) -> _Checked:
    """Write the picture without metadata: PNG when it has transparency, JPEG otherwise."""
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    out = io.BytesIO()
    options: dict[str, Any]
    if has_alpha:
        image = image.convert("RGBA")
        fmt, content_type, options = "PNG", "image/png", {"optimize": True}
    else:
        image = image.convert("RGB")
        fmt, content_type, options = "JPEG", "image/jpeg", {"quality": JPEG_QUALITY}
    image.save(out, fmt, **options)
    return _Checked(out.getvalue(), content_type, image.width, image.height)


def _path_of(stored: StoredFile) -> Path:
    """Where a stored file lives: its random name under the upload folder, nothing else."""
    folder = Path(current_app.config["MESSAGING_UPLOAD_FOLDER"])
    return folder / stored.storage_name[:2] / stored.storage_name


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")

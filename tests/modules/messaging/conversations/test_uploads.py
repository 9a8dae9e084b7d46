"""Uploads are recognised by their bytes, pictures are re-encoded, refused files leave nothing."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from contactbook.core.platform import Invalid, atomic
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.messaging.models import StoredFile
from contactbook.modules.messaging.services.uploads import IMAGES, IMAGES_AND_PDF, save_upload

GPS_TAG = 0x8825


@pytest.fixture
def app_config(app_config, tmp_path):
    return {
        **app_config,
        "MESSAGING_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MESSAGING_UPLOAD_MAX_BYTES": 300 * 1024,
        "MESSAGING_IMAGE_MAX_PIXELS": 4_000_000,
    }


@pytest.fixture
def uploader(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school())


def photo(fmt: str = "JPEG", size=(3000, 2000), mode="RGB", **save_options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, fmt, **save_options)
    return out.getvalue()


def photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: shown rotated by 90°
    exif.get_ifd(GPS_TAG)[2] = (10.0, 46.0, 30.0)  # latitude of Ho Chi Minh City
    return photo(size=(400, 200), exif=exif)


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: what an image bomb looks like."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 8)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def upload(app, user, data: bytes, accept=IMAGES) -> StoredFile:
    with app.test_request_context(), atomic():
        stored = save_upload(db.session.get(type(user), user.id), io.BytesIO(data), accept=accept)
        db.session.flush()
        db.session.expunge(stored)
    return stored


def stored_files(app) -> tuple[int, list[Path]]:
    with app.app_context():
        rows = db.session.scalar(select(func.count(StoredFile.id)))
    folder = Path(app.config["MESSAGING_UPLOAD_FOLDER"])
    return rows, [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_large_photo_is_shrunk_to_1600_pixels(app, uploader, fmt):
    stored = upload(app, uploader, photo(fmt, size=(1800, 1200)))
    assert (stored.width, stored.height) == (1600, 1067)
    _, [path] = stored_files(app)
    with Image.open(path) as saved_image:
        assert saved_image.size == (1600, 1067)
        assert saved_image.format == "JPEG"
    assert path.name == stored.storage_name


def test_the_photo_loses_its_location_but_stays_upright(app, uploader):
    stored = upload(app, uploader, photo_with_location())
    _, [path] = stored_files(app)
    with Image.open(path) as saved_image:
        assert not saved_image.getexif().get_ifd(GPS_TAG)
        assert saved_image.size == (200, 400)
    assert (stored.width, stored.height) == (200, 400)


def test_a_transparent_picture_stays_transparent(app, uploader):
    stored = upload(app, uploader, photo("PNG", size=(50, 50), mode="RGBA"))
    assert stored.content_type == "image/png"


def test_a_pdf_is_kept_as_sent_where_pdfs_are_welcome(app, uploader):
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    stored = upload(app, uploader, pdf, accept=IMAGES_AND_PDF)
    assert stored.content_type == "application/pdf"
    _, [path] = stored_files(app)
    assert path.read_bytes() == pdf


@pytest.mark.parametrize(
    ("data", "accept", "message"),
    [
        (b"", IMAGES, "trống"),
        (b"MZ\x90\x00 not a picture at all" * 10, IMAGES, "không phải"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", IMAGES_AND_PDF, "không phải"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", IMAGES, "không phải"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", IMAGES_AND_PDF, "hỏng"),
        (b"\xff\xd8\xff\xe0 a broken JPEG", IMAGES, "không phải"),
        (photo("BMP", size=(20, 20)), IMAGES, "không phải"),
        (png_bomb(3000, 3000), IMAGES, "quá lớn"),
        (png_bomb(30000, 30000), IMAGES, "quá lớn"),
        (b"\x00" * (300 * 1024 + 1), IMAGES, "lớn hơn 0,3 MB"),
    ],
    ids=[
        "empty",
        "exe",
        "svg",
        "pdf-as-photo",
        "cut-pdf",
        "broken-jpeg",
        "bmp",
        "bomb",
        "huge-bomb",
        "oversized",
    ],
)
def test_refused_files_leave_nothing_behind(app, uploader, data, accept, message):
    with pytest.raises(Invalid) as refused:
        upload(app, uploader, data, accept)
    assert message in refused.value.errors["file"][0]
    assert stored_files(app) == (0, [])


def test_a_write_that_fails_later_removes_the_file_it_stored(app, uploader):
    with pytest.raises(RuntimeError), app.test_request_context(), atomic():
        save_upload(
            db.session.get(type(uploader), uploader.id),
            io.BytesIO(photo(size=(800, 600))),
            accept=IMAGES,
        )
        db.session.flush()
        raise RuntimeError("the message itself was refused")
    assert stored_files(app) == (0, [])

"""What the dispatch tests share besides fixtures: a small PDF, a filled-in form, counters."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select, text

from contactbook.extensions import db

PLUGIN = Path(__file__).resolve().parents[1]
CHECKOUT = PLUGIN.parents[1]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def document_form(**changes) -> dict:
    form = {
        "audience": "schools",
        "number": "125/PGDĐT-GDTrH",
        "issued_on": "2026-11-02",
        "issuer": "Phòng Giáo dục và Đào tạo",
        "subject": "Kế hoạch kiểm tra cuối học kì I",
        "summary": "Các trường báo cáo lịch kiểm tra.",
        "attachment": (io.BytesIO(PDF), "ke-hoach.pdf"),
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def files_on_disk(app) -> list[Path]:
    folder = Path(app.config["DISPATCH_UPLOAD_FOLDER"])
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def rows(app, table: str, where: str = "") -> int:
    """Count a dispatch table's rows by its name: the tests import nothing of the package, so
    an app without the module, tested earlier in the same run, never sees its models."""
    with app.app_context():
        return db.session.scalar(
            text(f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else ""))
        )


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

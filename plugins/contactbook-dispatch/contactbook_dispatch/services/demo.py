"""The demo district's first official document: sent by the district to both schools' admins,
confirmed by one of them, so the sender's list shows both states."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import insert

from contactbook.core.directory import Membership, User
from contactbook.core.platform import DemoSeed, Role, Urgency, utcnow
from contactbook.extensions import db
from contactbook_dispatch.models import Audience, Document, Recipient

# A one-page PDF, enough for the demo's "Open the document" to open something.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_FILE = "demo" + "0" * 28


def add_records(seed: DemoSeed) -> dict[str, int]:
    """Send one document from the district admin to every demo school's admins."""
    memberships = [row for row in seed.rows if isinstance(row, Membership)]
    district_admins = [row.user for row in memberships if row.role is Role.DISTRICT_ADMIN]
    school_admins = [row for row in memberships if row.role is Role.SCHOOL_ADMIN]
    if not district_admins or not school_admins:
        return {}
    sender: User = district_admins[0]
    sent_at = utcnow() - timedelta(days=2)
    path = Path(current_app.config["DISPATCH_UPLOAD_FOLDER"]) / DEMO_FILE[:2] / DEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(DEMO_PDF)
    document = Document(
        sender_id=sender.id,
        number="125/PGDĐT-GDTrH",
        issued_on=sent_at.date(),
        issuer="Phòng Giáo dục và Đào tạo",
        subject="Kế hoạch kiểm tra cuối học kì I năm học 2026–2027",
        summary="Các trường báo cáo lịch kiểm tra cuối học kì I trước ngày họp giao ban.",
        urgency=Urgency.NORMAL,
        reply_requested=True,
        reply_deadline=(sent_at + timedelta(days=14)).date(),
        audience=Audience.SCHOOLS,
        addressed={
            "school_ids": sorted({row.school.id for row in school_admins}),
            "roles": [],
            "classroom_ids": [],
        },
        attachment_name=DEMO_FILE,
        attachment_size=len(DEMO_PDF),
        created_at=sent_at,
    )
    db.session.add(document)
    db.session.flush()
    rows = [
        {
            "document_id": document.id,
            "user_id": membership.user.id,
            "school_id": membership.school.id,
            "delivered_at": sent_at,
            "opened_at": sent_at + timedelta(hours=1) if index == 0 else None,
            "confirmed_at": sent_at + timedelta(hours=1) if index == 0 else None,
        }
        for index, membership in enumerate(school_admins)
    ]
    db.session.execute(insert(Recipient), rows)
    return {"official documents": 1, "document recipients": len(rows)}

"""The sender's follow-up: who opened, confirmed and replied, a CSV of it, and reminders.

Only the sender follows a document; a recipient who asks is refused (403), anyone else does not
find it (404, through `documents_visible_to`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from contactbook.core.delivery import notify
from contactbook.core.directory import School, User
from contactbook.core.platform import Refused, atomic, utcnow
from contactbook.extensions import db
from contactbook_dispatch.models import Document, Recipient

# Following a document is the sender's: a recipient asking is refused as one who may not send.
TRACK = "dispatch.documents.send"
REMINDER = "dispatch.confirmation_reminder"
DEFAULT_REMIND_AFTER_DAYS = 3


@dataclass(frozen=True)
class RecipientStatus:
    """One line of the sender's list."""

    recipient_id: int
    name: str
    school: str
    delivered_at: datetime
    opened_at: datetime | None
    confirmed_at: datetime | None
    replied_at: datetime | None
    reply_text: str | None
    has_reply_attachment: bool


@dataclass(frozen=True)
class Status:
    """Counts and every recipient's marks."""

    total: int
    opened: int
    confirmed: int
    replied: int
    recipients: list[RecipientStatus]


def _require_sender(actor: User, document: Document) -> None:
    if document.sender_id != actor.id:
        raise Refused(TRACK)


def status(actor: User, document: Document) -> Status:
    """Per recipient: delivered, opened, confirmed, replied, with the counts."""
    _require_sender(actor, document)
    rows = db.session.execute(
        select(Recipient, User.display_name, School.name)
        .join(User, User.id == Recipient.user_id)
        .join(School, School.id == Recipient.school_id)
        .where(Recipient.document_id == document.id)
        .order_by(School.name, User.display_name, Recipient.id)
    ).all()
    lines = [
        RecipientStatus(
            recipient_id=row.id,
            name=name,
            school=school,
            delivered_at=row.delivered_at,
            opened_at=row.opened_at,
            confirmed_at=row.confirmed_at,
            replied_at=row.replied_at,
            reply_text=row.reply_text,
            has_reply_attachment=row.reply_attachment_name is not None,
        )
        for row, name, school in rows
    ]
    return Status(
        total=len(lines),
        opened=sum(1 for line in lines if line.opened_at),
        confirmed=sum(1 for line in lines if line.confirmed_at),
        replied=sum(1 for line in lines if line.replied_at),
        recipients=lines,
    )


def status_csv(actor: User, document: Document) -> str:
    """The sender's list as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents)."""
    found = status(actor, document)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Recipient"),
            _("School"),
            _("Delivered"),
            _("Opened"),
            _("Confirmed"),
            _("Replied"),
            _("Reply"),
        ]
    )
    for line in found.recipients:
        writer.writerow(
            [
                line.name,
                line.school,
                *(
                    moment.isoformat() if moment else ""
                    for moment in (
                        line.delivered_at,
                        line.opened_at,
                        line.confirmed_at,
                        line.replied_at,
                    )
                ),
                line.reply_text or "",
            ]
        )
    return out.getvalue()


def _notify_reminders(claimed: list[tuple[int, int]]) -> None:
    """Tell each claimed (user, document) pair, in a few statements."""
    users = {
        user.id: user
        for user in db.session.scalars(select(User).where(User.id.in_({u for u, _d in claimed})))
    }
    documents = {
        document.id: document
        for document in db.session.scalars(
            select(Document).where(Document.id.in_({d for _u, d in claimed}))
        )
    }
    for document_id in sorted({d for _u, d in claimed}):
        document = documents[document_id]
        notify(
            [users[user_id] for user_id, claimed_id in claimed if claimed_id == document_id],
            REMINDER,
            urgency=document.urgency,
            document_id=document.id,
            number=document.number,
            subject=document.subject,
        )


def remind(actor: User, document: Document) -> int:
    """The sender's "remind" button: tell everyone who has not confirmed; return how many."""
    _require_sender(actor, document)
    return _remind_where(utcnow(), Recipient.document_id == document.id)


def send_due_reminders(now: datetime | None = None) -> int:
    """The scheduled job: remind, once per document and recipient, those who have not
    confirmed DISPATCH_REMIND_AFTER_DAYS days after sending; return how many.

    `UPDATE ... WHERE reminded_at IS NULL RETURNING` claims each reminder, so a rerun or a
    second scheduler reminds nobody twice.
    """
    now = now or utcnow()
    days = int(current_app.config.get("DISPATCH_REMIND_AFTER_DAYS", DEFAULT_REMIND_AFTER_DAYS))
    due = select(Document.id).where(Document.created_at <= now - timedelta(days=days))
    return _remind_where(
        now, Recipient.document_id.in_(due.scalar_subquery()), Recipient.reminded_at.is_(None)
    )


def _remind_where(now: datetime, *conditions: Any) -> int:
    """Claim the unconfirmed recipients meeting the conditions and tell them, in one commit."""
    with atomic():
        claimed = db.session.execute(
            update(Recipient)
            .where(*conditions, Recipient.confirmed_at.is_(None))
            .values(reminded_at=now)
            .returning(Recipient.user_id, Recipient.document_id)
        ).all()
        if claimed:
            _notify_reminders([tuple(row) for row in claimed])
    return len(claimed)

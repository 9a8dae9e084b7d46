"""Sending a document and what its recipients do with it: open, confirm receipt, reply.

Sending fixes who received it: one `Recipient` row per person, written with their
notifications, the stored PDF and an audit entry in one transaction. A recipient finds only
documents addressed to them; anyone else, as if the document did not exist (404).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import Select, func, insert, or_, select

from contactbook.core.delivery import notify
from contactbook.core.directory import Classroom, School, User, access
from contactbook.core.platform import (
    Hidden,
    Invalid,
    Refused,
    Role,
    Urgency,
    atomic,
    audit,
    utcnow,
)
from contactbook.extensions import db
from contactbook_dispatch.models import Audience, Document, Recipient
from contactbook_dispatch.services import audience, files

SEND = "dispatch.documents.send"
READ = "dispatch.documents.read"
RECEIVED = "dispatch.document_received"
AUDIT_SENT = "dispatch.document_sent"
AUDIT_REPLIED = "dispatch.document_replied"
# Roles a document may be addressed to within schools.
ADDRESSABLE_ROLES = (Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE)


@dataclass(frozen=True)
class DocumentDraft:
    """What the sender filled in; schools and classes already found among those they manage."""

    audience: Audience
    number: str
    issued_on: date
    issuer: str
    subject: str
    summary: str
    attachment: IO[bytes] | None
    schools: tuple[School, ...] = ()
    roles: tuple[Role, ...] = ()
    classrooms: tuple[Classroom, ...] = ()
    urgency: Urgency = Urgency.NORMAL
    reply_requested: bool = False
    reply_deadline: date | None = None


def _check(draft: DocumentDraft, today: date) -> None:
    """Refuse what cannot be sent, with the field to blame."""
    errors: dict[str, list[str]] = {}
    if draft.audience in {Audience.SCHOOLS, Audience.STAFF} and not draft.schools:
        errors["school_ids"] = [_("Choose at least one school.")]
    if draft.audience is Audience.STAFF and not draft.roles:
        errors["roles"] = [_("Choose who at the schools receives it.")]
    if draft.audience is Audience.FAMILIES and not draft.classrooms:
        errors["classroom_ids"] = [_("Choose at least one class.")]
    if draft.issued_on > today:
        errors["issued_on"] = [_("A document cannot be issued in the future.")]
    if draft.reply_requested and draft.reply_deadline is None:
        errors["reply_deadline"] = [_("Give the date replies are due by.")]
    if draft.reply_deadline is not None and draft.reply_deadline < today:
        errors["reply_deadline"] = [_("The reply deadline has already passed.")]
    if draft.attachment is None:
        errors["attachment"] = [_("Attach the document as a PDF.")]
    if errors:
        raise Invalid(errors)


def _reached(draft: DocumentDraft) -> dict[int, tuple[User, int]]:
    """User id -> (user, the school they received it at), each person once."""
    by_school: list[tuple[int, list[User]]] = []
    if draft.audience is Audience.FAMILIES:
        classes: dict[int, list[int]] = defaultdict(list)
        for room in draft.classrooms:
            classes[room.school.id].append(room.id)
        by_school = [(school_id, audience.families_of(ids)) for school_id, ids in classes.items()]
    else:
        roles = draft.roles if draft.audience is Audience.STAFF else (Role.SCHOOL_ADMIN,)
        by_school = [(school.id, audience.staff_at(school.id, roles)) for school in draft.schools]
    reached: dict[int, tuple[User, int]] = {}
    for school_id, users in by_school:
        for user in users:
            reached.setdefault(user.id, (user, school_id))
    return reached


def _addressed_schools(draft: DocumentDraft) -> dict[int, School]:
    """The schools a document goes to: the chosen ones, or the chosen classes' schools.

    The form sends every box ticked; those of the other kind of audience are left aside.
    """
    if draft.audience is Audience.FAMILIES:
        return {room.school.id: room.school for room in draft.classrooms}
    return {school.id: school for school in draft.schools}


def send_document(actor: User, draft: DocumentDraft) -> Document:
    """Send to everyone addressed as they stand now, and tell each of them."""
    schools = _addressed_schools(draft)
    for school in schools.values():
        access.require(actor, SEND, school)
    today = min((school.today() for school in schools.values()), default=utcnow().date())
    with atomic():
        _check(draft, today)
        reached = _reached(draft)
        reached.pop(actor.id, None)
        if not reached:
            raise Invalid({"audience": [_("Nobody would receive this document.")]})
        name, size = files.save_pdf(draft.attachment, "attachment")
        document = Document(
            sender_id=actor.id,
            number=draft.number,
            issued_on=draft.issued_on,
            issuer=draft.issuer,
            subject=draft.subject,
            summary=draft.summary,
            urgency=draft.urgency,
            reply_requested=draft.reply_requested,
            reply_deadline=draft.reply_deadline if draft.reply_requested else None,
            audience=draft.audience,
            addressed={
                "school_ids": sorted(schools),
                "roles": [str(role) for role in draft.roles]
                if draft.audience is Audience.STAFF
                else [],
                "classroom_ids": sorted(room.id for room in draft.classrooms)
                if draft.audience is Audience.FAMILIES
                else [],
            },
            attachment_name=name,
            attachment_size=size,
            created_at=utcnow(),
        )
        db.session.add(document)
        db.session.flush()
        db.session.execute(
            insert(Recipient),
            [
                {
                    "document_id": document.id,
                    "user_id": user_id,
                    "school_id": school_id,
                    "delivered_at": document.created_at,
                }
                for user_id, (_user, school_id) in sorted(reached.items())
            ],
        )
        notify(
            [user for user, _school in reached.values()],
            RECEIVED,
            urgency=document.urgency,
            document_id=document.id,
            number=document.number,
            subject=document.subject,
            issuer=document.issuer,
        )
        audit.record(
            actor,
            AUDIT_SENT,
            document,
            after={"number": document.number, "subject": document.subject, **document.addressed},
        )
    return document


def documents_visible_to(user: User) -> Select:
    """What a user may open: documents they sent, and documents addressed to them."""
    received = select(Recipient.document_id).where(Recipient.user_id == user.id)
    return select(Document).where(or_(Document.sender_id == user.id, Document.id.in_(received)))


def unconfirmed_count(user: User) -> Select:
    """The menu badge's query: documents addressed to the user still waiting for confirmation."""
    return select(func.count(Recipient.id)).where(
        Recipient.user_id == user.id, Recipient.confirmed_at.is_(None)
    )


def recipient_row(user: User, document: Document) -> Recipient | None:
    """The reader's own copy, if the document was addressed to them."""
    return db.session.scalar(
        select(Recipient).where(Recipient.document_id == document.id, Recipient.user_id == user.id)
    )


def inbox_of(user: User) -> list[tuple[Document, Recipient]]:
    """Documents addressed to the user, newest first, each with their own marks."""
    rows = db.session.execute(
        select(Document, Recipient)
        .join(Recipient, Recipient.document_id == Document.id)
        .where(Recipient.user_id == user.id)
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(100)
    )
    return [(document, recipient) for document, recipient in rows]


def sent_by(user: User) -> list[Document]:
    """Documents the user sent, newest first."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.sender_id == user.id)
            .order_by(Document.created_at.desc(), Document.id.desc())
            .limit(100)
        )
    )


def _own_row(user: User, document: Document) -> Recipient:
    """The reader's copy; the sender and others who only see the document may not act on it."""
    row = recipient_row(user, document)
    if row is None:
        raise Refused(READ, _("This document was not addressed to you."))
    return row


def mark_opened(user: User, document: Document) -> Recipient:
    """The recipient opened it (the page sends this); the first time is kept."""
    with atomic():
        row = _own_row(user, document)
        row.opened_at = row.opened_at or utcnow()
    return row


def confirm(user: User, document: Document) -> Recipient:
    """The recipient confirms receipt; confirming again changes nothing."""
    with atomic():
        row = _own_row(user, document)
        now = utcnow()
        row.opened_at = row.opened_at or now
        row.confirmed_at = row.confirmed_at or now
    return row


def reply(user: User, document: Document, text: str, attachment: IO[bytes] | None) -> Recipient:
    """The recipient answers a document that asks for a reply, once, with an optional PDF.

    Replying confirms receipt too.
    """
    with atomic():
        row = _own_row(user, document)
        if not document.reply_requested:
            raise Invalid({"text": [_("This document asks for no reply.")]})
        if row.replied_at is not None:
            raise Invalid({"text": [_("You have already replied to this document.")]})
        if attachment is not None:
            row.reply_attachment_name, _size = files.save_pdf(attachment, "attachment")
        now = utcnow()
        row.reply_text = text
        row.replied_at = now
        row.opened_at = row.opened_at or now
        row.confirmed_at = row.confirmed_at or now
        audit.record(user, AUDIT_REPLIED, document, school_id=row.school_id)
    return row


def reply_with_attachment(user: User, document: Document, recipient_id: int) -> Recipient:
    """The reply whose PDF is asked for: the document's sender or the one who replied."""
    row = db.session.get(Recipient, recipient_id)
    allowed = row is not None and row.document_id == document.id
    allowed = allowed and user.id in {document.sender_id, row.user_id}
    if not allowed or row.reply_attachment_name is None:
        raise Hidden()
    return row

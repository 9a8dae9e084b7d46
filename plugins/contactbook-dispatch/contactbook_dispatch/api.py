"""JSON routes of dispatch: send, inbox, open, confirm, reply; the sender's status and reminder."""

from __future__ import annotations

from typing import IO

from flask import request
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import select

from contactbook.core.directory import Classroom, School, SchoolYear, access
from contactbook.core.platform import idempotent
from contactbook_dispatch import schemas
from contactbook_dispatch.models import Document
from contactbook_dispatch.services import documents, files, tracking

bp = Blueprint("dispatch_api", __name__, description="Official documents")
WITH_A_FILE = {"send_document", "reply"}


@bp.before_request
def _room_for_a_pdf() -> None:
    # Requests carry a few kilobytes, but a document or a reply may carry a PDF.
    if request.endpoint in {f"{bp.name}.{name}" for name in WITH_A_FILE}:
        request.max_content_length = files.request_size_limit()


def _document(document_id: int) -> Document:
    return access.get_visible_or_404(
        documents.documents_visible_to(current_user), Document, document_id
    )


def _upload(name: str) -> IO[bytes] | None:
    upload = request.files.get(name)
    return upload.stream if upload and upload.filename else None


def _managed_schools(ids: list[int]) -> tuple[School, ...]:
    """The schools asked for, each one the sender runs; any other is a 404."""
    query = select(School).where(School.id.in_(access.managed_school_ids(current_user)))
    return tuple(access.get_visible_or_404(query, School, school_id) for school_id in ids)


def _managed_classrooms(ids: list[int]) -> tuple[Classroom, ...]:
    """The classes asked for, each of a school the sender runs; any other is a 404."""
    query = (
        select(Classroom)
        .join(SchoolYear, SchoolYear.id == Classroom.school_year_id)
        .where(SchoolYear.school_id.in_(access.managed_school_ids(current_user)))
    )
    return tuple(access.get_visible_or_404(query, Classroom, room_id) for room_id in ids)


@bp.route("/documents", methods=["POST"])
@login_required
@idempotent
@bp.arguments(
    schemas.DocumentIn,
    location="form",
    content_type="multipart/form-data",
    description="The fields, and the PDF as the file `attachment`.",
)
@bp.response(201, schemas.DocumentOut)
def send_document(payload):
    """Send a document to schools' admins (`schools`), roles at schools (`staff`) or classes'
    families (`families`), with its PDF as the file `attachment`."""
    draft = documents.DocumentDraft(
        audience=payload["audience"],
        number=payload["number"],
        issued_on=payload["issued_on"],
        issuer=payload["issuer"],
        subject=payload["subject"],
        summary=payload["summary"],
        attachment=_upload("attachment"),
        schools=_managed_schools(payload["school_ids"]),
        roles=tuple(payload["roles"]),
        classrooms=_managed_classrooms(payload["classroom_ids"]),
        urgency=payload["urgency"],
        reply_requested=payload["reply_requested"],
        reply_deadline=payload["reply_deadline"],
    )
    return documents.send_document(current_user, draft)


@bp.route("/documents", methods=["GET"])
@login_required
@bp.response(200, schemas.DocumentOut(many=True))
def inbox():
    """Documents addressed to the signed-in user, newest first."""
    return [document for document, _row in documents.inbox_of(current_user)]


@bp.route("/documents/sent", methods=["GET"])
@login_required
@bp.response(200, schemas.DocumentOut(many=True))
def sent():
    """Documents the signed-in user sent, newest first."""
    return documents.sent_by(current_user)


@bp.route("/documents/<int:document_id>", methods=["GET"])
@login_required
@bp.response(200, schemas.DocumentOut)
def get_document(document_id):
    return _document(document_id)


@bp.route("/documents/<int:document_id>/opened", methods=["POST"])
@login_required
@bp.response(200, schemas.MarksOut)
def mark_opened(document_id):
    """The recipient opened it (the page sends this); the first time is kept."""
    return documents.mark_opened(current_user, _document(document_id))


@bp.route("/documents/<int:document_id>/confirmation", methods=["POST"])
@login_required
@idempotent
@bp.response(200, schemas.MarksOut)
def confirm(document_id):
    """The recipient confirms receipt; a second confirmation changes nothing."""
    return documents.confirm(current_user, _document(document_id))


@bp.route("/documents/<int:document_id>/reply", methods=["POST"])
@login_required
@idempotent
@bp.arguments(
    schemas.ReplyIn,
    location="form",
    content_type="multipart/form-data",
    description="The text, and optionally a PDF as the file `attachment`.",
)
@bp.response(201, schemas.MarksOut)
def reply(payload, document_id):
    """The recipient answers a document asking for a reply: `text`, optional PDF `attachment`."""
    document = _document(document_id)
    return documents.reply(current_user, document, payload["text"], _upload("attachment"))


@bp.route("/documents/<int:document_id>/status", methods=["GET"])
@login_required
@bp.response(200, schemas.StatusOut)
def status(document_id):
    """Per recipient delivered, opened, confirmed and replied, with counts: for the sender."""
    return tracking.status(current_user, _document(document_id))


@bp.route("/documents/<int:document_id>/reminders", methods=["POST"])
@login_required
@idempotent
@bp.response(200, schemas.RemindedOut)
def remind(document_id):
    """The sender reminds everyone who has not confirmed yet."""
    return {"reminded": tracking.remind(current_user, _document(document_id))}

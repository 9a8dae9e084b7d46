"""Pages of dispatch: the inbox, the sender's list and form, one document, its files and CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import access
from contactbook.core.platform import Hidden, Refused, Urgency
from contactbook_dispatch.models import Audience, Document
from contactbook_dispatch.services import documents, files, tracking
from contactbook_dispatch.services.pages import sending_choices

bp = Blueprint("dispatch", __name__, template_folder="templates")


def _document(document_id: int) -> Document:
    return access.get_visible_or_404(
        documents.documents_visible_to(current_user), Document, document_id
    )


@bp.get("/")
@login_required
def inbox():
    """Documents addressed to the reader, newest first, unconfirmed ones marked."""
    return render_template(
        "dispatch/inbox.html",
        rows=documents.inbox_of(current_user),
        may_send=access.has_permission(current_user, documents.SEND),
    )


@bp.get("/sent")
@login_required
def sent():
    """What the reader sent, and the way to send another."""
    if not access.has_permission(current_user, documents.SEND):
        raise Hidden()
    return render_template("dispatch/sent.html", sent=documents.sent_by(current_user))


@bp.get("/new")
@login_required
def new():
    """The sending form: the schools the sender runs, their roles and classes."""
    choices = sending_choices(current_user)
    if not choices.schools:
        raise Hidden()
    return render_template(
        "dispatch/new.html",
        choices=choices,
        audiences=list(Audience),
        roles=documents.ADDRESSABLE_ROLES,
        urgencies=list(Urgency),
    )


@bp.get("/documents/<int:document_id>")
@login_required
def show(document_id: int):
    """One document: a recipient's marks, confirm button and reply form, or the sender's list."""
    document = _document(document_id)
    row = documents.recipient_row(current_user, document)
    try:
        status = tracking.status(current_user, document) if row is None else None
    except Refused:
        status = None
    return render_template("dispatch/show.html", document=document, row=row, status=status)


@bp.get("/documents/<int:document_id>/attachment")
@login_required
def attachment(document_id: int) -> Response:
    """The document's PDF, for its sender and those it was addressed to."""
    document = _document(document_id)
    return files.serve_pdf(document.attachment_name, f"cong-van-{document.id}.pdf")


@bp.get("/documents/<int:document_id>/replies/<int:recipient_id>/attachment")
@login_required
def reply_attachment(document_id: int, recipient_id: int) -> Response:
    """A reply's PDF, for the document's sender and the one who replied."""
    document = _document(document_id)
    row = documents.reply_with_attachment(current_user, document, recipient_id)
    return files.serve_pdf(row.reply_attachment_name, f"tra-loi-{document.id}-{row.id}.pdf")


@bp.get("/documents/<int:document_id>/status.csv")
@login_required
def status_csv(document_id: int) -> Response:
    """The sender's list of recipients and their marks, for a spreadsheet."""
    document = _document(document_id)
    return Response(
        tracking.status_csv(current_user, document),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="cong-van-{document.id}.csv"',
            "Cache-Control": "private, no-store",
        },
    )

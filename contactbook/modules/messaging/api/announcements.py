"""JSON routes of announcements: post, feed, read and acknowledge, the sender's status list."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.directory import Classroom, School, access
from contactbook.core.platform import Invalid, idempotent
from contactbook.modules.messaging import schemas_announcements as schemas
from contactbook.modules.messaging.models import Announcement
from contactbook.modules.messaging.services import announcements, uploads

bp = Blueprint("messaging_announcements_api", __name__, description="Announcements")


@bp.before_request
def _room_for_an_attachment() -> None:
    # Requests carry a few kilobytes, but an announcement may carry a PDF or a photo.
    if request.endpoint == f"{bp.name}.post_announcement":
        request.max_content_length = uploads.request_size_limit()


def _announcement(announcement_id: int) -> Announcement:
    return access.get_visible_or_404(
        announcements.announcements_visible_to(current_user), Announcement, announcement_id
    )


def _where(payload: dict) -> tuple[School | None, Classroom | None]:
    """The school and class an announcement goes to, found through what the sender may see."""
    classroom = None
    if payload["classroom_id"] is not None:
        classroom = access.get_visible_or_404(
            access.classrooms_visible_to(current_user), Classroom, payload["classroom_id"]
        )
    if payload["school_id"] is not None:
        school = access.get_visible_or_404(
            access.schools_visible_to(current_user), School, payload["school_id"]
        )
    elif classroom is not None:
        school = classroom.school
    else:
        raise Invalid({"school_id": [_("Choose the school or the class.")]})
    return school, classroom


@bp.route("/announcements", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.AnnouncementIn, location="form")
@bp.response(201, schemas.AnnouncementOut)
def post_announcement(payload):
    """Post to a class (teachers) or to the school or some grade levels (admins), with an
    optional `attachment` file (PDF or picture)."""
    school, classroom = _where(payload)
    attachment = request.files.get("attachment")
    draft = announcements.AnnouncementDraft(
        audience=payload["audience"],
        title=payload["title"],
        body=payload["body"],
        classroom=classroom,
        grade_levels=tuple(payload["grade_levels"]),
        deadline=payload["deadline"],
        needs_acknowledgement=payload["needs_acknowledgement"],
        attachment=attachment.stream if attachment and attachment.filename else None,
    )
    return announcements.post_announcement(current_user, school, draft)


@bp.route("/announcements", methods=["GET"])
@login_required
@bp.response(200, schemas.AnnouncementOut(many=True))
def list_announcements():
    """A family's feed, or what a member of staff may follow."""
    return announcements.announcements_for(current_user)


@bp.route("/announcements/<int:announcement_id>", methods=["GET"])
@login_required
@bp.response(200, schemas.AnnouncementOut)
def get_announcement(announcement_id):
    return _announcement(announcement_id)


@bp.route("/announcements/<int:announcement_id>/read", methods=["POST"])
@login_required
@bp.response(200, schemas.ReceiptOut)
def mark_read(announcement_id):
    """The family opened it (the page sends this); the first time is kept."""
    return announcements.mark_read(current_user, _announcement(announcement_id))


@bp.route("/announcements/<int:announcement_id>/acknowledgement", methods=["POST"])
@login_required
@idempotent
@bp.response(200, schemas.ReceiptOut)
def acknowledge(announcement_id):
    """The family confirms they have read it."""
    return announcements.acknowledge(current_user, _announcement(announcement_id))


@bp.route("/announcements/<int:announcement_id>/receipts", methods=["GET"])
@login_required
@bp.response(200, schemas.ReceiptsOut)
def receipts(announcement_id):
    """Per family read and acknowledged, with counts: for the sender and those over them."""
    return announcements.receipts(current_user, _announcement(announcement_id))

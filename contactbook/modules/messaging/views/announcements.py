"""Pages of announcements: the family feed, the sender's list and form, one announcement."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import access
from contactbook.core.platform import Refused
from contactbook.modules.messaging.models import Announcement, Audience
from contactbook.modules.messaging.services import announcements, attachments, uploads
from contactbook.modules.messaging.services.announcement_pages import (
    audience_choices,
    is_family,
)

bp = Blueprint("messaging_announcements", __name__, template_folder="../templates")


@bp.get("/announcements")
@login_required
def index():
    """Families see their feed; staff see what they sent or follow, and may write a new one."""
    family = is_family(current_user)
    return render_template(
        "messaging/announcements/index.html",
        feed=announcements.feed_of(current_user) if family else [],
        followed=[] if family else announcements.announcements_for(current_user),
        may_post=access.has_permission(current_user, "messaging.announcements.post"),
    )


@bp.get("/announcements/new")
@login_required
def new():
    """The form: a teacher picks one of their classes; an admin the school or grade levels."""
    choices = audience_choices(current_user)
    if not choices.classes and not choices.schools:
        raise Refused("messaging.announcements.post")
    return render_template(
        "messaging/announcements/new.html", choices=choices, audiences=list(Audience)
    )


@bp.get("/announcements/<int:announcement_id>")
@login_required
def show(announcement_id: int):
    """One announcement: a family's own marks and button, or the sender's status list."""
    announcement = access.get_visible_or_404(
        announcements.announcements_visible_to(current_user), Announcement, announcement_id
    )
    receipt = announcements.receipt_of(current_user, announcement)
    status = None
    if receipt is None:
        try:
            status = announcements.receipts(current_user, announcement)
        except Refused:
            status = None
    return render_template(
        "messaging/announcements/show.html",
        announcement=announcement,
        receipt=receipt,
        status=status,
    )


@bp.get("/announcements/<int:announcement_id>/attachment")
@login_required
def attachment(announcement_id: int):
    """The file sent with an announcement, to those who may read the announcement only."""
    found = attachments.announcement_with_attachment(current_user, announcement_id)
    extension = found.attachment.content_type.split("/")[1]
    return uploads.serve(
        current_user,
        found.attachment,
        lambda user: attachments.may_open_attachment(user, found),
        download_name=f"announcement-{found.id}.{extension}",
    )

"""Files attached to announcements and leave requests, and who may open each one.

An announcement's attachment follows the announcement: whoever may read the announcement (its
families, its sender, the class's teachers, the school's admins) may open the file. A doctor's
note is a family's health detail: only the child's guardians and the homeroom teacher deciding
the request see it; everyone else, the school's admins included, finds nothing (404).
"""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.directory import User, access
from contactbook.core.platform import Hidden
from contactbook.extensions import db
from contactbook.modules.messaging.models import Announcement, LeaveRequest
from contactbook.modules.messaging.services.announcements import announcements_visible_to
from contactbook.modules.messaging.services.leave import leave_requests_visible_to

SEE_DOCTORS_NOTE = "messaging.leave.notes.view"


def announcement_with_attachment(actor: User, announcement_id: int) -> Announcement:
    """The announcement whose file is asked for, if it has one and the actor may read it."""
    found = db.session.scalar(
        announcements_visible_to(actor).where(
            Announcement.id == announcement_id, Announcement.attachment_id.is_not(None)
        )
    )
    if found is None:
        raise Hidden()
    return found


def may_open_attachment(user: User, announcement: Announcement) -> bool:
    """The announcement's own rule: a reader of the announcement may open what came with it."""
    visible = announcements_visible_to(user).where(Announcement.id == announcement.id)
    return bool(db.session.scalar(select(visible.exists())))


def leave_with_doctors_note(actor: User, leave_id: int) -> LeaveRequest:
    """The leave request whose doctor's note is asked for, if it has one the actor may see."""
    found = db.session.scalar(
        leave_requests_visible_to(actor).where(
            LeaveRequest.id == leave_id, LeaveRequest.doctors_note_id.is_not(None)
        )
    )
    if found is None or not may_see_doctors_note(actor, found):
        raise Hidden()
    return found


def may_see_doctors_note(user: User, leave: LeaveRequest) -> bool:
    """The child's guardians and the class's homeroom teacher, as `permissions.py` declares."""
    return access.allows(user, SEE_DOCTORS_NOTE, leave)

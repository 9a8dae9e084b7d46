"""Pages of leave requests: the list, a family's form, one request with the teacher's answer."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from contactbook.core.directory import Student, access
from contactbook.core.platform import Refused
from contactbook.modules.messaging.models import DayPart, LeaveRequest
from contactbook.modules.messaging.services import attachments, leave, uploads

bp = Blueprint("messaging_leave", __name__, template_folder="../templates")


@bp.get("/leave")
@login_required
def index():
    """Families: their requests and a button per child; teachers: their classes' requests."""
    return render_template(
        "messaging/leave/index.html",
        requests=leave.leave_requests_for(current_user),
        children=access.children_in_order(current_user),
    )


@bp.get("/leave/new/<int:student_id>")
@login_required
def new(student_id: int):
    """The request form for one of the family's own children."""
    student = access.get_visible_or_404(
        access.students_visible_to(current_user), Student, student_id
    )
    if not access.allows(current_user, "messaging.leave.request", student):
        raise Refused("messaging.leave.request")
    return render_template(
        "messaging/leave/new.html",
        student=student,
        today=student.school.today(),
        parts=list(DayPart),
    )


@bp.get("/leave/<int:leave_id>")
@login_required
def show(leave_id: int):
    """One request; its homeroom teacher answers here."""
    found = access.get_visible_or_404(
        leave.leave_requests_visible_to(current_user), LeaveRequest, leave_id
    )
    return render_template(
        "messaging/leave/show.html",
        leave=found,
        may_decide=access.allows(current_user, "messaging.leave.decide", found.classroom),
        may_see_note=attachments.may_see_doctors_note(current_user, found),
    )


@bp.get("/leave/<int:leave_id>/doctors-note")
@login_required
def doctors_note(leave_id: int):
    """The photo of a doctor's note, to the child's family and the deciding teacher only."""
    found = attachments.leave_with_doctors_note(current_user, leave_id)
    return uploads.serve(
        current_user,
        found.doctors_note,
        lambda user: attachments.may_see_doctors_note(user, found),
        download_name=f"doctors-note-{found.id}.{found.doctors_note.content_type.split('/')[1]}",
    )

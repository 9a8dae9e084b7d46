"""JSON routes of leave requests: a family asks, the homeroom teacher decides."""

from __future__ import annotations

from flask import request
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.directory import Student, access
from contactbook.core.platform import idempotent
from contactbook.modules.messaging import schemas_leave as schemas
from contactbook.modules.messaging.models import LeaveRequest
from contactbook.modules.messaging.services import leave, uploads

bp = Blueprint("messaging_leave_api", __name__, description="Leave requests")


@bp.before_request
def _room_for_a_photo() -> None:
    # Requests carry a few kilobytes, but a leave request may carry a photo of a doctor's note.
    if request.endpoint == f"{bp.name}.request_leave":
        request.max_content_length = uploads.request_size_limit()


def _student(student_id: int) -> Student:
    return access.get_visible_or_404(access.students_visible_to(current_user), Student, student_id)


def _leave(leave_id: int) -> LeaveRequest:
    return access.get_visible_or_404(
        leave.leave_requests_visible_to(current_user), LeaveRequest, leave_id
    )


@bp.route("/students/<int:student_id>/leave-requests", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.LeaveIn, location="form")
@bp.response(201, schemas.LeaveOut)
def request_leave(payload, student_id):
    """A guardian asks leave for their child, maybe with a `doctors_note` photo."""
    student = _student(student_id)
    note = request.files.get("doctors_note")
    stream = note.stream if note and note.filename else None
    return leave.request_leave(
        current_user, student, leave.LeaveDraft(**payload, doctors_note=stream)
    )


@bp.route("/students/<int:student_id>/leave-requests", methods=["GET"])
@login_required
@bp.response(200, schemas.LeaveOut(many=True))
def student_requests(student_id):
    return leave.leave_requests_for(current_user, _student(student_id))


@bp.route("/leave-requests", methods=["GET"])
@login_required
@bp.response(200, schemas.LeaveOut(many=True))
def list_requests():
    """Waiting requests first: a family's children's, a teacher's classes', an admin's school's."""
    return leave.leave_requests_for(current_user)


@bp.route("/leave-requests/<int:leave_id>", methods=["GET"])
@login_required
@bp.response(200, schemas.LeaveOut)
def get_request(leave_id):
    return _leave(leave_id)


@bp.route("/leave-requests/<int:leave_id>/decision", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.DecisionIn)
@bp.response(200, schemas.LeaveOut)
def decide(payload, leave_id):
    """The homeroom teacher approves or declines, with a comment."""
    return leave.decide_leave(
        current_user, _leave(leave_id), payload["decision"] == "approve", payload["comment"]
    )

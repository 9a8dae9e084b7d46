"""Pages of conversations: the messaging page, one conversation, a teacher's settings, photos."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from contactbook.core.directory import Classroom, Enrollment, Student, access
from contactbook.core.platform import Hidden
from contactbook.modules.messaging.services import (
    conversation_messages,
    conversations,
    office_hours,
    quick_replies,
    uploads,
)

bp = Blueprint("messaging_conversations", __name__, template_folder="../templates")


@bp.route("/")
@login_required
def index():
    """The user's conversations with unread counts, and their children to start one about."""
    children = access.children_in_order(current_user)
    return render_template(
        "messaging/conversations/index.html",
        rows=conversations.conversations_of(current_user),
        children=children,
        is_staff=office_hours.workplace_of(current_user) is not None,
    )


@bp.route("/children/<int:student_id>")
@login_required
def child(student_id):
    """A child's conversation, or the button that starts it (what the child's page links to)."""
    student = access.get_visible_or_404(
        # The child's school, guardians and current class, which starting a conversation
        # asks about, in the statement finding the child.
        access.students_visible_to(current_user).options(
            joinedload(Student.school),
            joinedload(Student.guardianships),
            joinedload(Student.enrollments)
            .joinedload(Enrollment.classroom)
            .joinedload(Classroom.school_year),
        ),
        Student,
        student_id,
    )
    found = conversations.conversation_about(current_user, student)
    if found is not None:
        return redirect(url_for(".conversation", conversation_id=found.id))
    may_start = access.allows(current_user, "messaging.conversations.start", student)
    return render_template(
        "messaging/conversations/start.html", student=student, may_start=may_start
    )


@bp.route("/conversations/<int:conversation_id>")
@login_required
def conversation(conversation_id):
    """One conversation: messages oldest first, the box to write, a teacher's tools."""
    found = conversations.get_conversation(current_user, conversation_id)
    messages = conversations.open_conversation(current_user, found)
    may_manage = conversations.may_manage(current_user, found)
    replies, joinable = conversations.teacher_tools(
        current_user,
        found,
        replies=conversations.writes_as_staff(current_user, found),
        joinable=may_manage,
    )
    return render_template(
        "messaging/conversations/conversation.html",
        conversation=found,
        messages=conversation_messages.message_rows(current_user, found, messages),
        may_write=conversations.may_write(current_user, found),
        may_manage=may_manage,
        notice=conversation_messages.teacher_notice(current_user, found),
        replies=replies,
        joinable=joinable,
        max_length=conversation_messages.MAX_LENGTH,
    )


@bp.route("/settings")
@login_required
def settings():
    """A teacher's office hours and quick replies."""
    school = office_hours.workplace_of(current_user)
    if school is None:
        raise Hidden()
    starts_at, ends_at = office_hours.hours_of(current_user)
    return render_template(
        "messaging/conversations/settings.html",
        starts_at=starts_at,
        ends_at=ends_at,
        replies=quick_replies.quick_replies_of(current_user),
    )


@bp.route("/messages/<int:message_id>/photo")
@login_required
def photo(message_id):
    """A message's photo, to those who may open its conversation only."""
    message, found = conversation_messages.photo_of(current_user, message_id)
    return uploads.serve(
        current_user,
        message.photo,
        lambda user: access.allows(user, "messaging.conversations.view", found),
        download_name=f"photo-{message.id}.{message.photo.content_type.split('/')[1]}",
    )

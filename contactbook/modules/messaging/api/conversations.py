"""JSON routes of conversations: parse, find through a visibility query, call a service, dump."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from contactbook.core.directory import School, Student, access
from contactbook.core.platform import Hidden, conditional, idempotent
from contactbook.modules.messaging.api import conversation_schemas as schemas
from contactbook.modules.messaging.services import (
    conversation_messages,
    conversations,
    office_hours,
    quick_replies,
    uploads,
)

bp = Blueprint(
    "messaging_conversations_api",
    __name__,
    description="Conversations between families and teachers",
)


@bp.before_request
def _room_for_a_photo() -> None:
    # Requests carry a few kilobytes, but a message may carry a phone photo.
    if request.endpoint == f"{bp.name}.send_message":
        request.max_content_length = uploads.request_size_limit()


def _out(conversation) -> dict:
    return {
        "id": conversation.id,
        "student_id": conversation.student_id,
        "is_closed": conversation.is_closed,
        "url": url_for("messaging_conversations.conversation", conversation_id=conversation.id),
    }


@bp.route("/conversations")
@login_required
@bp.response(200, schemas.ConversationRowOut(many=True))
def list_conversations():
    return conversations.conversations_of(current_user)


@bp.route("/students/<int:student_id>/conversation", methods=["POST"])
@login_required
@idempotent
@bp.response(200, schemas.ConversationOut)
def start_conversation(student_id):
    student = access.get_visible_or_404(
        access.students_visible_to(current_user), Student, student_id
    )
    return _out(conversations.start_conversation(current_user, student))


@bp.route("/conversations/<int:conversation_id>")
@login_required
@bp.response(200, schemas.NewMessagesOut)
def read_conversation(conversation_id):
    conversation = conversations.get_conversation(current_user, conversation_id)
    messages = conversations.open_conversation(current_user, conversation)
    return {
        "messages": conversation_messages.message_rows(current_user, conversation, messages),
        "last_id": conversation.last_message_id,
        "is_closed": conversation.is_closed,
    }


@bp.route("/conversations/<int:conversation_id>/messages")
@login_required
@conditional(conversation_messages.conversation_stamp)
@bp.arguments(schemas.AfterArgs, location="query")
@bp.alt_response(200, schema=schemas.NewMessagesOut, description="Messages after `after`")
@bp.alt_response(304, description="Nothing new since the ETag sent in If-None-Match")
def new_messages(args, conversation_id):
    """Anything new after `after`? 304 when the page's ETag still holds, else the new ones."""
    found = conversation_messages.messages_after(current_user, conversation_id, args["after"])
    rows = (
        conversation_messages.message_rows(current_user, found.conversation, found.messages)
        if found.conversation
        else []
    )
    return schemas.NewMessagesOut().dump(
        {"messages": rows, "last_id": found.last_id, "is_closed": found.is_closed}
    )


@bp.route("/conversations/<int:conversation_id>/messages", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.MessageIn, location="form")
@bp.response(201, schemas.MessageOut)
def send_message(payload, conversation_id):
    conversation = conversations.get_conversation(current_user, conversation_id)
    photo = request.files.get("photo")
    stream = photo.stream if photo and photo.filename else None
    message = conversation_messages.send_message(
        current_user, conversation, payload["text"], stream
    )
    return conversation_messages.message_rows(current_user, conversation, [message])[0]


@bp.route("/conversations/<int:conversation_id>", methods=["PATCH"])
@login_required
@idempotent
@bp.arguments(schemas.ClosedIn)
@bp.response(200, schemas.ConversationOut)
def set_closed(payload, conversation_id):
    conversation = conversations.get_conversation(current_user, conversation_id)
    return _out(conversations.set_closed(current_user, conversation, payload["is_closed"]))


@bp.route("/conversations/<int:conversation_id>/participants", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.ParticipantIn)
@bp.response(201, schemas.ConversationOut)
def add_participant(payload, conversation_id):
    conversation = conversations.get_conversation(current_user, conversation_id)
    conversations.add_staff(current_user, conversation, payload["user_id"])
    return _out(conversation)


@bp.route("/office-hours", methods=["PUT"])
@login_required
@idempotent
@bp.arguments(schemas.OfficeHoursIn)
@bp.response(200, schemas.OfficeHoursOut)
def set_office_hours(payload):
    return office_hours.set_hours(
        current_user, _workplace(), payload["starts_at"], payload["ends_at"]
    )


@bp.route("/quick-replies", methods=["POST"])
@login_required
@idempotent
@bp.arguments(schemas.QuickReplyIn)
@bp.response(201, schemas.QuickReplyOut)
def add_quick_reply(payload):
    return quick_replies.add_quick_reply(current_user, _workplace(), payload["text"])


@bp.route("/quick-replies/<int:reply_id>", methods=["DELETE"])
@login_required
@idempotent
@bp.response(204)
def remove_quick_reply(reply_id):
    quick_replies.remove_quick_reply(current_user, reply_id)


def _workplace() -> School:
    school = office_hours.workplace_of(current_user)
    if school is None:
        raise Hidden()
    return school

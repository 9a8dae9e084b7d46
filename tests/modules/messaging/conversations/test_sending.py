"""Sending a message: retries with a photo replay the first answer; a send's SQL stays small."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import event, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from contactbook.core.delivery import Notification, PushSubscription
from contactbook.core.directory import Guardianship, Relationship
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.messaging.models import Message, Participant, StoredFile
from tests.conftest import assert_error, csrf_token_from, saved
from tests.modules.messaging.conversations.conftest import TUESDAY_MORNING, jpeg
from tests.modules.messaging.conversations.test_conversations import count, messages_url

# What sending a guardian's message costs, however many take part: the session with its user
# and roles; the idempotency record claimed, then filled; the conversation with who takes part
# (two); the message and the conversation's newest id; the teachers' office hours and the
# school's closed days; notify(): earlier unread news replaced and their unsent pushes dropped,
# the inbox rows, everyone's choices and devices, the outbox rows; the pupil's change stamp.
MOST_STATEMENTS_PER_SEND = 15


@pytest.fixture
def during_office_hours(time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)


def send_photo(client, url: str, text: str, photo: bytes, *, key: str, boundary: str):
    """POST a message with a photo as a browser would, with the boundary it chose this time."""
    fields = {
        "text": text,
        "photo": FileStorage(io.BytesIO(photo), filename="IMG_0001.JPG", content_type="image/jpeg"),
    }
    _boundary, body = encode_multipart(fields, boundary=boundary)
    return client.post(
        url,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"X-CSRFToken": csrf_token_from(client, "/"), "Idempotency-Key": key},
    )


def test_a_photo_message_retried_with_a_new_boundary_gets_the_first_answer(
    app, client, login, conversation, during_office_hours
):
    login("0912000002")
    key = str(uuid.uuid4())
    photo = jpeg().getvalue()
    url = messages_url(conversation)

    first = send_photo(client, url, "Con bị ngã ở sân trường", photo, key=key, boundary="try-1")
    again = send_photo(client, url, "Con bị ngã ở sân trường", photo, key=key, boundary="try-2")

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert count(app, Message) == 1 and count(app, StoredFile) == 1


def test_another_photo_or_text_under_the_same_key_is_refused(
    app, client, login, conversation, during_office_hours
):
    login("0912000002")
    key = str(uuid.uuid4())
    url = messages_url(conversation)
    photo, other_photo = jpeg((40, 30)).getvalue(), jpeg((41, 30)).getvalue()
    assert send_photo(client, url, "Đơn thuốc", photo, key=key, boundary="a").status_code == 201

    for text, sent in (("Đơn thuốc", other_photo), ("Đơn thuốc mới", photo)):
        refused = send_photo(client, url, text, sent, key=key, boundary="b")
        assert_error(refused, 422)
        assert "Idempotency-Key" in refused.get_json()["message"]
    assert count(app, Message) == 1 and count(app, StoredFile) == 1


def statements_of_a_send(app, client, conversation, text: str) -> int:
    """Send one message through the API; count the SQL statements the request issued."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def counted(_connection, clause, *_args) -> None:
        statements.append(str(clause))

    token = csrf_token_from(client, "/")
    event.listen(engine, "before_execute", counted)
    try:
        answer = client.post(
            messages_url(conversation),
            data={"text": text},
            content_type="multipart/form-data",
            headers={"X-CSRFToken": token, "Idempotency-Key": str(uuid.uuid4())},
        )
    finally:
        event.remove(engine, "before_execute", counted)
    assert answer.status_code == 201
    return len(statements)


def phones_of(*users) -> list[PushSubscription]:
    return [
        PushSubscription(
            user_id=user.id,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{user.id}",
            p256dh="p",
            auth="a",
        )
        for user in users
    ]


def test_a_send_costs_the_same_few_statements_however_many_take_part(
    app, client, login, make_user, world, conversation, during_office_hours
):
    saved(app, *phones_of(world.mother, world.father, world.grandma))
    login("0912000002")
    statements_of_a_send(app, client, conversation, "Chào cô")
    three_guardians = statements_of_a_send(app, client, conversation, "Dạ, con đã khỏi ốm")

    aunt = make_user(Role.GUARDIAN, world.school, phone="0912000005", name="Dì Anh")
    uncle = make_user(Role.GUARDIAN, world.school, phone="0912000006", name="Chú Anh")
    saved(
        app,
        *(
            Guardianship(
                user_id=user.id, student_id=world.anh.id, relationship_kind=Relationship.GUARDIAN
            )
            for user in (aunt, uncle)
        ),
        *phones_of(aunt, uncle),
        *(
            Participant(
                conversation_id=conversation["id"], user_id=user.id, added_by_id=world.homeroom.id
            )
            for user in (world.nurse, world.maths)
        ),
    )
    newest_before = newest_notification_id(app)
    five_guardians_and_two_staff = statements_of_a_send(app, client, conversation, "Cảm ơn cô")

    assert three_guardians <= MOST_STATEMENTS_PER_SEND
    assert five_guardians_and_two_staff == three_guardians
    assert told_after(app, newest_before) == {
        user.id
        for user in (
            world.mother,
            world.grandma,
            aunt,
            uncle,
            world.homeroom,
            world.nurse,
            world.maths,
        )
    }


def newest_notification_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(Notification.id)))


def told_after(app, notification_id: int) -> set[int]:
    """Who got an inbox row after that one."""
    with app.app_context():
        return set(
            db.session.scalars(
                select(Notification.user_id).where(Notification.id > notification_id)
            )
        )

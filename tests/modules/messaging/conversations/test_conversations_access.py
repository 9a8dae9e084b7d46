"""Who may open, write in and manage a conversation: one table per route."""

from __future__ import annotations

import pytest

from tests.modules.messaging.conversations.conftest import TUESDAY_MORNING, jpeg

SIGN_IN = {
    "mother": "0912000001",
    "neighbour": "0912000004",
    "homeroom": "hanh",
    "maths": "nam",
    "other_teacher": "lan",
    "nurse": "nurse",
    "admin": "admin",
    "other_admin": "admin2",
}


@pytest.fixture(autouse=True)
def _office_hours(time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mother", 200),
        ("neighbour", 404),
        ("homeroom", 200),
        ("maths", 404),
        ("other_teacher", 404),
        ("nurse", 404),
        ("admin", 200),
        ("other_admin", 404),
    ],
)
def test_who_may_read_a_conversation(client, login, conversation, who, status):
    login(SIGN_IN[who])
    url = f"/api/messaging/conversations/{conversation['id']}"
    assert client.get(url).status_code == status
    assert client.get(f"{url}/messages?after=0").status_code == status
    assert client.get(f"/messaging/conversations/{conversation['id']}").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mother", 201),
        ("neighbour", 404),
        ("homeroom", 201),
        ("maths", 404),
        ("nurse", 404),
        ("admin", 403),
        ("other_admin", 404),
    ],
)
def test_who_may_write_in_a_conversation(login, write, conversation, who, status):
    login(SIGN_IN[who])
    url = f"/api/messaging/conversations/{conversation['id']}/messages"
    assert write("POST", url, form={"text": "Xin chào"}).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("homeroom", 200), ("mother", 403), ("maths", 404), ("admin", 403), ("other_admin", 404)],
)
def test_only_the_homeroom_teacher_closes_a_conversation(login, write, conversation, who, status):
    login(SIGN_IN[who])
    url = f"/api/messaging/conversations/{conversation['id']}"
    assert write("PATCH", url, {"is_closed": True}).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("homeroom", 201), ("mother", 403), ("maths", 404), ("admin", 403), ("neighbour", 404)],
)
def test_only_the_homeroom_teacher_adds_staff(login, write, world, conversation, who, status):
    login(SIGN_IN[who])
    url = f"/api/messaging/conversations/{conversation['id']}/participants"
    assert write("POST", url, {"user_id": world.maths.id}).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mother", 200),
        ("homeroom", 200),
        ("neighbour", 404),
        ("maths", 403),
        ("other_teacher", 404),
        ("admin", 403),
        ("other_admin", 404),
    ],
)
def test_who_may_start_the_conversation_about_a_child(login, write, world, who, status):
    login(SIGN_IN[who])
    url = f"/api/messaging/students/{world.anh.id}/conversation"
    assert write("POST", url).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mother", 200),
        ("homeroom", 200),
        ("admin", 200),
        ("neighbour", 404),
        ("maths", 404),
        ("other_admin", 404),
    ],
)
def test_a_photo_is_served_only_to_those_who_may_read(
    app, client, login, write, conversation, who, status
):
    phone = app.test_client()
    login("0912000001", on=phone)
    url = f"/api/messaging/conversations/{conversation['id']}/messages"
    sent = write("POST", url, form={"text": "Ảnh", "photo": (jpeg(), "a.jpg")}, on=phone)
    login(SIGN_IN[who])
    answer = client.get(sent.get_json()["photo_url"])
    answer.close()
    assert answer.status_code == status
    if status == 200:
        assert answer.mimetype == "image/jpeg"
        assert "no-store" in answer.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "status"), [("homeroom", 200), ("nurse", 200), ("mother", 404), ("admin", 404)]
)
def test_only_staff_have_office_hours_and_quick_replies(client, login, write, world, who, status):
    login(SIGN_IN[who])
    assert client.get("/messaging/settings").status_code == status
    hours = write("PUT", "/api/messaging/office-hours", {"starts_at": "06:30", "ends_at": "16:00"})
    assert hours.status_code == status
    reply = write("POST", "/api/messaging/quick-replies", {"text": "Cảm ơn phụ huynh."})
    assert reply.status_code == (201 if status == 200 else 404)


def test_a_teacher_cannot_remove_another_teachers_quick_reply(app, client, login, write, world):
    phone = app.test_client()
    login("hanh", on=phone)
    saved_reply = write("POST", "/api/messaging/quick-replies", {"text": "Dạ"}, on=phone)
    login("nam")
    answer = write("DELETE", f"/api/messaging/quick-replies/{saved_reply.get_json()['id']}")
    assert answer.status_code == 404
    assert "Dạ" in phone.get("/messaging/settings").get_data(as_text=True)


def test_each_homeroom_teacher_reaches_their_own_class_conversations(
    app, client, login, write, world, conversation
):
    neighbour = app.test_client()
    login(SIGN_IN["neighbour"], on=neighbour)
    url = f"/api/messaging/students/{world.binh.id}/conversation"
    binh = write("POST", url, on=neighbour).get_json()
    sent = write(
        "POST",
        f"/api/messaging/conversations/{binh['id']}/messages",
        on=neighbour,
        form={"text": "Cô ơi, Bình quên vở ạ."},
    )
    assert sent.status_code == 201
    login(SIGN_IN["other_teacher"])
    listed = client.get("/api/messaging/conversations").get_json()
    assert [(row["id"], row["unread"]) for row in listed] == [(binh["id"], 1)]
    assert client.get(f"/api/messaging/conversations/{binh['id']}").status_code == 200
    assert client.get(f"/api/messaging/conversations/{conversation['id']}").status_code == 404

"""Conversations as families and teachers live them: messages, news, unread counts, rules."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from contactbook.core.delivery import Delivery, Notification
from contactbook.core.directory import ClosedDay, User
from contactbook.core.platform import AuditEntry
from contactbook.extensions import db
from contactbook.modules.messaging.models import Message, StoredFile
from contactbook.modules.messaging.services.conversation_messages import messages_after
from tests.conftest import assert_error, saved
from tests.modules.messaging.conversations.conftest import SUNDAY_EVENING, TUESDAY_MORNING, jpeg
from tests.modules.messaging.conversations.test_uploads import png_bomb


@pytest.fixture
def during_office_hours(time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)


def messages_url(conversation) -> str:
    return f"/api/messaging/conversations/{conversation['id']}/messages"


def told(app, event="messaging.message_received") -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(select(Notification.user_id).where(Notification.event == event))
        )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_parents_message_reaches_the_teacher_and_the_other_guardians(
    app, client, login, write, world, conversation, during_office_hours
):
    login("0912000001")
    sent = write("POST", messages_url(conversation), form={"text": "Cháu bị sốt, xin cô cho nghỉ."})
    assert sent.status_code == 201
    assert told(app) == {world.homeroom.id, world.father.id, world.grandma.id}

    teacher = app.test_client()
    login("hanh", on=teacher)
    index = teacher.get("/messaging/").get_data(as_text=True)
    menu_badge = re.compile(r'href="/messaging/"[^>]*>(?:(?!</a>).)*?class="badge">1<', re.S)
    assert menu_badge.search(index)
    assert re.search(
        r"conversation-link[^>]*>\s*<span>Nguyễn Thị Minh Anh.*?>1</span>", index, re.S
    )
    page = teacher.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert "Cháu bị sốt, xin cô cho nghỉ." in page
    assert not menu_badge.search(teacher.get("/messaging/").get_data(as_text=True))


def test_the_teachers_answer_appears_on_the_open_page_without_a_reload(
    app, client, login, write, world, conversation, during_office_hours
):
    login("0912000001")
    first = client.get(f"{messages_url(conversation)}?after=0")
    etag = first.headers["ETag"]
    nothing_new = client.get(
        f"{messages_url(conversation)}?after=0", headers={"If-None-Match": etag}
    )
    assert nothing_new.status_code == 304

    teacher = app.test_client()
    login("hanh", on=teacher)
    write(
        "POST",
        messages_url(conversation),
        form={"text": "Cô đã nhận, chúc cháu mau khỏe."},
        on=teacher,
    )

    news = client.get(f"{messages_url(conversation)}?after=0", headers={"If-None-Match": etag})
    assert news.status_code == 200
    [answer] = news.get_json()["messages"]
    assert answer["body"] == "Cô đã nhận, chúc cháu mau khỏe."
    assert answer["sender_name"] == "Cô Hạnh"
    assert not answer["is_mine"]


def test_asking_for_news_costs_at_most_two_statements(
    app, login, write, world, conversation, during_office_hours
):
    login("0912000001")
    write("POST", messages_url(conversation), form={"text": "Một"})
    statements: list[str] = []
    with app.app_context():
        mother = db.session.get(User, world.mother.id)
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            nothing = messages_after(mother, conversation["id"], after=10_000)
            assert len(statements) == 1 and nothing.messages == []
            news = messages_after(mother, conversation["id"], after=0)
            assert [m.body for m in news.messages] == ["Một"]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFC", "Con xin phép nghỉ học"),
        unicodedata.normalize("NFD", "Con xin phép nghỉ học"),
        "Cảm ơn cô 🙏🏻👨‍👩‍👧",
        "<script>alert('x')</script> & <b>",
        "x" * 4000,
    ],
    ids=["nfc", "nfd", "emoji", "html", "longest"],
)
def test_text_is_stored_as_sent_and_shown_escaped(
    app, client, login, write, conversation, during_office_hours, text
):
    login("0912000001")
    assert write("POST", messages_url(conversation), form={"text": text}).status_code == 201
    with app.app_context():
        assert db.session.scalar(select(Message.body)) == text
    page = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert "<script>alert" not in page
    if text.startswith("<script>"):
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    else:
        assert text in page


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "Ảnh", "photo": (io.BytesIO(b"MZ not a photo" * 50), "photo.jpg")}, "photo"),
        ({"text": "Ảnh", "photo": (io.BytesIO(b"\xff\xd8" + b"\0" * 210_000), "big.jpg")}, "photo"),
        ({"text": "Ảnh", "photo": (io.BytesIO(png_bomb(5000, 5000)), "bomb.png")}, "photo"),
    ],
    ids=["empty", "blank", "too-long", "not-an-image", "oversized", "image-bomb"],
)
def test_bad_messages_are_refused_and_nothing_is_stored(
    app, login, write, conversation, during_office_hours, form, field
):
    login("0912000001")
    errors = assert_error(write("POST", messages_url(conversation), form=form), 422)
    assert field in errors
    assert count(app, Message) == 0 and count(app, StoredFile) == 0
    assert told(app) == set()
    folder = Path(app.config["MESSAGING_UPLOAD_FOLDER"])
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_a_photo_is_re_encoded_and_shown_to_the_teacher(
    app, login, write, conversation, during_office_hours
):
    login("0912000001")
    sent = write(
        "POST",
        messages_url(conversation),
        form={"text": "Vết thương", "photo": (jpeg((2000, 1500)), "IMG.JPG")},
    )
    teacher = app.test_client()
    login("hanh", on=teacher)
    answer = teacher.get(sent.get_json()["photo_url"])
    from PIL import Image

    with Image.open(io.BytesIO(answer.data)) as shown:
        assert shown.size == (1600, 1200)
    answer.close()


def test_nobody_sees_a_guardians_or_teachers_phone_number(
    app, client, login, write, world, conversation, during_office_hours
):
    for phone_user, text in (("0912000002", "Bố đây"), ("hanh", "Cô đây")):
        other = app.test_client()
        login(phone_user, on=other)
        write("POST", messages_url(conversation), form={"text": text}, on=other)
    login("0912000001")
    seen = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    seen += client.get(f"/api/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert "Bố Anh" in seen and "Cô Hạnh" in seen
    for number in ("0912000002", "912000002", "0912000003", "912000003"):
        assert number not in seen


def test_a_message_out_of_office_hours_waits_until_monday_seven(
    app, client, login, write, world, conversation, time_machine
):
    with app.app_context():
        db.session.get(User, world.homeroom.id).email = "hanh@example.invalid"
        db.session.get(User, world.father.id).email = "bo@example.invalid"
        db.session.commit()
    time_machine.move_to(SUNDAY_EVENING, tick=False)
    login("0912000001")
    page = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert "07:00" in page and "16/11/2026" in page
    write("POST", messages_url(conversation), form={"text": "Tối nay cháu sốt"})
    with app.app_context():
        due = dict(
            db.session.execute(
                select(Notification.user_id, Delivery.next_attempt_at).join(Delivery.notification)
            ).all()
        )
    assert due[world.homeroom.id] == datetime(2026, 11, 16, 0, 0, tzinfo=UTC)  # 07:00 in Hà Nội
    assert due[world.father.id] == SUNDAY_EVENING.astimezone(UTC)


def test_a_closed_day_and_own_office_hours_move_the_notice(
    app, client, login, write, world, conversation, time_machine
):
    saved(app, ClosedDay(school_id=world.school.id, day=date(2026, 11, 16), reason="Bão"))
    teacher = app.test_client()
    login("hanh", on=teacher)
    write(
        "PUT", "/api/messaging/office-hours", {"starts_at": "06:30", "ends_at": "11:00"}, on=teacher
    )
    time_machine.move_to(SUNDAY_EVENING, tick=False)
    login("0912000001")
    page = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert "06:30" in page and "17/11/2026" in page


def test_a_closed_conversation_takes_no_messages_until_reopened(
    app, client, login, write, conversation, during_office_hours
):
    teacher = app.test_client()
    login("hanh", on=teacher)
    url = f"/api/messaging/conversations/{conversation['id']}"
    assert write("PATCH", url, {"is_closed": True}, on=teacher).get_json()["is_closed"]
    login("0912000001")
    errors = assert_error(write("POST", messages_url(conversation), form={"text": "Cô ơi"}), 422)
    assert "đã đóng" in errors["text"][0]
    page = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert 'id="message-form"' not in page
    write("PATCH", url, {"is_closed": False}, on=teacher)
    assert write("POST", messages_url(conversation), form={"text": "Cô ơi"}).status_code == 201


def test_each_admin_read_is_in_the_audit_log(app, client, login, conversation, during_office_hours):
    login("admin")
    client.get(f"/api/messaging/conversations/{conversation['id']}")
    client.get(f"/messaging/conversations/{conversation['id']}")
    with app.app_context():
        reads = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "messaging.conversation_read")
        ).all()
    assert len(reads) == 2 and {r.object_id for r in reads} == {str(conversation["id"])}


def test_an_added_subject_teacher_reads_writes_and_is_told(
    app, client, login, write, world, conversation, during_office_hours
):
    teacher = app.test_client()
    login("hanh", on=teacher)
    url = f"/api/messaging/conversations/{conversation['id']}/participants"
    assert write("POST", url, {"user_id": world.other_teacher.id}, on=teacher).status_code == 422
    assert write("POST", url, {"user_id": world.maths.id}, on=teacher).status_code == 201
    login("0912000001")
    write("POST", messages_url(conversation), form={"text": "Về bài kiểm tra Toán"})
    assert world.maths.id in told(app)
    maths = app.test_client()
    login("nam", on=maths)
    assert (
        write(
            "POST", messages_url(conversation), form={"text": "Thầy đã xem"}, on=maths
        ).status_code
        == 201
    )


def test_quick_replies_are_offered_to_the_teacher(
    app, client, login, write, conversation, during_office_hours
):
    login("hanh")
    write("POST", "/api/messaging/quick-replies", {"text": "Cô đã nhận được tin nhắn."})
    page = client.get(f"/messaging/conversations/{conversation['id']}").get_data(as_text=True)
    assert 'data-text="Cô đã nhận được tin nhắn."' in page

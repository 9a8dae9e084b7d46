"""The daily summary tells families of the day's announcements and messages they have not read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.core.directory import School
from contactbook.extensions import db
from contactbook.modules.classbook.models import DailySummary
from contactbook.modules.classbook.services.summaries import build_school_day
from tests.conftest import csrf_token_from
from tests.modules.messaging.school_world import TODAY

pytestmark = pytest.mark.usefixtures("wednesday_morning")


def test_unread_announcements_of_the_day_are_in_the_summary(app, client, login, send, world):
    login(world.homeroom.phone)
    form = {"audience": "class", "classroom_id": world.room.id, "title": "Họp", "body": "8 giờ"}
    posted = send("/api/messaging/announcements", form).get_json()["id"]
    reader = app.test_client()
    login(world.second_parent.phone, on=reader)
    headers = {"X-CSRFToken": csrf_token_from(reader, "/")}
    assert reader.post(f"/api/messaging/announcements/{posted}/read", headers=headers)

    with app.app_context():
        build_school_day(db.session.get(School, world.school.id), TODAY)
        summaries = {row.guardian_id: row for row in db.session.scalars(select(DailySummary))}
    # Only the family with something unread (and no other news) gets a summary.
    assert set(summaries) == {world.parent.id}
    family = app.test_client()
    login(world.parent.phone, on=family)
    page = family.get(f"/classbook/summaries/{summaries[world.parent.id].id}")
    assert "Từ nhà trường: 1 thông báo chưa đọc" in page.get_data(as_text=True)


def summaries_of_today(app, world) -> dict[int, int]:
    """Guardian id -> id of the daily summary built for them today."""
    with app.app_context():
        build_school_day(db.session.get(School, world.school.id), TODAY)
        return {row.guardian_id: row.id for row in db.session.scalars(select(DailySummary))}


def test_unread_messages_about_ones_own_child_are_in_the_summary(app, login, send, world):
    phones = {}
    for who in ("parent", "homeroom", "other_parent", "other_homeroom"):
        phones[who] = app.test_client()
        login(getattr(world, who).phone, on=phones[who])

    def write(who: str, conversation: int, text: str) -> None:
        url = f"/api/messaging/conversations/{conversation}/messages"
        assert send(url, {"text": text}, on=phones[who]).status_code == 201

    ours, theirs = (
        send(f"/api/messaging/students/{child.id}/conversation", on=phones[who]).get_json()["id"]
        for who, child in (("parent", world.child), ("other_parent", world.other_child))
    )
    write("parent", ours, "Cháu hôm nay hơi mệt ạ.")
    write("homeroom", ours, "Cô đã biết, cảm ơn chị.")
    assert phones["parent"].get(f"/messaging/conversations/{ours}").status_code == 200
    write("homeroom", ours, "Chiều nay cháu đã khỏe hơn.")
    for text in ("Một", "Hai", "Ba"):
        write("other_parent", theirs, text)
    write("other_homeroom", theirs, "Cô nhận được rồi.")
    write("other_homeroom", theirs, "Hẹn gặp chị thứ Bảy.")

    summaries = summaries_of_today(app, world)
    # Only what the family has not read yet, about their own child: the reply read at once
    # and another family's conversation do not count; classmates' families get nothing.
    assert set(summaries) == {world.parent.id, world.other_parent.id}
    mine = phones["parent"].get(f"/classbook/summaries/{summaries[world.parent.id]}")
    assert "Từ nhà trường: 1 tin nhắn chưa đọc" in mine.get_data(as_text=True)
    other = phones["other_parent"].get(f"/classbook/summaries/{summaries[world.other_parent.id]}")
    assert "Từ nhà trường: 2 tin nhắn chưa đọc" in other.get_data(as_text=True)

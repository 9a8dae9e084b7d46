"""The daily summary tells families of the day's announcements they have not opened."""

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

"""Announcements: who may post where, what families see and are told, the sender's counts."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from sqlalchemy import select

from contactbook.core.delivery.models import Notification
from contactbook.extensions import db
from contactbook.modules.messaging.models import Announcement, AnnouncementReceipt
from contactbook.modules.messaging.services.announcement_jobs import (
    send_acknowledgement_reminders,
)
from tests.conftest import assert_error, csrf_token_from
from tests.modules.messaging.school_world import ZONE, count

pytestmark = pytest.mark.usefixtures("wednesday_morning")

URL = "/api/messaging/announcements"
MEETING = {"title": "Họp phụ huynh", "body": "Thứ Bảy 21/11, 8 giờ, phòng 6A."}


def to_class(world, room=None, **more):
    return {**MEETING, "audience": "class", "classroom_id": (room or world.room).id, **more}


def to_school(world, **more):
    return {**MEETING, "audience": "school", "school_id": world.school.id, **more}


def told(app, event="messaging.announcement_posted") -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(select(Notification.user_id).where(Notification.event == event))
        )


def test_a_teacher_posts_to_their_class_and_its_families_are_told(app, login, send, world):
    login(world.subject_teacher.phone)
    response = send(URL, to_class(world))
    assert response.status_code == 201
    assert told(app) == {world.parent.id, world.second_parent.id}
    assert count(app, AnnouncementReceipt) == 2


def test_an_admin_posts_to_the_school_or_to_grade_levels(app, login, send, world):
    login(world.admin.phone)
    assert send(URL, to_school(world)).status_code == 201
    everyone = {world.parent.id, world.second_parent.id, world.other_parent.id}
    assert told(app) == everyone | {world.seventh_parent.id}
    grade_7 = {**to_school(world), "audience": "grades", "grade_levels": ["7"]}
    posted = send(URL, grade_7).get_json()
    with app.app_context():
        reached = set(
            db.session.scalars(
                select(AnnouncementReceipt.guardian_id).where(
                    AnnouncementReceipt.announcement_id == posted["id"]
                )
            )
        )
    assert reached == {world.seventh_parent.id}


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("homeroom", "class", 201),
        ("subject_teacher", "class", 201),
        ("other_homeroom", "class", 404),
        ("homeroom", "school", 403),
        ("admin", "school", 201),
        ("admin", "class", 201),
        ("parent", "school", 403),
        ("parent", "class", 404),
        ("outsider_admin", "school", 404),
        ("outsider_teacher", "class", 404),
    ],
)
def test_who_may_post_where(app, login, send, world, who, target, status):
    login(getattr(world, who).phone)
    form = to_class(world) if target == "class" else to_school(world)
    assert send(URL, form).status_code == status
    assert count(app, Announcement) == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "x" * 4001}, "body"),
        ({"audience": "district"}, "audience"),
        ({"audience": "grades"}, "grade_levels"),
        ({"deadline": "2026-11-17"}, "deadline"),
        ({"needs_acknowledgement": "true"}, "deadline"),
        ({"grade_levels": ["13"], "audience": "grades"}, "grade_levels.0"),
    ],
)
def test_bad_announcements_store_nothing(app, login, send, world, change, field):
    login(world.admin.phone)
    errors = assert_error(send(URL, {**to_school(world), **change}), 422)
    assert field in errors
    assert count(app, Announcement) == 0
    assert count(app, Notification) == 0


@pytest.fixture
def posted(app, login, send, world):
    """A class announcement that needs acknowledging by Friday; the teacher stays signed in."""
    login(world.homeroom.phone)
    form = to_class(world, deadline="2026-11-20", needs_acknowledgement="true")
    return send(URL, form).get_json()["id"]


def family(app, login, user):
    other = app.test_client()
    login(user.phone, on=other)
    return other


def test_families_read_and_acknowledge_and_the_sender_sees_counts(
    app, client, login, send, world, posted
):
    mai = family(app, login, world.parent)
    assert [row["id"] for row in mai.get(URL).get_json()] == [posted]
    assert mai.post(f"{URL}/{posted}/read", headers=csrf(mai)).status_code == 200
    acknowledged = send(f"{URL}/{posted}/acknowledgement", {}, on=mai)
    assert acknowledged.status_code == 200
    assert acknowledged.get_json()["acknowledged_at"]
    dung = family(app, login, world.second_parent)
    assert dung.post(f"{URL}/{posted}/read", headers=csrf(dung)).status_code == 200

    status = client.get(f"{URL}/{posted}/receipts").get_json()
    assert (status["total"], status["read"], status["acknowledged"]) == (2, 2, 1)
    by_name = {row["guardian_name"]: row for row in status["families"]}
    assert by_name["Chị Mai"]["children"] == "Ngọc"
    assert by_name["Anh Dũng"]["acknowledged_at"] is None
    page = client.get(f"/messaging/announcements/{posted}").get_data(as_text=True)
    assert "Đã đọc: 2/2 · Đã xác nhận: 1/2" in page


def csrf(target) -> dict:
    return {"X-CSRFToken": csrf_token_from(target, "/")}


@pytest.mark.parametrize(
    ("who", "announcement", "receipts"),
    [
        ("homeroom", 200, 200),
        ("subject_teacher", 200, 200),
        ("admin", 200, 200),
        ("parent", 200, 403),
        ("other_parent", 404, 404),
        ("other_homeroom", 404, 404),
        ("outsider_admin", 404, 404),
    ],
)
def test_families_never_see_each_others_status(
    app, login, world, posted, who, announcement, receipts
):
    reader = family(app, login, getattr(world, who))
    assert reader.get(f"{URL}/{posted}").status_code == announcement
    assert reader.get(f"/messaging/announcements/{posted}").status_code == announcement
    assert reader.get(f"{URL}/{posted}/receipts").status_code == receipts
    if who == "parent":
        page = reader.get(f"/messaging/announcements/{posted}").get_data(as_text=True)
        assert "Anh Dũng" not in page


def test_only_families_in_the_audience_acknowledge(app, login, send, world, posted):
    other = family(app, login, world.other_parent)
    assert send(f"{URL}/{posted}/acknowledgement", {}, on=other).status_code == 404
    teacher = family(app, login, world.subject_teacher)
    assert send(f"{URL}/{posted}/acknowledgement", {}, on=teacher).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(AnnouncementReceipt.acknowledged_at)).all() == [
            None,
            None,
        ]


def test_the_audience_is_fixed_when_posted(app, login, world, posted, make_student):
    make_student(world.room, world.school, "Đỗ An Nhiên", guardians=(world.other_parent,))
    latecomer = family(app, login, world.other_parent)
    assert latecomer.get(f"{URL}/{posted}").status_code == 404


def test_text_is_kept_as_sent_and_shown_escaped(app, client, login, send, world):
    title = unicodedata.normalize("NFD", "<b>Họp</b> phụ huynh 🎉")
    body = "Mang theo <script>alert(1)</script> sổ liên lạc"
    login(world.homeroom.phone)
    posted = send(URL, to_class(world, title=title, body=body)).get_json()["id"]
    with app.app_context():
        stored = db.session.get(Announcement, posted)
        assert (stored.title, stored.body) == (title, body)
    mai = family(app, login, world.parent)
    page = mai.get(f"/messaging/announcements/{posted}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Họp&lt;/b&gt;".replace("Họp", unicodedata.normalize("NFD", "Họp")) in page
    inbox = mai.get("/inbox").get_data(as_text=True)
    assert "<b>" not in inbox and "&lt;b&gt;" in inbox


def at(hour: int, day: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=ZONE)


def test_families_who_have_not_acknowledged_are_reminded_once_the_day_before(
    app, login, send, world, posted
):
    mai = family(app, login, world.parent)
    assert send(f"{URL}/{posted}/acknowledgement", {}, on=mai).status_code == 200
    with app.app_context():
        assert send_acknowledgement_reminders(at(8, 18)) == 0  # two days before
        assert send_acknowledgement_reminders(at(6, 19)) == 0  # too early in the morning
        assert send_acknowledgement_reminders(at(8, 19)) == 1
        assert send_acknowledgement_reminders(at(9, 19)) == 0
    assert told(app, "messaging.acknowledgement_reminder") == {world.second_parent.id}

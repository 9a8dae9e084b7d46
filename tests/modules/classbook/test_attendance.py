"""Roll call through the API: whole class at once, edits not duplicates, rules and access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from contactbook.core.delivery.models import Notification
from contactbook.core.directory.models import Term
from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark
from tests.modules.classbook.conftest import BEFORE_TERM, SCHOOL_DAY, SUNDAY, count_rows


def url(world) -> str:
    return f"/api/classbook/classes/{world.room.id}/attendance"


def roll_call(world, day=SCHOOL_DAY, **statuses) -> dict:
    """The payload for a day: the pupils named by index get the given status."""
    marks = [
        {"student_id": world.pupils[int(index)].id, "status": status, "note": ""}
        for index, status in ((key.removeprefix("p"), value) for key, value in statuses.items())
    ]
    return {"day": day.isoformat(), "session": "morning", "marks": marks}


def inbox_of(app, user) -> list[Notification]:
    with app.app_context():
        return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def test_homeroom_teacher_marks_the_whole_class_in_one_request(app, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    response = write("PUT", url(world), roll_call(world, p0="unexcused", p1="late"))
    assert response.status_code == 200
    marks = {mark["student_name"]: mark["status"] for mark in response.get_json()["marks"]}
    assert marks == {
        "Trần Minh Anh": "late",
        "Nguyễn Bảo Ngọc": "unexcused",
        "Lê Văn Đạt": "present",
    }
    assert list(marks) == ["Trần Minh Anh", "Lê Văn Đạt", "Nguyễn Bảo Ngọc"]
    assert count_rows(app, AttendanceMark) == 3

    absence = inbox_of(app, world.parent)
    assert [(n.event, n.urgency) for n in absence] == [("classbook.absence_recorded", "high")]
    assert [n.event for n in inbox_of(app, world.other_parent)] == ["classbook.late_recorded"]


def test_saving_again_edits_the_same_day(app, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    write("PUT", url(world), roll_call(world, p0="unexcused"))
    again = write("PUT", url(world), roll_call(world, p0="excused"))
    assert again.status_code == 200
    assert count_rows(app, AttendanceMark) == 3
    with app.app_context():
        mark = db.session.scalar(
            select(AttendanceMark).where(AttendanceMark.student_id == world.child.id)
        )
        assert mark.status == "excused"
        history = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == str(mark.id))
        ).all()
    assert [(e.before, e.after) for e in history][-1] == (
        {"status": "unexcused", "note": ""},
        {"status": "excused", "note": ""},
    )
    assert len(inbox_of(app, world.parent)) == 2
    write("PUT", url(world), roll_call(world, p0="excused"))
    assert len(inbox_of(app, world.parent)) == 2, "an unchanged mark tells nobody again"


def test_reading_the_sheet_shows_saved_marks(client, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    sheet = client.get(f"{url(world)}?day={SCHOOL_DAY}&session=morning").get_json()
    assert sheet["is_saved"] is False
    assert {mark["status"] for mark in sheet["marks"]} == {"present"}
    write("PUT", url(world), roll_call(world, p2="late"))
    sheet = client.get(f"{url(world)}?day={SCHOOL_DAY}&session=morning").get_json()
    assert sheet["is_saved"] is True
    assert [m["status"] for m in sheet["marks"]] == ["present", "late", "present"]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (SUNDAY, "Không có tiết học vào ngày này trong tuần."),
        (BEFORE_TERM, "Ngày này nằm ngoài các học kì của năm học."),
    ],
)
def test_days_without_lessons_are_refused(app, login, write, school_class, day, message):
    login(school_class.homeroom.phone)
    response = write("PUT", url(school_class), roll_call(school_class, day=day, p0="late"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"day": [message]}
    assert count_rows(app, AttendanceMark) == 0


def test_future_days_are_refused(app, login, write, school_class):
    login(school_class.homeroom.phone)
    later = date.today() + timedelta(days=40)
    response = write("PUT", url(school_class), roll_call(school_class, day=later))
    assert response.status_code == 422
    assert "day" in response.get_json()["errors"]


def test_closed_term_is_read_only(app, login, write, school_class):
    with app.app_context():
        for term in db.session.scalars(select(Term)):
            term.is_closed = True
        db.session.commit()
    login(school_class.homeroom.phone)
    response = write("PUT", url(school_class), roll_call(school_class, p0="late"))
    assert response.status_code == 422
    assert count_rows(app, AttendanceMark) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"day": "2026-11-16", "session": "evening", "marks": []}, "session"),
        ({"day": "16/11/2026", "session": "morning", "marks": []}, "day"),
        (
            {
                "day": "2026-11-16",
                "session": "morning",
                "marks": [{"student_id": 1, "status": "maybe"}],
            },
            "marks",
        ),
        ({"session": "morning", "marks": []}, "day"),
    ],
)
def test_malformed_bodies_get_field_errors(app, login, write, school_class, payload, field):
    login(school_class.homeroom.phone)
    response = write("PUT", url(school_class), payload)
    assert response.status_code == 422
    assert {key.split(".")[0] for key in response.get_json()["errors"]} == {field}
    assert count_rows(app, AttendanceMark) == 0


def test_a_student_of_another_class_is_refused_and_nothing_is_written(
    app, login, write, school_class, make_student
):
    stranger = make_student(school_class.other_room, school_class.school, "Phạm Thu Hà")
    payload = roll_call(school_class, p0="late")
    payload["marks"].append({"student_id": stranger.id, "status": "late", "note": ""})
    login(school_class.homeroom.phone)
    response = write("PUT", url(school_class), payload)
    assert response.status_code == 422
    assert count_rows(app, AttendanceMark) == 0
    assert count_rows(app, Notification) == 0


@pytest.mark.parametrize(
    ("who", "read", "save"),
    [
        ("homeroom", 200, 200),
        ("maths_teacher", 200, 200),
        ("nurse", 200, 403),
        ("admin", 200, 403),
        ("parent", 404, 404),
        ("outsider_teacher", 404, 404),
    ],
)
def test_who_may_read_and_take_roll_call(client, login, write, school_class, who, read, save):
    login(getattr(school_class, who).phone)
    assert client.get(f"{url(school_class)}?day={SCHOOL_DAY}&session=morning").status_code == read
    assert write("PUT", url(school_class), roll_call(school_class, p0="late")).status_code == save


def test_signed_out_api_calls_get_401_json(client, school_class):
    response = client.get(f"{url(school_class)}?day={SCHOOL_DAY}&session=morning")
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_a_replayed_key_returns_the_first_answer_and_writes_nothing(
    app, login, write, school_class
):
    login(school_class.homeroom.phone)
    payload = roll_call(school_class, p0="unexcused")
    first = write("PUT", url(school_class), payload, key="retry-1")
    audit_rows = count_rows(app, AuditEntry)
    replay = write("PUT", url(school_class), payload, key="retry-1")
    assert replay.status_code == first.status_code == 200
    assert replay.get_json() == first.get_json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count_rows(app, AuditEntry) == audit_rows
    assert count_rows(app, Notification) == 1

    reused = write("PUT", url(school_class), roll_call(school_class, p0="late"), key="retry-1")
    assert reused.status_code == 422
    assert count_rows(app, AttendanceMark) == 3

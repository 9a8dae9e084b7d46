"""Leave requests: a family asks, the homeroom teacher answers, the roll call follows."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from contactbook.core.delivery.models import Notification
from contactbook.core.platform import AuditEntry
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, AttendanceStatus, DaySession
from contactbook.modules.classbook.services.attendance_report import attendance_summary
from contactbook.modules.messaging.models import LeaveRequest, LeaveStatus
from tests.conftest import assert_error, csrf_token_from
from tests.modules.messaging.school_world import TODAY, count

pytestmark = pytest.mark.usefixtures("wednesday_morning")

SICK = {"starts_on": "2026-11-18", "ends_on": "2026-11-19", "reason": "Cháu bị sốt"}


def ask_url(student) -> str:
    return f"/api/messaging/students/{student.id}/leave-requests"


@pytest.fixture
def ask(login, send, world):
    """Send leave requests as the child's parent, signed in on the test's own client."""
    login(world.parent.phone)

    def post(form=SICK, student=None):
        return send(ask_url(student or world.child), form)

    return post


def events_of(app, user) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification.event)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        )


def test_a_parent_asks_and_the_homeroom_teacher_is_told(ask, app, login, send, world):
    response = ask()
    assert response.status_code == 201
    answer = response.get_json()
    assert (answer["status"], answer["day_part"], answer["reason"]) == (
        "pending",
        "whole_day",
        "Cháu bị sốt",
    )
    assert events_of(app, world.homeroom) == ["messaging.leave_requested"]
    assert events_of(app, world.subject_teacher) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        # Wednesday 18/11: Friday 13/11 is four school days back (Fri, Sat, Mon, Tue).
        ({"starts_on": "2026-11-13", "ends_on": "2026-11-13"}, "13/11/2026"),
        ({"starts_on": "2027-05-31", "ends_on": "2027-06-01"}, "01/06/2027"),
        ({"starts_on": "2026-11-22", "ends_on": "2026-11-22"}, ""),  # a Sunday
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-19"}, ""),
    ],
)
def test_requests_too_far_back_outside_a_term_or_without_school_days_are_refused(
    ask, app, login, send, world, form, message
):
    response = ask({**SICK, **form})
    errors = assert_error(response, 422)
    assert message in " ".join(errors.get("starts_on", []) + errors.get("ends_on", []))
    assert count(app, LeaveRequest) == 0


def test_three_school_days_back_is_still_accepted(ask, app, login, send, world):
    # Saturday 14/11, Monday 16/11 and Tuesday 17/11 are three school days before Wednesday.
    form = {**SICK, "starts_on": "2026-11-14", "ends_on": "2026-11-17"}
    assert ask(form).status_code == 201


def test_a_request_overlapping_an_earlier_one_says_which(ask, app, login, send, world):
    assert ask().status_code == 201
    morning = {**SICK, "starts_on": "2026-11-19", "ends_on": "2026-11-20", "day_part": "morning"}
    errors = assert_error(ask(morning), 422)
    assert "18/11/2026–19/11/2026" in errors["starts_on"][0]
    # Another afternoon does not overlap an earlier morning.
    first = {**SICK, "starts_on": "2026-11-21", "ends_on": "2026-11-21", "day_part": "morning"}
    second = {**first, "day_part": "afternoon"}
    assert ask(first).status_code == 201
    assert ask(second).status_code == 201
    assert count(app, LeaveRequest) == 3


def test_a_declined_request_no_longer_blocks_a_new_one(ask, app, client, login, send, world):
    leave_id = ask().get_json()["id"]
    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    decision = {"decision": "decline", "comment": "Xin gửi giấy khám"}
    url = f"/api/messaging/leave-requests/{leave_id}/decision"
    assert send(url, json=decision, on=teacher).status_code == 200
    assert send(ask_url(world.child), SICK).status_code == 201


@pytest.mark.parametrize(
    ("who", "student", "status"),
    [
        ("parent", "child", 201),
        ("parent", "classmate", 404),
        ("second_parent", "child", 404),
        ("homeroom", "child", 403),
        ("admin", "child", 403),
        ("outsider_parent", "child", 404),
        ("outsider_teacher", "child", 404),
    ],
)
def test_who_may_ask_leave(app, login, send, world, who, student, status):
    login(getattr(world, who).phone)
    response = send(ask_url(getattr(world, student)), SICK)
    assert response.status_code == status
    assert count(app, LeaveRequest) == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("homeroom", 200),
        ("subject_teacher", 403),
        ("admin", 403),
        ("parent", 403),
        ("second_parent", 404),
        ("other_homeroom", 404),
        ("outsider_teacher", 404),
    ],
)
def test_who_may_answer(ask, app, login, send, world, who, status):
    leave_id = ask().get_json()["id"]
    other = app.test_client()
    login(getattr(world, who).phone, on=other)
    url = f"/api/messaging/leave-requests/{leave_id}/decision"
    response = send(url, json={"decision": "approve"}, on=other)
    assert response.status_code == status
    with app.app_context():
        expected = LeaveStatus.APPROVED if status == 200 else LeaveStatus.PENDING
        assert db.session.get(LeaveRequest, leave_id).status is expected


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("parent", 200),
        ("homeroom", 200),
        ("subject_teacher", 200),
        ("admin", 200),
        ("second_parent", 404),
        ("other_homeroom", 404),
        ("outsider_admin", 404),
    ],
)
def test_who_may_read_a_request(ask, app, login, send, world, who, status):
    leave_id = ask().get_json()["id"]
    other = app.test_client()
    login(getattr(world, who).phone, on=other)
    assert other.get(f"/api/messaging/leave-requests/{leave_id}").status_code == status
    assert other.get(f"/messaging/leave/{leave_id}").status_code == status
    listed = other.get("/api/messaging/leave-requests").get_json()
    assert [row["id"] for row in listed] == ([leave_id] if status == 200 else [])


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"reason": "   "},
        {"reason": "x" * 1001},
        {"day_part": "evening"},
        {"starts_on": "18/11/2026"},
        {"ends_on": ""},
    ],
)
def test_bad_requests_store_nothing(ask, app, login, send, world, change):
    assert_error(ask({**SICK, **change}), 422)
    assert count(app, LeaveRequest) == 0


def test_text_is_kept_as_sent_and_shown_escaped(ask, app, client, login, send, world):
    reason = unicodedata.normalize("NFD", "Cháu ốm <script>alert(1)</script> 🤒")
    leave_id = ask({**SICK, "reason": reason}).get_json()["id"]
    with app.app_context():
        assert db.session.get(LeaveRequest, leave_id).reason == reason
    page = client.get(f"/messaging/leave/{leave_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🤒" in page


def roll_call(client, world, session="morning"):
    url = f"/api/classbook/classes/{world.room.id}/attendance"
    return client.get(f"{url}?day={TODAY.isoformat()}&session={session}").get_json()


def test_approved_leave_fills_the_roll_call_and_the_family_is_told(ask, app, login, send, world):
    form = {**SICK, "day_part": "morning", "ends_on": "2026-11-18"}
    leave_id = ask(form).get_json()["id"]
    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    before = {m["student_id"]: m for m in roll_call(teacher, world)["marks"]}
    assert before[world.child.id]["status"] == "present"

    url = f"/api/messaging/leave-requests/{leave_id}/decision"
    assert send(url, json={"decision": "approve", "comment": "Chúc cháu mau khỏe"}, on=teacher)
    morning = {m["student_id"]: m for m in roll_call(teacher, world)["marks"]}
    assert morning[world.child.id]["status"] == "excused"
    assert morning[world.child.id]["leave_reason"] == "Cháu bị sốt"
    assert morning[world.classmate.id]["status"] == "present"
    afternoon = {m["student_id"]: m for m in roll_call(teacher, world, "afternoon")["marks"]}
    assert afternoon[world.child.id]["status"] == "present"
    page = teacher.get(f"/classbook/classes/{world.room.id}/attendance?day={TODAY}")
    assert "Cháu bị sốt" in page.get_data(as_text=True)
    assert events_of(app, world.parent) == ["messaging.leave_decided"]


def test_approving_after_a_k_turns_it_into_p_audited_and_still_counted(
    ask, app, login, send, world
):
    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    marks = [{"student_id": world.child.id, "status": "unexcused"}]
    roll = {"day": TODAY.isoformat(), "session": "morning", "marks": marks}
    headers_url = f"/api/classbook/classes/{world.room.id}/attendance"
    saved = teacher.put(
        headers_url,
        json=roll,
        headers={"X-CSRFToken": csrf_token_from(teacher, "/"), "Idempotency-Key": "roll-1"},
    )
    assert saved.status_code == 200
    with app.app_context():
        student = db.session.get(type(world.child), world.child.id)
        counted = attendance_summary(student, student.current_classroom, TODAY).absent_days

    leave_id = ask().get_json()["id"]
    url = f"/api/messaging/leave-requests/{leave_id}/decision"
    assert send(url, json={"decision": "approve"}, on=teacher).status_code == 200

    with app.app_context():
        mark = db.session.scalar(
            select(AttendanceMark).where(
                AttendanceMark.student_id == world.child.id,
                AttendanceMark.session == DaySession.MORNING,
            )
        )
        assert mark.status is AttendanceStatus.EXCUSED
        trail = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "AttendanceMark", AuditEntry.object_id == str(mark.id))
            .order_by(AuditEntry.id)
        ).all()
        assert [
            (e.actor_id, e.before and e.before["status"], e.after["status"]) for e in trail
        ] == [
            (world.homeroom.id, None, "unexcused"),
            (world.homeroom.id, "unexcused", "excused"),
        ]
        student = db.session.get(type(world.child), world.child.id)
        after = attendance_summary(student, student.current_classroom, TODAY).absent_days
    assert after == counted == 1


def test_a_request_is_answered_once(ask, app, login, send, world):
    leave_id = ask().get_json()["id"]
    teacher = app.test_client()
    login(world.homeroom.phone, on=teacher)
    url = f"/api/messaging/leave-requests/{leave_id}/decision"
    assert send(url, json={"decision": "approve"}, on=teacher).status_code == 200
    assert_error(send(url, json={"decision": "decline"}, on=teacher), 422)
    assert_error(send(url, json={"decision": "maybe"}, on=teacher), 422)
    with app.app_context():
        assert db.session.get(LeaveRequest, leave_id).status is LeaveStatus.APPROVED

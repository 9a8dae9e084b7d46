"""Daily summaries: one per family per school day, at the school's hour, never twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from contactbook.core.delivery import worker
from contactbook.core.delivery.models import Notification
from contactbook.core.directory.models import School
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.models import Comment, DailySummary, Grade, SummaryRun
from contactbook.modules.classbook.notifications import render_summary
from contactbook.modules.classbook.services.summaries import build_school_day, run_due_summaries
from tests.modules.classbook.conftest import SCHOOL_DAY, SUNDAY, count_rows, term_id
from tests.together import in_app, run_together

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


@pytest.fixture
def school_day(app, login, write, school_class):
    """16/11: Ngọc absent without leave with two new grades; Anh and Đạt present, no news."""
    world = school_class
    teacher, homeroom = app.test_client(), app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    login(world.homeroom.phone, on=homeroom)
    marks = [{"student_id": world.child.id, "status": "unexcused", "note": ""}]
    write(
        "PUT",
        f"/api/classbook/classes/{world.room.id}/attendance",
        {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks},
        on=homeroom,
    )
    for subject, score in ((world.maths, "8,5"), (world.history, "7")):
        payload = {"subject_id": subject.id, "term_id": term_id(app, world.school)}
        payload |= {"kind": "regular", "slot": 1}
        payload["entries"] = [{"student_id": world.child.id, "score": score}]
        assert (
            write(
                "PUT", f"/api/classbook/classes/{world.room.id}/grades", payload, on=teacher
            ).status_code
            == 200
        )
    with app.app_context():
        morning = at(SCHOOL_DAY, 10)
        db.session.execute(update(Grade).values(created_at=morning, updated_at=morning))
        db.session.commit()
    return world


def summaries(app) -> list[DailySummary]:
    with app.app_context():
        rows = db.session.scalars(select(DailySummary).order_by(DailySummary.id)).all()
        db.session.expunge_all()
        return rows


def build(app, world, day=SCHOOL_DAY) -> SummaryRun:
    with app.app_context():
        run = build_school_day(db.session.get(School, world.school.id), day)
        db.session.refresh(run)
        db.session.expunge(run)
        return run


def text_of(app, summary: DailySummary) -> tuple[str, str]:
    with app.test_request_context(), app.app_context():
        message = render_summary(
            {"summary_id": summary.id, "day": summary.day.isoformat(), "lines": summary.lines}
        )
    return message.title, message.body


def test_a_family_with_news_gets_one_summary_in_plain_vietnamese(app, school_day):
    world = school_day
    run = build(app, world)
    [summary] = summaries(app)
    assert summary.guardian_id == world.parent.id
    assert (run.built, run.sent, run.skipped) == (1, 1, 1)
    title, body = text_of(app, summary)
    assert title == "Tổng hợp trong ngày 16/11"
    assert body == "Ngọc: vắng không phép, 2 điểm mới (Toán 8,5; Lịch sử và Địa lí 7,0)"


def test_building_again_sends_nothing_twice(app, school_day):
    build(app, school_day)
    again = build(app, school_day)
    assert again.built == 0
    assert len(summaries(app)) == 1
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.event == "classbook.daily_summary")
        )
    assert count == 1


def test_a_school_can_send_even_without_news(app, school_day):
    with app.app_context():
        db.session.get(School, school_day.school.id).always_send_summary = True
        db.session.commit()
    build(app, school_day)
    texts = {row.guardian_id: text_of(app, row)[1] for row in summaries(app)}
    assert texts[school_day.other_parent.id] == "Anh: có mặt"


def test_one_summary_covers_all_children(app, school_day, make_student):
    world = school_day
    make_student(world.room, world.school, "Nguyễn Minh Khôi", guardians=(world.parent,))
    with app.app_context():
        db.session.add(
            Comment(
                student_id=world.child.id,
                kind="praise",
                text="Giỏi",
                author_id=world.homeroom.id,
                created_at=at(SCHOOL_DAY, 11),
            )
        )
        db.session.commit()
    build(app, world)
    [summary] = [row for row in summaries(app) if row.guardian_id == world.parent.id]
    assert text_of(app, summary)[1].splitlines() == [
        "Khôi: có mặt",
        "Ngọc: vắng không phép, 2 điểm mới (Toán 8,5; Lịch sử và Địa lí 7,0), được giáo viên khen",
    ]


@pytest.mark.parametrize("day", [SUNDAY, SCHOOL_DAY - timedelta(days=90)])
def test_no_summary_on_days_without_school(app, school_day, day):
    run = build(app, school_day, day)
    assert run.note == "not a school day"
    assert summaries(app) == []


def test_no_summary_on_a_day_the_admin_closed(app, client, login, write, school_day):
    login(school_day.admin.phone)
    url = f"/api/classbook/schools/{school_day.school.id}/closed-days"
    assert write("POST", url, {"day": SCHOOL_DAY.isoformat(), "reason": "Bão"}).status_code == 204
    assert write("POST", url, {"day": SCHOOL_DAY.isoformat(), "reason": "Bão"}).status_code == 204
    assert build(app, school_day).note == "not a school day"
    assert summaries(app) == []


def due(app, world, now) -> list[tuple[int, str]]:
    """Run the job at `now`; what it did for the class's school: (built, note) per run."""
    with app.app_context():
        return [
            (run.built, run.note)
            for run in run_due_summaries(now=now)
            if run.school_id == world.school.id
        ]


def test_the_job_sends_at_the_schools_hour_and_catches_up_within_grace(app, school_day):
    assert due(app, school_day, at(SCHOOL_DAY, 17, 0)) == []
    assert due(app, school_day, at(SCHOOL_DAY, 17, 35)) == [(1, "")]
    assert due(app, school_day, at(SCHOOL_DAY, 17, 40)) == []
    late = due(app, school_day, at(SCHOOL_DAY + timedelta(days=1), 21, 0))
    assert late == [(0, "skipped: too late")]
    assert len(summaries(app)) == 1


def test_a_scheduler_that_was_down_catches_up_on_start(app, school_day):
    assert due(app, school_day, at(SCHOOL_DAY, 20, 0)) == [(1, "")]


def test_two_schedulers_at_the_same_instant_send_one_summary(app, another_app, school_day):
    instant = at(SCHOOL_DAY, 17, 30)
    schedulers = [another_app(), another_app()]
    run_together([in_app(flask_app, run_due_summaries, now=instant) for flask_app in schedulers])
    assert [row.guardian_id for row in summaries(app)] == [school_day.parent.id]
    with app.app_context():
        sent = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.event == "classbook.daily_summary")
        )
    assert sent == 1


def test_the_family_opens_its_summary_and_no_one_else_can(app, client, login, school_day):
    build(app, school_day)
    [summary] = summaries(app)
    login(school_day.other_parent.phone)
    assert client.get(f"/classbook/summaries/{summary.id}").status_code == 404
    family = app.test_client()
    login(school_day.parent.phone, on=family)
    page = family.get(f"/classbook/summaries/{summary.id}").get_data(as_text=True)
    assert "Ngọc: vắng không phép" in page


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("homeroom", 403), ("outsider_teacher", 404)]
)
def test_send_now_is_for_the_schools_admin(app, login, write, school_day, who, status):
    login(getattr(school_day, who).phone)
    url = f"/api/classbook/schools/{school_day.school.id}/summaries"
    response = write("POST", url, {"day": SCHOOL_DAY.isoformat()})
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["built"] == 1
        assert write("POST", url, {"day": SCHOOL_DAY.isoformat()}).get_json()["built"] == 0


def test_admin_page_shows_the_runs(app, client, login, school_day):
    build(app, school_day)
    login(school_day.admin.phone)
    page = client.get(f"/classbook/schools/{school_day.school.id}/summaries").get_data(as_text=True)
    assert "16/11/2026" in page
    assert "17:30" in page


def test_grades_a_family_wanted_only_in_the_summary_arrive_there(
    app, login, write, school_class, push_service, time_machine
):
    time_machine.move_to(at(SCHOOL_DAY, 17, 35), tick=True)
    world = school_class
    parent = app.test_client()
    login(world.parent.phone, on=parent)
    device = push_service.new_device()
    subscribed = {**device.subscription_info(), "label": "Chrome · Android"}
    assert write("POST", "/api/core/push/subscriptions", subscribed, on=parent).status_code == 201
    choice = {"events": {"classbook.grade_recorded": "summary"}}
    assert write("PUT", "/api/core/preferences", choice, on=parent).status_code == 204

    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    payload = {"subject_id": world.maths.id, "term_id": term_id(app, world.school)}
    payload |= {
        "kind": "regular",
        "slot": 1,
        "entries": [{"student_id": world.child.id, "score": "9"}],
    }
    write("PUT", f"/api/classbook/classes/{world.room.id}/grades", payload, on=teacher)
    with app.app_context():
        db.session.execute(update(Grade).values(updated_at=at(SCHOOL_DAY, 10)))
        db.session.commit()
        worker.run_once()
    assert device.received == [], "no push for the grade itself"

    build(app, world)
    with app.app_context():
        worker.run_once()
    [message] = push_service.wait_for(device, 1)
    assert message.json()["body"] == "Ngọc: có mặt, 1 điểm mới (Toán 9,0)"


def test_admins_reach_the_summary_page_from_the_menu(client, login, school_day):
    login(school_day.admin.phone)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/classbook/"[^>]*>(?:(?!</a>).)*Lớp học</span>', home, re.S)
    index = client.get("/classbook/").get_data(as_text=True)
    assert f"/classbook/schools/{school_day.school.id}/summaries" in index


def enter_grade(app, write, world, teacher, subject, score, slot=1) -> None:
    payload = {"subject_id": subject.id, "term_id": term_id(app, world.school)}
    payload |= {"kind": "regular", "slot": slot}
    payload["entries"] = [{"student_id": world.child.id, "score": score}]
    response = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", payload, on=teacher)
    assert response.status_code == 200, response.get_json()


def send_now(write, world, day, on=None):
    url = f"/api/classbook/schools/{world.school.id}/summaries"
    return write("POST", url, {"day": day.isoformat()}, on=on)


def test_news_after_an_early_send_still_reaches_the_family_at_the_schools_hour(
    app, login, write, school_day, push_service, time_machine
):
    world = school_day
    time_machine.move_to(at(SCHOOL_DAY, 15, 0))
    parent, admin, teacher = app.test_client(), app.test_client(), app.test_client()
    login(world.parent.phone, on=parent)
    login(world.admin.phone, on=admin)
    login(world.maths_teacher.phone, on=teacher)
    device = push_service.new_device()
    subscribed = {**device.subscription_info(), "label": "Chrome · Android"}
    assert write("POST", "/api/core/push/subscriptions", subscribed, on=parent).status_code == 201

    early = send_now(write, world, SCHOOL_DAY, on=admin)
    assert early.status_code == 200
    assert early.get_json()["built"] == 1
    with app.app_context():
        worker.run_once()
    time_machine.move_to(at(SCHOOL_DAY, 16, 0))
    enter_grade(app, write, world, teacher, world.maths, "9", slot=2)
    time_machine.move_to(at(SCHOOL_DAY, 17, 35))
    assert due(app, world, utcnow()) == [(1, "")]
    with app.app_context():
        worker.run_once()
    assert due(app, world, at(SCHOOL_DAY, 17, 40)) == [], "the scheduled run happens once"

    received = [message.json() for message in push_service.wait_for(device, 3)]
    assert [(m["title"], m["body"]) for m in received if m["title"].startswith("Tổng hợp")] == [
        (
            "Tổng hợp trong ngày 16/11",
            "Ngọc: vắng không phép, 2 điểm mới (Toán 8,5; Lịch sử và Địa lí 7,0)",
        ),
        (
            "Tổng hợp trong ngày 16/11 (cập nhật)",
            "Ngọc: vắng không phép, 3 điểm mới (Toán 8,5; Lịch sử và Địa lí 7,0; Toán 9,0)",
        ),
    ]
    [summary] = summaries(app)
    page = parent.get(f"/classbook/summaries/{summary.id}").get_data(as_text=True)
    assert "3 điểm mới" in page
    inbox = parent.get("/inbox").get_data(as_text=True)
    assert inbox.count("Tổng hợp trong ngày 16/11") == 1, "the update replaces the unread summary"


def test_an_early_send_with_nothing_new_by_the_schools_hour_is_not_sent_again(
    app, login, write, school_day, time_machine
):
    time_machine.move_to(at(SCHOOL_DAY, 15, 0))
    login(school_day.admin.phone)
    assert send_now(write, school_day, SCHOOL_DAY).get_json()["built"] == 1
    time_machine.move_to(at(SCHOOL_DAY, 17, 35))
    assert due(app, school_day, utcnow()) == [(0, "")]
    with app.app_context():
        sent = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.event == "classbook.daily_summary")
        )
    assert sent == 1


def test_two_schedulers_after_an_early_send_send_one_update(
    app, another_app, login, write, school_day, time_machine
):
    world = school_day
    time_machine.move_to(at(SCHOOL_DAY, 15, 0))
    build(app, world)
    time_machine.move_to(at(SCHOOL_DAY, 16, 0))
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    enter_grade(app, write, world, teacher, world.maths, "9", slot=2)
    time_machine.move_to(at(SCHOOL_DAY, 17, 30))
    schedulers = [another_app(), another_app()]
    run_together([in_app(flask_app, run_due_summaries) for flask_app in schedulers])
    with app.app_context():
        sent = db.session.scalars(
            select(Notification.data).where(Notification.event == "classbook.daily_summary")
        ).all()
    assert [bool(data.get("update")) for data in sent] == [False, True]


def test_a_day_still_to_come_cannot_be_sent(app, login, write, school_day, time_machine):
    time_machine.move_to(at(SCHOOL_DAY, 15, 0))
    login(school_day.admin.phone)
    response = send_now(write, school_day, SCHOOL_DAY + timedelta(days=1))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "day": ["Chỉ gửi được tổng hợp trong ngày cho hôm nay hoặc một ngày đã qua."]
    }
    assert summaries(app) == []
    assert count_rows(app, SummaryRun) == 0


def test_a_grade_corrected_on_a_later_day_is_called_a_correction(
    app, login, write, school_class, time_machine
):
    world = school_class
    time_machine.move_to(at(SCHOOL_DAY - timedelta(days=3), 10, 0))
    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    enter_grade(app, write, world, teacher, world.maths, "8")
    time_machine.move_to(at(SCHOOL_DAY, 11, 0))
    enter_grade(app, write, world, teacher, world.maths, "9")
    enter_grade(app, write, world, teacher, world.history, "7")
    enter_grade(app, write, world, teacher, world.history, "6", slot=2)
    enter_grade(app, write, world, teacher, world.history, "6,5", slot=2)
    build(app, world)
    [summary] = summaries(app)
    assert text_of(app, summary)[1] == (
        "Ngọc: có mặt, 2 điểm mới (Lịch sử và Địa lí 7,0; Lịch sử và Địa lí 6,5), "
        "1 điểm sửa (Toán 9,0)"
    ), "a grade entered and changed the same day is still new"


def test_the_admin_page_words_what_runs_did_in_the_pages_language(app, client, login, school_day):
    assert due(app, school_day, at(SCHOOL_DAY, 23, 0)) == [(0, "skipped: too late")]
    build(app, school_day, SUNDAY)
    login(school_day.admin.phone)
    page = client.get(f"/classbook/schools/{school_day.school.id}/summaries").get_data(as_text=True)
    assert "bỏ qua: đã quá muộn" in page
    assert "không phải ngày học" in page
    assert "too late" not in page
    assert "not a school day" not in page

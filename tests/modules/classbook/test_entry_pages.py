"""Entry pages as served: a day without lessons says why; grade entry opens where to type."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from contactbook.core.directory.models import ClosedDay, SchoolLevel, Term
from contactbook.core.platform.module_contract import Role
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.rules import ruleset_of
from contactbook.modules.classbook.services.entry_pages import last_school_day
from tests.conftest import saved
from tests.modules.classbook.conftest import (
    BEFORE_TERM,
    SCHOOL_DAY,
    SCHOOL_ZONE,
    SUNDAY,
    term_id,
)


def roll_call_page(client, world, day) -> str:
    response = client.get(f"/classbook/classes/{world.room.id}/attendance?day={day}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_sunday_says_so_and_offers_the_saturday_before(client, login, school_class):
    login(school_class.homeroom.phone)
    page = roll_call_page(client, school_class, SUNDAY)
    assert "Không điểm danh ngày 15/11/2026: Không có tiết học vào ngày này trong tuần." in page
    assert 'id="roll-call"' not in page and "Có mặt" not in page
    saturday = SUNDAY - timedelta(days=1)
    assert f"day={saturday.isoformat()}&amp;session=morning" in page
    assert "Mở ngày 14/11/2026, ngày học gần nhất" in page


def test_a_closed_day_says_so(app, client, login, school_class):
    saved(app, ClosedDay(school_id=school_class.school.id, day=SCHOOL_DAY))
    login(school_class.homeroom.phone)
    page = roll_call_page(client, school_class, SCHOOL_DAY)
    assert "Trường nghỉ vào ngày này." in page
    assert 'id="roll-call"' not in page
    assert f"day={(SCHOOL_DAY - timedelta(days=2)).isoformat()}" in page, "Saturday the 14th"


def test_a_day_before_the_terms_says_so_without_a_way_back(client, login, school_class):
    login(school_class.homeroom.phone)
    page = roll_call_page(client, school_class, BEFORE_TERM)
    assert "Ngày này nằm ngoài các học kì của năm học." in page
    assert 'id="roll-call"' not in page
    assert "ngày học gần nhất" not in page, "no day with lessons in the 60 days before"


def test_a_future_day_says_so_and_offers_a_day_already_past(app, client, login, school_class):
    today = utcnow().astimezone(SCHOOL_ZONE).date()
    login(school_class.homeroom.phone)
    page = roll_call_page(client, school_class, today + timedelta(days=3))
    assert "Ngày này chưa tới." in page
    assert 'id="roll-call"' not in page
    with app.test_request_context():
        room = db.session.merge(school_class.room)
        offered = last_school_day(room, today + timedelta(days=3))
    assert offered is not None and offered <= today
    assert f"day={offered.isoformat()}" in page


def test_readers_are_told_too_and_strangers_learn_nothing(app, client, login, school_class):
    login(school_class.admin.phone)
    page = roll_call_page(client, school_class, SUNDAY)
    assert "Không có tiết học vào ngày này trong tuần." in page
    outsider = app.test_client()
    login(school_class.outsider_teacher.phone, on=outsider)
    stranger = outsider.get(f"/classbook/classes/{school_class.room.id}/attendance?day={SUNDAY}")
    assert stranger.status_code == 404
    assert "Không có tiết học" not in stranger.get_data(as_text=True)


def test_a_closed_term_shows_the_marks_read_only_with_why(app, client, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    url = f"/api/classbook/classes/{world.room.id}/attendance"
    body = {"day": SCHOOL_DAY.isoformat(), "session": "morning"}
    body["marks"] = [{"student_id": world.child.id, "status": "unexcused", "note": "Không rõ"}]
    assert write("PUT", url, body).status_code == 200
    with app.app_context():
        for term in db.session.scalars(select(Term)):
            term.is_closed = True
        db.session.commit()
    page = roll_call_page(client, world, SCHOOL_DAY)
    assert "Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại." in page
    assert 'id="roll-call"' not in page
    row = page.split("Nguyễn Bảo Ngọc")[1].split("</li>")[0]
    assert "Vắng không phép (K)" in row and "Không rõ" in row


def counts_on(page: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def test_the_counts_above_the_sheet_add_up_the_saved_marks(client, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    assert counts_on(roll_call_page(client, world, SCHOOL_DAY)) == {
        "present": 3,
        "absent": 0,
        "late": 0,
    }
    marks = [
        {"student_id": world.pupils[0].id, "status": "excused", "note": ""},
        {"student_id": world.pupils[1].id, "status": "late", "note": ""},
    ]
    body = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks}
    write("PUT", f"/api/classbook/classes/{world.room.id}/attendance", body)
    assert counts_on(roll_call_page(client, world, SCHOOL_DAY)) == {
        "present": 1,
        "absent": 1,
        "late": 1,
    }


def picker_of(page: str) -> tuple[list[str], str]:
    """The column picker's option labels and the one selected."""
    picker = page.split('id="column"')[1].split("</select>")[0]
    options = re.findall(r"<option [^>]*>([^<]*)</option>", picker)
    (chosen,) = re.findall(r"<option [^>]*selected>([^<]*)</option>", picker)
    return [html.unescape(label) for label in options], html.unescape(chosen)


def sheet_of(page: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-sheet="([^"]*)"', page).group(1)))


def test_grade_entry_opens_on_the_first_column_someone_lacks(
    app, client, login, write, school_class
):
    world = school_class
    login(world.maths_teacher.phone)
    page_url = f"/classbook/classes/{world.room.id}/grades/{world.maths.id}"
    page = client.get(page_url).get_data(as_text=True)
    assert picker_of(page)[1] == "ĐĐGtx 1"
    assert [entry["score_text"] for entry in sheet_of(page)["entries"]] == ["", "", ""]

    column = {"subject_id": world.maths.id, "term_id": term_id(app, world.school)}
    api = f"/api/classbook/classes/{world.room.id}/grades"
    two = [{"student_id": pupil.id, "score": "8"} for pupil in world.pupils[:2]]
    write("PUT", api, column | {"kind": "regular", "slot": 1, "entries": two})
    labels, chosen = picker_of(client.get(page_url).get_data(as_text=True))
    assert chosen == "ĐĐGtx 1", "one pupil still has no ĐĐGtx 1"
    assert "ĐĐGtx 1 (đã đủ)" not in labels

    last = [{"student_id": world.pupils[2].id, "score": "6,5"}]
    write("PUT", api, column | {"kind": "regular", "slot": 1, "entries": last})
    page = client.get(page_url).get_data(as_text=True)
    labels, chosen = picker_of(page)
    assert chosen == "ĐĐGtx 2"
    assert labels[:2] == ["ĐĐGtx 1 (đã đủ)", "ĐĐGtx 2"]
    assert sheet_of(page)["slot"] == 2
    assert {entry["score_text"] for entry in sheet_of(page)["entries"]} == {""}


def test_a_full_grade_book_opens_on_the_first_column(app, client, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    column = {"subject_id": world.arts.id, "term_id": term_id(app, world.school), "slot": 1}
    entries = [{"student_id": pupil.id, "rating": "dat"} for pupil in world.pupils]
    api = f"/api/classbook/classes/{world.room.id}/grades"
    with app.app_context():
        subject = db.session.merge(world.arts)
        kinds = [
            c.params for c in ruleset_of(db.session.merge(world.room).school_year).columns(subject)
        ]
    for params in kinds:
        assert write("PUT", api, column | dict(params) | {"entries": entries}).status_code == 200
    page = client.get(f"/classbook/classes/{world.room.id}/grades/{world.arts.id}")
    labels, chosen = picker_of(page.get_data(as_text=True))
    assert chosen == labels[0]
    assert all(label.endswith("(đã đủ)") for label in labels)


@pytest.fixture
def primary_class(make_school, make_user, make_classroom, make_student):
    school = make_school(SchoolLevel.PRIMARY)
    homeroom = make_user(Role.TEACHER, school, name="Cô Lan")
    room = make_classroom(school, "2A", homeroom_teacher=homeroom)
    child = make_student(room, school, "Đỗ Minh Khôi")
    return school, room, homeroom, child


def test_trait_entry_opens_on_the_first_column_someone_lacks(
    app, client, login, write, primary_class
):
    school, room, homeroom, child = primary_class
    with app.test_request_context():
        first, second = ruleset_of(db.session.merge(room).school_year).trait_columns()[:2]
    login(homeroom.phone)
    page_url = f"/classbook/classes/{room.id}/traits"
    assert picker_of(client.get(page_url).get_data(as_text=True))[1] == first[1]
    body = {"term_id": term_id(app, school), **first[0]}
    body["entries"] = [{"student_id": child.id, "rating": "tot"}]
    assert write("PUT", f"/api/classbook/classes/{room.id}/traits", body).status_code == 200
    page = client.get(page_url).get_data(as_text=True)
    labels, chosen = picker_of(page)
    assert chosen == second[1]
    assert labels[0] == f"{first[1]} (đã đủ)"
    assert sheet_of(page)["trait"] == second[0]["trait"]

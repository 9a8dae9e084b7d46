"""A homeroom teacher takes roll call on a phone: taps, saves, and finds it saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark
from tests.conftest import PASSWORD
from tests.modules.classbook.conftest import SCHOOL_DAY

pytestmark = pytest.mark.browser


def test_roll_call_on_a_phone(app, live_server, phone, school_class):
    world = school_class
    page = phone.new_page()
    page.goto(f"{live_server}/signin")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(world.homeroom.phone)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day={SCHOOL_DAY}")
    pupils = page.locator("ol.roll > li")
    assert pupils.locator(".pupil").all_inner_texts() == [
        "Trần Minh Anh",
        "Lê Văn Đạt",
        "Nguyễn Bảo Ngọc",
    ]
    pupils.nth(2).get_by_role("radio", name="Vắng không phép (K)").tap()
    pupils.nth(0).get_by_role("radio", name="Đi muộn").tap()
    pupils.nth(0).locator("input.note").fill("Xe hỏng")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()

    with app.app_context():
        marks = {
            (mark.student_id, mark.status, mark.note)
            for mark in db.session.scalars(select(AttendanceMark))
        }
    assert marks == {
        (world.pupils[0].id, "unexcused", ""),
        (world.pupils[1].id, "late", "Xe hỏng"),
        (world.pupils[2].id, "present", ""),
    }

    page.reload()
    assert pupils.nth(2).get_by_role("radio", name="Vắng không phép (K)").is_checked()
    assert page.get_by_text("Đã điểm danh; lưu lại sẽ cập nhật ngày này.").is_visible()

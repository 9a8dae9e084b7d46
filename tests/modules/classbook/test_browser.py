"""On a phone: a teacher takes roll call, the nurse writes a health note the family is told of."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, Grade
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.classbook.conftest import SCHOOL_DAY

pytestmark = pytest.mark.browser


def sign_in(context, live_server, user):
    return sign_in_on(context, live_server, user.phone, PASSWORD)


def test_roll_call_on_a_phone(app, live_server, phone, school_class):
    world = school_class
    page = sign_in(phone, live_server, world.homeroom)

    page.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day={SCHOOL_DAY}")
    pupils = page.locator("ol.roll > li")
    assert pupils.locator(".pupil").all_inner_texts() == [
        "Trần Minh Anh",
        "Lê Văn Đạt",
        "Nguyễn Bảo Ngọc",
    ]
    pupils.nth(2).get_by_role("radio", name="Vắng không phép (K)").tap()
    pupils.nth(0).get_by_role("radio", name="Đi muộn").tap()
    pupils.nth(0).get_by_role("button", name="Ghi chú: Trần Minh Anh").tap()
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


def test_nurse_writes_an_urgent_health_note(app, live_server, phone, browser, school_class):
    world = school_class
    page = sign_in(phone, live_server, world.nurse)
    page.goto(f"{live_server}/classbook/children/{world.child.id}")
    page.get_by_text("Viết ghi chú sức khỏe").click()
    page.get_by_label("Loại", exact=True).select_option(label="Nhiệt độ")
    page.get_by_label("Nội dung").fill("Sốt, đã gọi phụ huynh đón về")
    page.get_by_label("Chỉ số đo được (ví dụ 38,5 °C)").fill("38,5")
    page.get_by_label("Khẩn: báo ngay cho gia đình").check()
    page.get_by_role("button", name="Lưu").click()
    page.locator("#today").get_by_text("Sốt, đã gọi phụ huynh đón về (38,5)").wait_for()

    family = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        parent = sign_in(family, live_server, world.parent)
        parent.goto(f"{live_server}/inbox")
        assert parent.get_by_text("Nguyễn Bảo Ngọc: ghi chú sức khỏe từ nhà trường").is_visible()
    finally:
        family.close()


def test_grade_entry_moves_on_with_enter_and_flags_bad_scores(
    app, live_server, phone, school_class
):
    world = school_class
    page = sign_in(phone, live_server, world.maths_teacher)
    page.goto(f"{live_server}/classbook/classes/{world.room.id}/grades/{world.maths.id}")
    scores = page.locator("ol.grades input.score")
    scores.first.wait_for()
    assert scores.count() == 3
    scores.nth(0).fill("8,5")
    scores.nth(0).press("Enter")
    assert page.evaluate("document.activeElement === document.querySelectorAll('input.score')[1]")
    page.keyboard.type("10,5")
    assert scores.nth(1).get_attribute("aria-invalid") == "true"
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Từ 0 đến 10, tối đa một chữ số thập phân (8,5).").first.wait_for()
    scores.nth(1).fill("7")
    scores.nth(2).fill("9")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()

    with app.app_context():
        saved = {(g.student_id, g.score_tenths) for g in db.session.scalars(select(Grade))}
    assert saved == {(world.pupils[1].id, 85), (world.pupils[2].id, 70), (world.pupils[0].id, 90)}

"""On a 412 px phone: a parent asks leave, the teacher approves, the roll call shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.messaging.models import LeaveRequest, LeaveStatus
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.messaging.school_world import PHONE_412, TODAY

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("wednesday_morning")]


def test_a_parent_asks_leave_and_the_teacher_approves_it(
    app, live_server, phone_412, world, tmp_path
):
    parent = sign_in_on(phone_412(), live_server, world.parent.phone, PASSWORD)
    parent.get_by_role("link", name="Thêm").click()
    parent.get_by_role("dialog").get_by_role("link", name="Đơn xin nghỉ học").click()
    parent.get_by_role("link", name="Xin nghỉ học cho Ngọc").click()
    parent.get_by_label("Lý do", exact=True).fill("Cháu bị sốt, đã đi khám")
    parent.screenshot(path=str(tmp_path / "1-parent-form.png"), full_page=True)
    parent.get_by_role("button", name="Gửi giáo viên chủ nhiệm").click()
    parent.get_by_text("Chờ giáo viên trả lời").wait_for()
    parent.screenshot(path=str(tmp_path / "2-parent-sent.png"), full_page=True)

    teacher = sign_in_on(phone_412(), live_server, world.homeroom.phone, PASSWORD)
    teacher.get_by_role("link", name="Thêm").click()
    teacher.get_by_role("dialog").get_by_role("link", name="Đơn xin nghỉ học").click()
    teacher.get_by_role("link", name="Nguyễn Bảo Ngọc (6A)").click()
    assert teacher.get_by_text("Cháu bị sốt, đã đi khám").is_visible()
    teacher.get_by_label("Lời nhắn cho gia đình (không bắt buộc)").fill("Chúc cháu mau khỏe")
    teacher.get_by_role("button", name="Đồng ý", exact=True).click()
    teacher.locator("#leave-status").filter(has_text="Đã đồng ý").wait_for()
    teacher.screenshot(path=str(tmp_path / "3-teacher-approved.png"), full_page=True)
    with app.app_context():
        leave = db.session.scalar(select(LeaveRequest))
        assert leave.status is LeaveStatus.APPROVED
        assert leave.decision_comment == "Chúc cháu mau khỏe"

    teacher.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day={TODAY}")
    row = teacher.locator("ol.roll > li", has_text="Nguyễn Bảo Ngọc")
    assert row.get_by_role("radio", name="Vắng có phép (P)").is_checked()
    assert row.get_by_text("Đơn xin nghỉ: Cháu bị sốt, đã đi khám").is_visible()
    teacher.screenshot(path=str(tmp_path / "4-roll-call.png"), full_page=True)
    width = teacher.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_412["width"]

    parent.goto(f"{live_server}/inbox")
    assert parent.get_by_text("Đơn xin nghỉ của Ngọc ngày 18/11 đã được đồng ý").is_visible()

"""A teacher on a phone: signs in, sees the Vietnamese home page, and the app works offline."""

from __future__ import annotations

import pytest

from contactbook.core.demo.seed import DEMO_SIGN_INS
from tests.browser import sign_in_on

pytestmark = pytest.mark.browser

TEACHER = next(entry for entry in DEMO_SIGN_INS if entry[0] == "teacher")


def test_demo_teacher_signs_in_and_the_app_keeps_working_offline(runner, live_server, phone):
    assert runner.invoke(args=["demo"]).exit_code == 0
    page = sign_in_on(phone, live_server, TEACHER[1], TEACHER[2])
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Lớp của tôi").is_visible()
    assert page.get_by_text("Giáo viên chủ nhiệm").first.is_visible()

    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    page.goto(f"{live_server}/classes/999")
    assert page.get_by_role("heading", name="Bạn đang ngoại tuyến").is_visible()

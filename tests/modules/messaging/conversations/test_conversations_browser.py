"""On a phone: a parent writes to the homeroom teacher, the teacher answers, the parent sees it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
PHONE_412 = {"width": 412, "height": 915}
SHOTS = Path(os.environ.get("CONTACTBOOK_SCREENSHOTS", "/tmp"))


@pytest.fixture
def phones(browser):
    made = [
        browser.new_context(viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True)
        for _ in range(2)
    ]
    yield made
    for context in made:
        context.close()


def test_a_parent_writes_and_the_teacher_answers(live_server, phones, world):
    parent = sign_in_on(phones[0], live_server, "0912000001", PASSWORD)
    parent.get_by_role("link", name="Tin nhắn").first.click()
    parent.get_by_role("link", name="Nhắn giáo viên về Nguyễn Thị Minh Anh").click()
    parent.get_by_role("button", name="Bắt đầu trao đổi").click()
    parent.get_by_label("Tin nhắn", exact=True).fill("Cháu bị sốt <38,5 °C>, xin cô cho nghỉ 🙏")
    parent.get_by_role("button", name="Gửi").click()
    sent = parent.locator("#messages .message.mine")
    sent.wait_for()
    assert sent.locator(".body").inner_text() == "Cháu bị sốt <38,5 °C>, xin cô cho nghỉ 🙏"
    parent.screenshot(path=SHOTS / "conversation-parent.png", full_page=True)

    teacher = sign_in_on(phones[1], live_server, "hanh", PASSWORD)
    menu_item = teacher.get_by_role("link", name="Tin nhắn 1")
    menu_item.click()
    teacher.get_by_role("link", name="Nguyễn Thị Minh Anh").click()
    assert "xin cô cho nghỉ" in teacher.locator("#messages").inner_text()
    assert "0912000001" not in teacher.content()
    teacher.get_by_label("Tin nhắn", exact=True).fill("Cô đã nhận, chúc cháu mau khỏe.")
    teacher.get_by_role("button", name="Gửi").click()
    teacher.locator("#messages .message.mine").wait_for()
    teacher.screenshot(path=SHOTS / "conversation-teacher.png", full_page=True)
    box = teacher.get_by_role("button", name="Gửi").bounding_box()
    assert box["height"] >= 44

    answer = parent.locator("#messages .message:not(.mine)")
    answer.wait_for(timeout=5000)  # no reload: the open page asks for news every 3 s
    assert answer.locator(".body").inner_text() == "Cô đã nhận, chúc cháu mau khỏe."
    assert "Giáo viên chủ nhiệm" in answer.locator(".meta").inner_text()
    parent.screenshot(path=SHOTS / "conversation-parent-answered.png", full_page=True)
    assert parent.evaluate("document.documentElement.scrollWidth") <= PHONE_412["width"]

"""A parent on a phone redeems an invite code, typed and by the slip's link, and sees the child."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.modules.schooladmin.onboarding import build_class, print_codes

PHONE_412 = {"width": 412, "height": 915}
NEW_PASSWORD = "mưa rơi trên mái ngói 7"
SHOTS = Path(os.environ.get("CONTACTBOOK_SCREENSHOTS", "/tmp/contactbook-screenshots"))


@pytest.fixture
def phone_412(browser):
    context = browser.new_context(
        viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True
    )
    yield context
    context.close()


@pytest.fixture
def codes(app, login, schools, make_student, make_user, make_classroom, assign_teacher):
    build_class(app, schools, make_student, make_user, make_classroom, assign_teacher)
    teacher = app.test_client()
    login(schools.teacher.phone, on=teacher)
    return print_codes(teacher, schools.classroom.id)


def set_password(page) -> None:
    page.get_by_label("Chọn mật khẩu").fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Tham gia").click()


def test_a_parent_types_the_code_from_the_sign_in_page(phone_412, live_server, codes):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = phone_412.new_page()
    page.goto(f"{live_server}/signin")
    page.get_by_role("link", name="Bạn có mã mời?").click()
    page.get_by_label("Mã mời").fill(codes["Đỗ Minh Cường"].replace("-", " ").lower())
    page.screenshot(path=SHOTS / "invite-typed.png", full_page=True)
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.get_by_label("Số điện thoại").input_value() == "0903 333 333"
    page.screenshot(path=SHOTS / "invite-password.png", full_page=True)
    set_password(page)
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Đỗ Minh Cường").is_visible()
    page.screenshot(path=SHOTS / "invite-home.png", full_page=True)


def test_a_parent_opens_the_slips_link_and_joins(phone_412, live_server, codes):
    page = phone_412.new_page()
    page.goto(f"{live_server}/schooladmin/invites/join/{codes['Nguyễn Văn An']}")
    assert page.get_by_role("heading", name="Theo dõi Nguyễn Văn An").is_visible()
    set_password(page)
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Nguyễn Văn An").is_visible()
    page.goto(f"{live_server}/schooladmin/invites/join/{codes['Nguyễn Thị Bình']}")
    page.get_by_role("button", name="Thêm vào tài khoản của tôi").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Nguyễn Thị Bình").is_visible()
    assert page.get_by_role("heading", name="Nguyễn Văn An").is_visible()
    page.screenshot(path=SHOTS / "invite-two-children.png", full_page=True)

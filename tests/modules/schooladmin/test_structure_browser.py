"""On a phone: a school admin creates a class with its homeroom teacher and assigns a subject."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from contactbook.core.directory.models import Classroom, TeachingAssignment
from contactbook.extensions import db
from tests.browser import sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
WIDE_PHONE = {"width": 412, "height": 915}
# Set to a folder to keep a screenshot of each page the admin passes through.
SHOTS = os.environ.get("CONTACTBOOK_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_admin_creates_a_class_and_assigns_a_teacher_on_a_phone(app, live_server, browser, world):
    context = browser.new_context(
        viewport=WIDE_PHONE, locale="vi-VN", is_mobile=True, has_touch=True
    )
    page = sign_in_on(context, live_server, "admin.a", PASSWORD)
    page.locator("nav.tab-bar").get_by_role("link", name="Quản trị").click()
    shot(page, "index")
    page.get_by_role("link", name="Cơ cấu nhà trường").click()
    shot(page, "structure")
    page.locator("main").get_by_role("link", name="Lớp học").click()
    page.get_by_text("Lớp mới").click()
    page.get_by_label("Tên lớp (6A, 10C2)").fill("6B")
    page.get_by_label("Khối").select_option("6")
    page.get_by_label("Giáo viên chủ nhiệm").select_option(label="Vũ Thị Lan")
    page.get_by_role("button", name="Tạo lớp").click()
    page.get_by_role("link", name="Lớp 6B").wait_for()
    shot(page, "classes")

    page.get_by_role("link", name="Lớp 6B").click()
    page.get_by_label("Môn học").select_option(label="Toán")
    page.get_by_label("Giáo viên", exact=True).select_option(label="Vũ Thị Lan")
    page.get_by_role("button", name="Phân công").click()
    page.get_by_text("Toán · Vũ Thị Lan").wait_for()
    shot(page, "classroom")
    for name, path in (
        ("subjects", f"/schooladmin/structure/{world.a.id}/subjects"),
        ("close_term", f"/schooladmin/structure/{world.a.id}/terms/{world.term_id}/close"),
        ("staff", f"/schooladmin/staff/{world.a.id}"),
        ("member", f"/schooladmin/staff/{world.a.id}/{world.teacher.id}"),
    ):
        page.goto(live_server + path)
        shot(page, name)
    context.close()

    with app.app_context():
        room = db.session.scalar(select(Classroom).where(Classroom.name == "6B"))
        assert room.homeroom_teacher_id == world.teacher2.id
        assert (
            db.session.scalar(
                select(TeachingAssignment.teacher_id).where(
                    TeachingAssignment.classroom_id == room.id
                )
            )
            == world.teacher2.id
        )

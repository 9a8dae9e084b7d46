"""On a phone: an admin uploads a roster, sees a problem row, fixes the file and confirms."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contactbook.core.directory import Student
from contactbook.extensions import db
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.schooladmin.roster_files import xlsx

pytestmark = pytest.mark.browser

PHONE_412 = {"width": 412, "height": 915}
ROWS = [
    (
        "HS001",
        "Nguyễn Thị Minh Anh",
        "08/03/2014",
        "Nữ",
        "6A",
        "Trần Thị Lan",
        "0912 345 678",
        "Mẹ",
    ),
    ("HS002", "Lê Văn Bình", "15/11/2014", "Nam", "6E", "Lê Văn Hùng", "0987654321", "Bố"),
]


@pytest.fixture
def phone_412(browser):
    context = browser.new_context(
        viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True
    )
    yield context
    context.close()


def pupils(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Student))


def test_an_admin_imports_a_roster_on_a_phone(app, live_server, phone_412, schools, tmp_path):
    shots = Path(os.environ.get("CONTACTBOOK_SCREENSHOTS", tmp_path))
    page = sign_in_on(phone_412, live_server, "admin.a", PASSWORD)
    page.get_by_role("link", name="Quản trị", exact=True).click()
    page.get_by_role("link", name="Nhập học sinh và phụ huynh").click()
    assert page.get_by_role("link", name="Tải tệp mẫu").is_visible()

    wrong = tmp_path / "danh-sach.xlsx"
    wrong.write_bytes(xlsx(ROWS))
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv, tối đa 5 MB)").set_input_files(wrong)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_role("heading", name="Kiểm tra danh sách").wait_for()
    problems = page.locator("#problems li")
    assert problems.all_inner_texts() == [
        "Dòng 3, cột E (Lớp): Không có lớp 6E trong năm học 2026–2027."
    ]
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    page.screenshot(path=shots / "roster-problem.png", full_page=True)
    assert pupils(app) == 0

    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    fixed = tmp_path / "danh-sach-da-sua.xlsx"
    fixed.write_bytes(xlsx([ROWS[0], (*ROWS[1][:4], "6A", *ROWS[1][5:])]))
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv, tối đa 5 MB)").set_input_files(fixed)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    confirm = page.get_by_role("button", name="Xác nhận nhập")
    confirm.wait_for()
    assert page.get_by_text("2 học sinh mới").is_visible()
    page.screenshot(path=shots / "roster-dry-run.png", full_page=True)
    box = confirm.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE_412["width"]

    confirm.click()
    page.get_by_text("Đã nhập lúc").wait_for()
    assert page.get_by_text("Từng dòng").count() == 0, "the rows as planned are gone once written"
    page.screenshot(path=shots / "roster-imported.png", full_page=True)
    assert pupils(app) == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_412["width"]

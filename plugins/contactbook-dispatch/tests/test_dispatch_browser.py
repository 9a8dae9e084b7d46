"""On a 412 px phone: the district sends a document to a school through the page's form; the
school's admin finds it in the menu, confirms receipt with one tap and replies with a PDF; the
district sees both."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dispatch_world import PDF, rows

from contactbook.core.platform import utcnow
from tests.browser import PHONE, SMALL_PHONE, sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
# Where a person may look at the screenshots after a run.
SHOTS = Path("/tmp/dispatch-screenshots")


def open_menu(page, label: str) -> None:
    """Follow a menu entry (its name may end in a count): in the tab bar when it is there,
    else behind "Thêm"."""
    name = re.compile(rf"^{re.escape(label)}( \d+ .*)?$")
    tab = page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)
    if tab.count():
        tab.click()
        return
    page.get_by_role("link", name=re.compile("^Thêm")).click()
    page.get_by_role("dialog").get_by_role("link", name=name).click()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / name)


def test_a_district_sends_and_a_school_confirms_and_replies(
    app, live_server, phone, district, tmp_path
):
    today = utcnow().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    officer = sign_in_on(phone, live_server, district.officer.phone, PASSWORD)
    open_menu(officer, "Gửi công văn")
    officer.get_by_role("link", name="Gửi công văn").click()
    officer.get_by_label("Số công văn").fill("125/PGDĐT-GDTrH")
    officer.get_by_label("Ngày ban hành").fill(today.isoformat())
    officer.get_by_label("Cơ quan ban hành").fill("Phòng Giáo dục và Đào tạo")
    officer.get_by_label("Trích yếu").fill("Kế hoạch kiểm tra cuối học kì I")
    officer.get_by_label("Nội dung tóm tắt").fill("Các trường báo cáo lịch kiểm tra.")
    officer.get_by_label("Công văn (PDF)").set_input_files(
        {"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}
    )
    officer.get_by_label(district.north.name, exact=True).check()
    officer.get_by_label("Yêu cầu trả lời", exact=True).check()
    officer.get_by_label("Hạn trả lời (khi yêu cầu trả lời)").fill(
        (today + timedelta(days=7)).isoformat()
    )
    shot(officer, tmp_path, "1-district-form.png")
    assert fits_the_phone(officer)
    send = officer.get_by_role("button", name="Gửi", exact=True)
    assert send.bounding_box()["height"] >= 44
    send.click()
    officer.get_by_text("Tệp này không phải là một tệp PDF đầy đủ.").wait_for()
    shot(officer, tmp_path, "1b-district-form-error.png")
    officer.get_by_label("Công văn (PDF)").set_input_files(
        {"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    send.click()
    officer.get_by_role("heading", name="Kế hoạch kiểm tra cuối học kì I").wait_for()
    assert "0/1 đã mở" in officer.content()
    shot(officer, tmp_path, "2-district-sent.png")
    remind = officer.get_by_role("button", name="Nhắc những người chưa xác nhận")
    assert remind.bounding_box()["height"] >= 44
    with officer.expect_navigation():
        remind.click()
    assert rows(app, "notifications", "event = 'dispatch.confirmation_reminder'") == 1

    admin_phone = phone.browser.new_context(
        viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True
    )
    try:
        admin = sign_in_on(admin_phone, live_server, district.north_admin.phone, PASSWORD)
        open_menu(admin, "Công văn")
        admin.get_by_role("link", name="Kế hoạch kiểm tra cuối học kì I").click()
        confirm = admin.get_by_role("button", name="Xác nhận đã nhận")
        assert confirm.bounding_box()["height"] >= 44
        shot(admin, tmp_path, "3-school-document.png")
        assert fits_the_phone(admin)
        confirm.click()
        admin.get_by_text("Đã xác nhận đã nhận lúc").wait_for()
        admin.get_by_label("Nội dung trả lời").fill("Trường đã lập lịch kiểm tra.")
        admin.get_by_label("Tệp đính kèm: PDF (không bắt buộc)").set_input_files(
            {"name": "lich.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        admin.get_by_role("button", name="Gửi trả lời").click()
        admin.get_by_role("link", name="Mở tệp PDF trả lời").wait_for()
        shot(admin, tmp_path, "4-school-replied.png")
        assert fits_the_phone(admin)
    finally:
        admin_phone.close()

    officer.reload()
    page = officer.content()
    assert "1/1 đã mở" in page
    assert "1 đã xác nhận" in page
    assert "1 đã trả lời" in page
    assert "Trường đã lập lịch kiểm tra." in page
    shot(officer, tmp_path, "5-district-follows.png")
    assert fits_the_phone(officer)
    officer.set_viewport_size(SMALL_PHONE)
    assert officer.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    shot(officer, tmp_path, "6-district-follows-320.png")

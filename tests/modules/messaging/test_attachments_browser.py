"""On a 412 px phone: the child's page leads to the conversation; a doctor's note photo and an
announcement's PDF go up through the pages' forms and open for those they are meant for."""

from __future__ import annotations

import pytest

from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.messaging.school_world import PHONE_412, TODAY
from tests.modules.messaging.test_attachments import PDF, picture

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("wednesday_morning")]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_412["width"]


def test_a_parent_goes_from_the_childs_page_to_the_conversation(
    live_server, phone_412, world, tmp_path
):
    parent = sign_in_on(phone_412(), live_server, world.parent.phone, PASSWORD)
    parent.get_by_role("link", name="Các con").first.click()
    parent.get_by_role("link", name="Nguyễn Bảo Ngọc").click()
    link = parent.get_by_role("link", name="Trao đổi với giáo viên")
    assert link.bounding_box()["height"] >= 44
    parent.screenshot(path=str(tmp_path / "1-child-page.png"))
    assert fits_the_phone(parent)
    link.click()
    parent.get_by_role("button", name="Bắt đầu trao đổi").wait_for()


def test_a_doctors_note_goes_up_with_the_leave_request(live_server, phone_412, world, tmp_path):
    parent = sign_in_on(phone_412(), live_server, world.parent.phone, PASSWORD)
    parent.goto(f"{live_server}/messaging/leave/new/{world.child.id}")
    parent.get_by_label("Lý do", exact=True).fill("Cháu bị sốt, đã đi khám")
    parent.get_by_label("Ảnh giấy khám bệnh (không bắt buộc)").set_input_files(
        {"name": "giay-kham.jpg", "mimeType": "image/jpeg", "buffer": picture(size=(900, 1200))}
    )
    parent.screenshot(path=str(tmp_path / "2-leave-form.png"), full_page=True)
    parent.get_by_role("button", name="Gửi giáo viên chủ nhiệm").click()
    parent.get_by_text("Chờ giáo viên trả lời").wait_for()

    teacher = sign_in_on(phone_412(), live_server, world.homeroom.phone, PASSWORD)
    teacher.get_by_role("link", name="Thêm").click()
    teacher.get_by_role("dialog").get_by_role("link", name="Đơn xin nghỉ học").click()
    teacher.get_by_role("link", name="Nguyễn Bảo Ngọc (6A)").click()
    note = teacher.get_by_role("img", name="Ảnh giấy khám bệnh")
    shown = note.element_handle()
    teacher.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=shown)
    assert teacher.evaluate("(img) => img.naturalWidth", shown) == 900
    teacher.screenshot(path=str(tmp_path / "3-leave-teacher.png"), full_page=True)
    assert fits_the_phone(teacher)


def test_an_announcement_carries_a_pdf_to_the_families(live_server, phone_412, world, tmp_path):
    teacher = sign_in_on(phone_412(), live_server, world.homeroom.phone, PASSWORD)
    teacher.get_by_role("link", name="Thêm").click()
    teacher.get_by_role("dialog").get_by_role("link", name="Thông báo của trường").click()
    teacher.get_by_role("link", name="Thông báo mới").click()
    teacher.get_by_label("Tiêu đề").fill("Họp phụ huynh cuối kì")
    teacher.get_by_label("Nội dung").fill(f"Thứ Bảy sau {TODAY:%d/%m}, 8 giờ.")
    teacher.get_by_label("Tệp đính kèm: PDF hoặc ảnh (không bắt buộc)").set_input_files(
        {"name": "giay-moi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    teacher.screenshot(path=str(tmp_path / "4-announcement-form.png"), full_page=True)
    teacher.get_by_role("button", name="Gửi", exact=True).click()
    teacher.get_by_role("heading", name="Họp phụ huynh cuối kì").wait_for()

    parent = sign_in_on(phone_412(), live_server, world.parent.phone, PASSWORD)
    parent.get_by_role("link", name="Thêm").click()
    parent.get_by_role("dialog").get_by_role("link", name="Thông báo của trường").click()
    parent.get_by_role("link", name="Họp phụ huynh cuối kì").click()
    pdf = parent.get_by_role("link", name="Mở tệp PDF đính kèm")
    assert pdf.bounding_box()["height"] >= 44
    parent.screenshot(path=str(tmp_path / "5-announcement-parent.png"), full_page=True)
    assert fits_the_phone(parent)
    with parent.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename.endswith(".pdf")

"""On a phone, a parent finds their way around the child page by its section links, opens a
subject's chart, pages back through the timeline, and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.classbook.conftest import SCHOOL_DAY
from tests.modules.classbook.test_child_page import add_notes, record_maths

pytestmark = pytest.mark.browser


def note(page, number: int):
    """The timeline entry of health note "Ghi chú số <number>"."""
    return page.locator("ul.timeline > li").filter(has_text=re.compile(rf"Ghi chú số {number}\s*$"))


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_parent_reads_the_child_page_by_its_sections_on_a_phone(
    app, live_server, phone, login, write, school_class
):
    world = school_class
    record_maths(
        app,
        login,
        write,
        world,
        {("regular", 1): "6", ("regular", 2): "8,5", ("midterm", 1): "7", ("final", 1): "9"},
    )
    homeroom = app.test_client()
    login(world.homeroom.phone, on=homeroom)
    marks = [{"student_id": world.child.id, "status": "unexcused", "note": ""}]
    body = {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks}
    url = f"/api/classbook/classes/{world.room.id}/attendance"
    assert write("PUT", url, body, on=homeroom).status_code == 200
    add_notes(app, world, 25)

    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    page.goto(f"{live_server}/classbook/children/{world.child.id}")
    sections = page.get_by_role("navigation", name="Các mục của trang").get_by_role("link")
    expect(sections).to_have_text(["Hôm nay", "Điểm", "Chuyên cần", "Nhận xét", "Sức khỏe"])
    for link in sections.all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()

    sections.get_by_text("Chuyên cần").tap()
    page.wait_for_url("**#attendance")
    expect(page.get_by_role("heading", name="Chuyên cần")).to_be_in_viewport()
    calendar_day = page.locator("td.day-unexcused").filter(has_text="16")
    expect(calendar_day).to_contain_text("K")
    expect(page.locator("ul.legend")).to_contain_text("K Vắng không phép (K)")

    sections.get_by_text("Điểm").tap()
    chart = page.get_by_role("img", name="Biểu đồ điểm: Toán, Học kì I")
    expect(chart).to_be_hidden()
    page.locator("#grades summary").filter(has_text="Toán").tap()
    expect(chart).to_be_visible()
    expect(page.locator("ol.chart-values")).to_have_text(
        "ĐĐGtx 1: 6,0ĐĐGtx 2: 8,5ĐĐGgk: 7,0ĐĐGck: 9,0"
    )

    for month in page.locator("details.month > summary").all():
        month.tap()
    page.set_viewport_size({"width": 320, "height": 700})
    assert fits_the_width(page), "nothing scrolls sideways at 320 px, chart and months open"

    page.get_by_role("link", name="Xem cả dòng thời gian").tap()
    expect(page.get_by_role("heading", name="Dòng thời gian")).to_be_visible()
    # Twenty a page: four grades and the absence of today, then notes 25 to 11.
    expect(note(page, 11)).to_be_visible()
    expect(note(page, 10)).to_have_count(0)
    page.get_by_role("link", name="Cũ hơn").tap()
    expect(note(page, 1)).to_be_visible()
    expect(page.get_by_role("link", name="Cũ hơn")).to_have_count(0)
    assert fits_the_width(page)
    page.get_by_role("link", name="Mới hơn").tap()
    expect(note(page, 25)).to_be_visible()

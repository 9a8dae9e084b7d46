"""The app in a hand: every role finds every place by taps alone, on a phone as narrow as 320 px.

One demo school serves the whole file (loading it takes a while); each test signs in afresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from contactbook import create_app
from contactbook.core.delivery import notify
from contactbook.core.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS
from contactbook.core.directory import Membership, User
from contactbook.core.directory.identity import find_user
from contactbook.core.platform import Role
from contactbook.extensions import db
from tests.browser import PHONE, SMALL_PHONE, serving, sign_in_on
from tests.conftest import TEST_DATABASE_URL, base_config, empty_database
from tests.e2e.page_checks import problems

pytestmark = pytest.mark.browser

SIGN_INS = {role: identifier for role, identifier, _ in DEMO_SIGN_INS}
# What each role finds in the tab bar, in order: four destinations at most, then "More".
TABS = {
    "teacher": ["Trang chủ", "Lớp học", "Tin nhắn", "Thông báo", "Thêm"],
    "parent": ["Trang chủ", "Các con", "Tin nhắn", "Thông báo", "Thêm"],
    "school admin": ["Trang chủ", "Lớp học", "Quản trị", "Tin nhắn", "Thêm"],
    "district admin": ["Trang chủ", "Lớp học", "Quản trị", "Thông báo", "Thêm"],
    "nurse": ["Trang chủ", "Tin nhắn", "Thông báo", "Cài đặt thông báo", "Thêm"],
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, _clean_postgres) -> Iterator[SimpleNamespace]:
    """The demo district, served; with the sign-in of one of its school nurses."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    app = create_app(base_config(url))
    with app.app_context():
        db.create_all()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        nurse = db.session.scalar(
            select(User).join(Membership).where(Membership.role == Role.NURSE).limit(1)
        )
        sign_ins = {**SIGN_INS, "nurse": nurse.phone}
    with serving(app) as address:
        yield SimpleNamespace(app=app, url=address, sign_ins=sign_ins)
    empty_database(app)


def open_as(browser, demo, role: str, viewport: dict = PHONE):
    context = browser.new_context(viewport=viewport, locale="vi-VN", is_mobile=True, has_touch=True)
    return sign_in_on(context, demo.url, demo.sign_ins[role], DEMO_PASSWORD)


def tab_bar(page):
    return page.get_by_role("navigation", name="Danh mục")


def tab(page, label: str):
    return (
        tab_bar(page)
        .get_by_role("link")
        .filter(has=page.locator(".tab-label").get_by_text(label, exact=True))
    )


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("role", TABS)
def test_every_destination_is_reached_by_taps_from_home(browser, demo, role):
    page = open_as(browser, demo, role)
    try:
        labels = tab_bar(page).locator(".tab-label").all_inner_texts()
        assert labels == TABS[role]
        assert tab(page, "Trang chủ").get_attribute("aria-current") == "page"

        for label in labels[1:-1]:
            target = tab(page, label)
            href = target.get_attribute("href")
            target.tap()
            page.wait_for_url(f"{demo.url}{href}")
            assert tab(page, label).get_attribute("aria-current") == "page"
            assert tab_bar(page).locator("[aria-current]").count() == 1
            assert page.locator("h1").first.is_visible()
            tab(page, "Trang chủ").tap()
            page.wait_for_url(f"{demo.url}/")

        tab(page, "Thêm").tap()
        sheet = page.get_by_role("dialog", name="Thêm")
        sheet.wait_for()
        hrefs = [link.get_attribute("href") for link in sheet.get_by_role("link").all()]
        assert "/password" in hrefs
        assert sheet.get_by_role("button", name="Đăng xuất").is_visible()
        sheet.get_by_role("button", name="Đóng").tap()
        sheet.wait_for(state="hidden")

        for href in hrefs:
            tab(page, "Thêm").tap()
            sheet.locator(f'a[href="{href}"]').tap()
            page.wait_for_url(f"{demo.url}{href}")
            assert tab(page, "Thêm").get_attribute("aria-current") == "true"
            assert page.locator("h1").first.is_visible()

        tab(page, "Thêm").tap()
        sheet.get_by_role("button", name="Đăng xuất").tap()
        page.wait_for_url(f"{demo.url}/signin")
        assert not tab_bar(page).count()
    finally:
        page.context.close()


def pages_of(page, demo) -> list[str]:
    """A role's pages: home, its menu's destinations, and what home's and a class page's
    cards and names open (a class list, a pupil's page, a roll call, a grade book)."""
    found = ["/"]

    def add(selector: str, limit: int) -> None:
        for href in page.locator(selector).evaluate_all("links => links.map(a => a.href)")[:limit]:
            path = path_of(href)
            if path not in found:
                found.append(path)

    add("nav.tab-bar a[href^='/'], dialog a[href^='/']", 20)
    add("main a[href^='/']", 6)
    classes = [path for path in found if path.startswith("/classes/")]
    if classes:
        page.goto(f"{demo.url}{classes[0]}")
        add("main a[href^='/']", 6)
    return found


@pytest.mark.parametrize("role", TABS)
def test_every_page_fits_a_320_px_phone_with_big_targets_and_readable_text(browser, demo, role):
    page = open_as(browser, demo, role, SMALL_PHONE)
    try:
        found = {}
        paths = pages_of(page, demo)
        assert len(paths) >= 6
        for path in paths:
            page.goto(f"{demo.url}{path}")
            trouble = {kind: items for kind, items in problems(page).items() if items}
            if trouble:
                found[path] = trouble
        tab(page, "Thêm").tap()
        page.get_by_role("dialog", name="Thêm").wait_for()
        if trouble := {kind: items for kind, items in problems(page).items() if items}:
            found["More sheet"] = trouble
        assert found == {}
    finally:
        page.context.close()


def test_badges_count_unread_news_in_the_tab_bar_and_behind_more(browser, demo):
    with demo.app.app_context():
        parent = find_user(demo.sign_ins["parent"])
        admin = find_user(demo.sign_ins["school admin"])
        notify([parent, admin], "core.test", name="Mai")
        notify([admin], "core.test", name="Lan")
        db.session.commit()

    page = open_as(browser, demo, "parent")
    try:
        badge = tab(page, "Thông báo").locator(".badge")
        unread = int(badge.inner_text().split()[0])
        assert unread >= 1
        assert tab(page, "Thông báo").inner_text().endswith("chưa đọc")
        tab(page, "Thông báo").tap()
        page.wait_for_url(f"{demo.url}/inbox")
        page.get_by_role("button", name="Đánh dấu tất cả đã đọc").tap()
        tab(page, "Thông báo").locator(".badge").wait_for(state="detached")
    finally:
        page.context.close()

    page = open_as(browser, demo, "school admin")
    try:
        behind = int(tab(page, "Thêm").locator(".badge").inner_text().split()[0])
        tab(page, "Thêm").tap()
        inbox = page.get_by_role("dialog", name="Thêm").get_by_role("link", name="Thông báo")
        assert int(inbox.first.locator(".badge").inner_text().split()[0]) >= 2
        assert behind >= 2
    finally:
        page.context.close()


def test_cards_and_names_open_what_they_stand_for(browser, demo):
    page = open_as(browser, demo, "teacher")
    try:
        card = page.locator("li.card").filter(has_text="Lớp 6A").first
        card.get_by_role("link", name="Điểm danh").tap()
        page.wait_for_url("**/attendance")
        assert "Điểm danh" in page.locator("h1").inner_text()
        assert tab(page, "Lớp học").get_attribute("aria-current") == "true"

        tab(page, "Trang chủ").tap()
        card.get_by_role("link", name="Điểm Toán").tap()
        page.wait_for_url("**/grades/*")
        assert "Toán" in page.locator("h1").inner_text()

        tab(page, "Trang chủ").tap()
        card.get_by_role("link", name="Học sinh").tap()
        page.wait_for_url("**/classes/*")
        assert page.get_by_role("link", name="Điểm danh").is_visible()
        pupil = page.locator("table.roster tbody a").first
        name = pupil.inner_text()
        pupil.tap()
        page.wait_for_url("**/classbook/children/*")
        assert name in page.locator("h1").inner_text()
    finally:
        page.context.close()

    page = open_as(browser, demo, "parent")
    try:
        card = page.locator("li.card").first
        name = card.locator("h3").inner_text()
        # A tap anywhere on the card, here at its bottom left over the date of birth.
        box = card.bounding_box()
        card.tap(position={"x": 24, "y": box["height"] - 20})
        page.wait_for_url("**/classbook/children/*")
        assert name in page.locator("h1").inner_text()
        assert tab(page, "Các con").get_attribute("aria-current") == "true"
    finally:
        page.context.close()


def test_the_keyboard_skips_to_the_content(browser, demo):
    page = open_as(browser, demo, "teacher")
    try:
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
        assert skip.evaluate("link => link === document.activeElement")
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["height"] >= 44
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null")
    finally:
        page.context.close()


def open_last_school_day(page) -> None:
    """On a day without lessons (a Sunday, a holiday) the teacher follows the offered last one."""
    offered = page.get_by_role("link", name=re.compile("ngày học gần nhất"))
    if offered.count():
        offered.tap()
        page.wait_for_url("**/attendance?day=*")


def test_the_offline_banner_covers_no_control(browser, demo):
    page = open_as(browser, demo, "teacher")
    try:
        page.locator("li.card").first.get_by_role("link", name="Điểm danh").tap()
        page.wait_for_url("**/attendance")
        open_last_school_day(page)
        page.context.set_offline(True)
        banner = page.locator("#offline-banner")
        banner.wait_for()
        covered = banner.evaluate(
            """banner => {
              const own = banner.getBoundingClientRect();
              return [...document.querySelectorAll("a, button, input, select, textarea")]
                .filter((control) => {
                  const box = control.getBoundingClientRect();
                  return box.width && box.height && box.left < own.right && own.left < box.right
                    && box.top < own.bottom && own.top < box.bottom;
                })
                .map((control) => control.outerHTML.slice(0, 80));
            }"""
        )
        assert covered == []
        assert page.get_by_role("button", name="Lưu").first.is_visible()
    finally:
        page.context.set_offline(False)
        page.context.close()

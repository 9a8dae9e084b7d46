"""Pages offline: a family's child page after one visit, only for them, gone at sign-out; notes
written offline; a tapped notification opens its page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.classbook.models import Grade, HealthNote
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.e2e.test_offline_roll_call import KEPT, Worker, eventually
from tests.modules.classbook.conftest import (  # noqa: F401 (fixtures)
    _school_day_has_passed,
    make_subject,
    school_class,
    teach,
)

pytestmark = pytest.mark.browser

OFFLINE_HEADING = "Bạn đang ngoại tuyến"


@pytest.fixture
def world(request):
    """Class 6A of the contact book's tests: a homeroom teacher, three pupils, a parent."""
    return request.getfixturevalue("school_class")


def open_kept(page, url: str) -> None:
    """Open a page under the service worker, which keeps it for offline use."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(KEPT)


def test_a_parent_opens_the_child_page_offline_after_one_visit(live_server, phone, world):
    child_page = f"{live_server}/classbook/children/{world.child.id}"
    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    open_kept(page, child_page)

    phone.set_offline(True)
    page.goto(f"{live_server}/")
    page.goto(child_page)
    assert page.get_by_role("heading", name="Nguyễn Bảo Ngọc").is_visible()
    assert page.locator("#offline-banner").is_visible()
    page.get_by_text("Không có mạng: đây là bản của trang này được lưu lúc").wait_for()
    page.goto(f"{live_server}/classbook/children/{world.pupils[1].id}")
    assert page.get_by_role("heading", name=OFFLINE_HEADING).is_visible(), "never opened: no copy"


def test_sign_out_leaves_nothing_for_the_next_person(live_server, phone, world):
    child_page = f"{live_server}/classbook/children/{world.child.id}"
    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    open_kept(page, child_page)

    page.locator("nav.tab-bar").get_by_role("link", name="Thêm").click()
    page.get_by_role("dialog", name="Thêm").get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server}/signin")
    assert page.evaluate("caches.has('contactbook-pages')") is False
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.set_offline(True)
    page.goto(child_page)
    assert page.get_by_role("heading", name=OFFLINE_HEADING).is_visible()
    assert page.get_by_text("Nguyễn Bảo Ngọc").count() == 0


def test_another_person_signed_in_on_the_phone_never_sees_the_kept_page(live_server, phone, world):
    child_page = f"{live_server}/classbook/children/{world.child.id}"
    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    open_kept(page, child_page)
    # The parent's session ends without signing out (the server forgot it), and someone else
    # signs in on the same phone.
    phone.clear_cookies()
    other = sign_in_on(phone, live_server, world.other_parent.phone, PASSWORD)
    other.wait_for_function("() => navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    other.goto(child_page)
    assert other.get_by_role("heading", name=OFFLINE_HEADING).is_visible()
    assert other.get_by_text("Nguyễn Bảo Ngọc").count() == 0


def test_a_health_note_written_offline_is_sent_once(app, live_server, phone, world):
    page = sign_in_on(phone, live_server, world.nurse.phone, PASSWORD)
    open_kept(page, f"{live_server}/classbook/children/{world.child.id}")

    phone.set_offline(True)
    page.get_by_text("Viết ghi chú sức khỏe").click()
    page.get_by_label("Nội dung").fill("Đau bụng, đã nghỉ ở phòng y tế")
    page.get_by_role("button", name="Lưu").first.click()
    page.get_by_role("status").filter(has_text="Đã lưu trên điện thoại này").wait_for()
    page.locator("#sync-status > summary").filter(has_text="1 mục chờ đồng bộ").wait_for()
    page.get_by_role("button", name="Lưu").first.click()  # a second tap: the form was emptied
    with app.app_context():
        assert db.session.scalars(select(HealthNote)).all() == []

    phone.set_offline(False)
    page.locator("#sync-status").wait_for(state="hidden")
    with app.app_context():
        notes = [note.text for note in db.session.scalars(select(HealthNote))]
    assert notes == ["Đau bụng, đã nghỉ ở phòng y tế"]


def test_a_tap_on_a_notification_opens_its_page(live_server, phone, world):
    phone.grant_permissions(["notifications"], origin=live_server)
    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    page.goto(f"{live_server}/inbox")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    worker = Worker(phone, page, live_server)
    target = f"/classbook/children/{world.child.id}"

    news = {
        "id": 7001,
        "title": "Nguyễn Bảo Ngọc",
        "body": "Điểm mới",
        "tag": "n7001",
        "url": target,
    }
    worker.push(json.dumps(news))
    [service_worker] = phone.service_workers
    shown = "self.registration.getNotifications().then((shown) => shown.length)"
    eventually(page, lambda: service_worker.evaluate(shown) == 1)
    # Headless Chromium shows no notification to tap: the worker gets the event a tap sends.
    service_worker.evaluate(
        """self.registration.getNotifications().then(([notification]) =>
             self.dispatchEvent(new NotificationEvent("notificationclick", { notification })))"""
    )
    page.wait_for_url(f"{live_server}{target}")
    assert page.get_by_role("heading", name="Nguyễn Bảo Ngọc").is_visible()
    eventually(page, lambda: service_worker.evaluate(shown) == 0)


ACTIVE_SHELL = (
    "() => caches.keys().then((keys) => keys.filter((k) => k.startsWith('contactbook-shell-')))"
)


def test_a_new_version_waits_for_the_next_open_and_says_so(app, live_server, phone, world):
    page = sign_in_on(phone, live_server, world.parent.phone, PASSWORD)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    old = app.extensions["pwa_version"]
    assert page.evaluate(ACTIVE_SHELL) == [f"contactbook-shell-{old}"]
    notice = page.get_by_role("status").filter(has_text="Đã có phiên bản mới")
    assert notice.count() == 0

    app.extensions["pwa_version"] = "next"  # what a deployment of changed files does
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    notice.wait_for()
    page.reload()
    notice.wait_for()
    assert page.evaluate(ACTIVE_SHELL) == [f"contactbook-shell-{old}", "contactbook-shell-next"]
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => !!r.waiting)")

    with page.expect_navigation():  # the page reloads under the new version
        notice.get_by_role("button", name="Dùng ngay").click()
    assert page.evaluate(ACTIVE_SHELL) == ["contactbook-shell-next"]
    assert notice.is_hidden()


def test_a_grade_page_opens_offline_with_its_column(app, live_server, phone, world):
    page = sign_in_on(phone, live_server, world.maths_teacher.phone, PASSWORD)
    open_kept(page, f"{live_server}/classbook/classes/{world.room.id}/grades/{world.maths.id}")
    scores = page.locator("ol.grades input.score")
    scores.first.wait_for()
    scores.nth(0).fill("8,5")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    page.reload()  # the column as saved is what the page keeps
    expect(scores.nth(0)).to_have_value("8,5")

    phone.set_offline(True)
    page.reload()
    expect(scores.nth(0)).to_have_value("8,5")
    assert scores.count() == 3
    scores.nth(1).fill("7")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu trên điện thoại này").wait_for()
    page.locator("#sync-status > summary").filter(has_text="1 mục chờ đồng bộ").wait_for()
    phone.set_offline(False)
    page.locator("#sync-status").wait_for(state="hidden")
    with app.app_context():
        saved = {(g.student_id, g.score_tenths) for g in db.session.scalars(select(Grade))}
    assert saved == {(world.pupils[1].id, 85), (world.pupils[2].id, 70)}

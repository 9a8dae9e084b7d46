"""A teacher's roll call without a connection: kept on the phone, sent later, held exactly once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from contactbook.core.delivery.models import Notification
from contactbook.core.directory.models import Term
from contactbook.core.platform.idempotency import IdempotencyRecord
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.classbook.conftest import (  # noqa: F401 (fixtures)
    SCHOOL_DAY,
    _school_day_has_passed,
    make_subject,
    school_class,
    teach,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(request):
    """Class 6A of the contact book's tests: a homeroom teacher, three pupils, a parent."""
    return request.getfixturevalue("school_class")


# Page functions, not expressions: the pages' Content-Security-Policy forbids eval().
KEPT = "() => caches.open('contactbook-pages').then((c) => c.match(location.href)).then(Boolean)"


def open_roll_call(context, live_server, world):
    """Sign in as the homeroom teacher and open the roll call under the service worker, which
    keeps the page for offline use."""
    page = sign_in_on(context, live_server, world.homeroom.phone, PASSWORD)
    page.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day={SCHOOL_DAY}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(KEPT)
    return page


def mark(page, pupil, status: str) -> None:
    row = page.locator(f"li[data-student='{pupil.id}']")
    row.locator(f"input[type=radio][value='{status}']").check()


def save(page) -> None:
    page.locator("form#roll-call").get_by_role("button", name="Lưu").click()


def waiting(page):
    return page.locator("#sync-status > summary")


def marks_held(app) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted(
            (mark.student_id, str(mark.status))
            for mark in db.session.scalars(select(AttendanceMark))
        )


def absence_news(app) -> list[tuple[int, int | None]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.event == "classbook.absence_recorded")
        )
        return sorted((row.user_id, row.student_id) for row in rows)


def eventually(page, check, timeout: float = 5.0) -> None:
    """Wait until `check()` holds: what the server holds changes without the page showing it."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "it did not happen in time"
        page.wait_for_timeout(50)


def expected_marks(world, absent) -> list[tuple[int, str]]:
    return sorted(
        (pupil.id, "unexcused" if pupil in absent else "present") for pupil in world.pupils
    )


def test_two_absences_saved_offline_are_kept_then_sent_once(app, live_server, phone, world):
    ngoc, _anh, dat = world.pupils
    page = open_roll_call(phone, live_server, world)

    phone.set_offline(True)
    mark(page, ngoc, "unexcused")
    save(page)
    page.get_by_role("status").filter(has_text="Đã lưu trên điện thoại này").wait_for()
    waiting(page).filter(has_text="1 mục chờ đồng bộ").wait_for()
    mark(page, dat, "unexcused")
    save(page)
    waiting(page).filter(has_text="2 mục chờ đồng bộ").wait_for()

    page.reload()
    waiting(page).filter(has_text="2 mục chờ đồng bộ").wait_for()
    for pupil in (ngoc, dat):
        absent = page.locator(f"li[data-student='{pupil.id}'] input[value='unexcused']")
        expect(absent).to_be_checked()  # the sheet shows what was saved on the phone
    assert marks_held(app) == []

    phone.set_offline(False)
    page.locator("#sync-status").wait_for(state="hidden")
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    assert marks_held(app) == expected_marks(world, {ngoc, dat})
    assert absence_news(app) == [(world.parent.id, ngoc.id)], "the family is told once"
    page.reload()
    assert page.locator(f"li[data-student='{dat.id}'] input[value='unexcused']").is_checked()


def test_a_save_whose_answer_was_lost_is_sent_again_and_done_once(app, live_server, phone, world):
    ngoc = world.pupils[0]
    page = open_roll_call(phone, live_server, world)
    sent: list[tuple[str, str | None]] = []

    def lose_first_answer(route):
        response = route.fetch()
        sent.append(
            (route.request.headers["idempotency-key"], response.headers.get("idempotent-replayed"))
        )
        if len(sent) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    phone.route("**/api/classbook/classes/*/attendance", lose_first_answer)
    mark(page, ngoc, "unexcused")
    save(page)
    # Kept on the phone and sent again at once: the words for that may show only for a moment.
    eventually(page, lambda: len(sent) == 2)
    page.locator("#sync-status").wait_for(state="hidden")
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()

    [(first_key, first_replayed), (second_key, second_replayed)] = sent
    assert first_key == second_key, "the retry carries the key made when Lưu was pressed"
    assert (first_replayed, second_replayed) == (None, "true"), "the server replayed its answer"
    assert marks_held(app) == expected_marks(world, {ngoc})
    assert absence_news(app) == [(world.parent.id, ngoc.id)]
    with app.app_context():
        assert db.session.scalar(select(func.count(IdempotencyRecord.id))) == 1


def test_a_save_left_when_the_tab_closed_is_sent_on_next_start(app, live_server, phone, world):
    # Without Background Sync (as on Safari and Firefox) only the next start can send it.
    phone.add_init_script(script="delete ServiceWorkerRegistration.prototype.sync;")
    dat = world.pupils[2]
    page = open_roll_call(phone, live_server, world)

    phone.set_offline(True)
    mark(page, dat, "unexcused")
    save(page)
    waiting(page).filter(has_text="1 mục chờ đồng bộ").wait_for()
    page.close()
    phone.set_offline(False)
    assert marks_held(app) == []

    again = phone.new_page()
    again.goto(f"{live_server}/")
    eventually(again, lambda: marks_held(app) == expected_marks(world, {dat}))
    again.locator("#sync-status").wait_for(state="hidden")


class Worker:
    """The app's service worker as the DevTools protocol sees it: what the browser itself would
    ask of it (a Background Sync when the connection returns) can be asked directly."""

    def __init__(self, context, page, origin: str) -> None:
        self.page = page
        self.scope = f"{origin}/"
        self.registrations: list[dict] = []
        self.cdp = context.new_cdp_session(page)
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: self.registrations.extend(event["registrations"]),
        )
        self.cdp.send("ServiceWorker.enable")

    def registration_id(self) -> str:
        mine = lambda: [r for r in self.registrations if r["scopeURL"] == self.scope]  # noqa: E731
        eventually(self.page, lambda: bool(mine()))
        return mine()[-1]["registrationId"]

    def sync(self, tag: str) -> None:
        self.cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": self.scope,
                "registrationId": self.registration_id(),
                "tag": tag,
                "lastChance": False,
            },
        )

    def push(self, data: str) -> None:
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": self.scope, "registrationId": self.registration_id(), "data": data},
        )


def test_background_sync_sends_with_no_tab_open(app, live_server, phone, world):
    ngoc = world.pupils[0]
    page = open_roll_call(phone, live_server, world)
    worker = Worker(phone, page, live_server)

    phone.set_offline(True)
    mark(page, ngoc, "unexcused")
    save(page)
    waiting(page).filter(has_text="1 mục chờ đồng bộ").wait_for()
    page.goto("about:blank")  # the app's tab is gone: only the worker may send now
    phone.set_offline(False)

    worker.sync("outbox")
    eventually(page, lambda: marks_held(app) == expected_marks(world, {ngoc}))


def test_a_save_the_server_refuses_stays_with_its_words(app, live_server, phone, world):
    ngoc = world.pupils[0]
    page = open_roll_call(phone, live_server, world)

    phone.set_offline(True)
    mark(page, ngoc, "unexcused")
    save(page)
    waiting(page).filter(has_text="1 mục chờ đồng bộ").wait_for()
    with app.app_context():  # meanwhile the school closes the term
        for term in db.session.scalars(select(Term)):
            term.is_closed = True
        db.session.commit()
    phone.set_offline(False)

    refused = page.locator("#sync-status .sync-refused")
    refused.filter(has_text="Học kì đã khóa sổ").wait_for(state="attached")
    assert waiting(page).inner_text() == "1 mục chờ đồng bộ"
    waiting(page).click()
    assert refused.is_visible()
    assert marks_held(app) == []

    # Opened again, the closed term's sheet is read-only; the refused entry stays listed.
    page.reload()
    expect(page.locator("main").get_by_text("Học kì đã khóa sổ")).to_be_visible()
    refused.filter(has_text="Học kì đã khóa sổ").wait_for(state="attached")
    page.once("dialog", lambda dialog: dialog.accept())
    waiting(page).click()
    page.locator("#sync-status").get_by_role("button", name="Bỏ").click()
    page.locator("#sync-status").wait_for(state="hidden")


def test_sign_out_asks_before_deleting_what_waits(app, live_server, phone, world):
    page = open_roll_call(phone, live_server, world)
    phone.set_offline(True)
    mark(page, world.pupils[0], "unexcused")
    save(page)
    waiting(page).filter(has_text="1 mục chờ đồng bộ").wait_for()

    questions: list[str] = []

    def keep(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", keep)
    page.locator("nav.tab-bar").get_by_role("link", name="Thêm").click()
    page.get_by_role("dialog", name="Thêm").get_by_role("button", name="Đăng xuất").click()
    eventually(page, lambda: bool(questions))
    assert "đăng xuất sẽ xóa nó khỏi điện thoại này" in questions[0]
    assert waiting(page).inner_text() == "1 mục chờ đồng bộ", "kept: the teacher said no"

    phone.set_offline(False)
    page.locator("#sync-status").wait_for(state="hidden")
    assert marks_held(app) == expected_marks(world, {world.pupils[0]})

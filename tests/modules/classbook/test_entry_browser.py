"""Roll call and grade entry on a 412 px phone: compact rows, live counts, the saving state,
questions before typed changes are lost, and saves kept on the phone shown as such."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from contactbook.core.directory.models import Term
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, Grade
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.modules.classbook.conftest import SCHOOL_DAY

pytestmark = pytest.mark.browser

PHONE_412 = {"width": 412, "height": 915}
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN_NAMES = ["An", "Bảo", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Ngọc"]


@pytest.fixture
def phone_412(browser):
    context = browser.new_context(
        viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True
    )
    yield context
    context.close()


@pytest.fixture
def class_of_40(school_class, make_student):
    """School class 6A grown to forty pupils, with long names among them."""
    for n in range(37):
        name = f"{FAMILY_NAMES[n % 8]} Thị Thanh {GIVEN_NAMES[n % 10]}"
        make_student(school_class.room, school_class.school, name)
    return school_class


def sign_in(context, live_server, user):
    return sign_in_on(context, live_server, user.phone, PASSWORD)


def open_roll_call(page, live_server, world):
    page.goto(f"{live_server}/classbook/classes/{world.room.id}/attendance?day={SCHOOL_DAY}")
    page.locator("form#roll-call").wait_for()
    return page.locator("form#roll-call li[data-student]")


def counts(page) -> str:
    return " ".join(page.locator(".roll-counts").inner_text().split())


def box(locator) -> dict:
    return locator.bounding_box()


def test_forty_pupils_fit_in_compact_rows_with_thumb_sized_targets(
    live_server, phone_412, class_of_40, tmp_path
):
    page = sign_in(phone_412, live_server, class_of_40.homeroom)
    rows = open_roll_call(page, live_server, class_of_40)
    assert rows.count() == 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    heights = [
        row["height"]
        for row in rows.evaluate_all(
            "rows => rows.map(row => row.getBoundingClientRect().toJSON())"
        )
    ]
    assert max(heights) <= 64, "one line of controls per pupil, the name in at most two lines"
    for picker in (page.get_by_label("Ngày"), page.get_by_label("Buổi")):
        assert box(picker)["height"] >= 44
    first = rows.first
    for name in ("Có mặt", "Vắng có phép (P)", "Vắng không phép (K)", "Đi muộn"):
        target = box(first.get_by_role("radio", name=name))
        assert target["width"] >= 44 and target["height"] >= 44, name
    page.screenshot(path=tmp_path / "roll-call-40-pupils-412px.png", full_page=True)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_counts_follow_each_tap_and_the_note_opens_behind_a_tap(
    live_server, phone_412, school_class
):
    page = sign_in(phone_412, live_server, school_class.homeroom)
    rows = open_roll_call(page, live_server, school_class)
    assert counts(page) == "Có mặt 3 Vắng 0 Muộn 0"
    rows.nth(2).get_by_role("radio", name="Vắng không phép (K)").tap()
    rows.nth(0).get_by_role("radio", name="Đi muộn").tap()
    assert counts(page) == "Có mặt 1 Vắng 1 Muộn 1"
    rows.nth(1).get_by_role("radio", name="Vắng có phép (P)").tap()
    assert counts(page) == "Có mặt 0 Vắng 2 Muộn 1"

    note = (
        rows.nth(0).get_by_label("Ghi chú: Trần Minh Anh", exact=True).and_(page.locator("input"))
    )
    assert note.is_hidden()
    rows.nth(0).get_by_role("button", name="Ghi chú: Trần Minh Anh").tap()
    assert note.is_visible() and note.evaluate("input => input === document.activeElement")


def answer_questions(page, replies: list[bool] | None = None) -> list[str]:
    """Answer the page's questions in turn from `replies` (True accepts), then "stay";
    return the list the questions asked go to."""
    asked: list[str] = []

    def reply(dialog):
        asked.append(dialog.type)
        if replies and replies.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", reply)
    return asked


def leaves_without_asking(page, leave) -> None:
    with page.expect_navigation():
        leave()


def asks_before_leaving(page, leave) -> str:
    with page.expect_event("dialog") as question:
        leave()
    return question.value.type


def test_leaving_the_roll_call_with_unsaved_marks_asks_first(
    app, live_server, phone_412, school_class
):
    world = school_class
    page = sign_in(phone_412, live_server, world.homeroom)
    asked = answer_questions(page)
    rows = open_roll_call(page, live_server, world)
    show = page.get_by_role("button", name="Xem")
    leaves_without_asking(page, show.click)
    rows.nth(2).get_by_role("radio", name="Vắng không phép (K)").tap()
    assert asks_before_leaving(page, lambda: show.click(no_wait_after=True)) == "beforeunload"
    assert rows.nth(2).get_by_role("radio", name="Vắng không phép (K)").is_checked()

    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    leaves_without_asking(page, show.click)
    assert asked == ["beforeunload"]
    with app.app_context():
        statuses = {m.student_id: m.status for m in db.session.scalars(select(AttendanceMark))}
    assert statuses[world.child.id] == "unexcused"


def watch_saves(page, button) -> list[tuple[str, bool]]:
    """While each save is on its way, note the Save button's words and whether it is disabled."""
    seen: list[tuple[str, bool]] = []

    def note(route):
        if route.request.method == "PUT":
            seen.append((button.inner_text(), button.is_disabled()))
        route.continue_()

    page.route(re.compile(r"/api/classbook/"), note)
    return seen


def test_saving_shows_its_state_and_a_refusal_in_words(app, live_server, phone_412, school_class):
    world = school_class
    page = sign_in(phone_412, live_server, world.homeroom)
    rows = open_roll_call(page, live_server, world)
    button = page.locator("form#roll-call button[type=submit]")
    seen = watch_saves(page, button)
    rows.nth(0).get_by_role("radio", name="Đi muộn").tap()
    button.click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    assert seen == [("Đang lưu…", True)]
    expect(button).to_have_text("Lưu")
    expect(button).to_be_enabled()

    with app.app_context():
        for term in db.session.scalars(select(Term)):
            term.is_closed = True
        db.session.commit()
    rows.nth(1).get_by_role("radio", name="Vắng có phép (P)").tap()
    button.click()
    expect(page.get_by_role("status")).to_have_text(
        "Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại."
    )
    with app.app_context():
        statuses = {m.student_id: m.status for m in db.session.scalars(select(AttendanceMark))}
    assert statuses[world.pupils[1].id] == "late", "the refused save changed nothing"


def test_switching_column_asks_before_a_typed_score_is_lost(
    app, live_server, phone_412, school_class
):
    world = school_class
    page = sign_in(phone_412, live_server, world.maths_teacher)
    replies = [False, True]
    asked = answer_questions(page, replies)
    page.goto(f"{live_server}/classbook/classes/{world.room.id}/grades/{world.maths.id}")
    picker = page.get_by_label("Đầu điểm")
    chosen = picker.locator("option:checked")
    scores = page.locator("ol.grades input.score")
    expect(scores).to_have_count(3)
    scores.nth(0).fill("8,5")
    picker.select_option(label="ĐĐGtx 2")
    expect(chosen).to_have_text("ĐĐGtx 1")
    expect(scores.nth(0)).to_have_value("8,5")
    picker.select_option(label="ĐĐGtx 2")
    expect(chosen).to_have_text("ĐĐGtx 2")
    expect(scores.nth(0)).to_have_value("")
    assert asked == ["confirm", "confirm"]

    button = page.locator("form#grade-entry button[type=submit]")
    seen = watch_saves(page, button)
    scores.nth(1).fill("7")
    button.click()
    page.get_by_role("status").filter(has_text="Đã lưu.").wait_for()
    assert seen == [("Đang lưu…", True)]
    picker.select_option(label="ĐĐGck")
    expect(chosen).to_have_text("ĐĐGck")
    assert asked == ["confirm", "confirm"], "nothing unsaved, nothing asked"
    with app.app_context():
        grades = [
            (g.student_id, g.kind, g.slot, g.score_tenths)
            for g in db.session.scalars(select(Grade))
        ]
    assert grades == [(world.pupils[2].id, "regular", 2, 70)]


# The phone's offline queue as the pages know it (api.js `send` answers {queued: true} when the
# write went to the queue; outbox.js `pendingFor(url)` lists what waits), the real modules with
# those two functions replaced by a queue kept in localStorage, so a test can see what the page
# does with a queued or refused save.
QUEUEING_SEND = """
export async function send(method, url, body, key = "k" + Date.now()) {
  const queue = JSON.parse(localStorage.getItem("queue") || "[]");
  queue.push({ key, method, url, body, state: "waiting", message: "", errors: {} });
  localStorage.setItem("queue", JSON.stringify(queue));
  return { ok: false, status: 0, data: {}, queued: true };
}
"""
QUEUE_OUTBOX = """
export async function pendingFor(url) {
  return JSON.parse(localStorage.getItem("queue") || "[]").filter((entry) => entry.url === url);
}
"""


@pytest.fixture
def phone_without_worker(browser):
    """A 412 px phone whose service worker is kept out, so the test's queue stands in."""
    context = browser.new_context(
        viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True, service_workers="block"
    )
    yield context
    context.close()


def queue_writes_on_the_phone(page) -> None:
    def api(route):
        real = route.fetch().text().replace("export async function send(", "async function sent(")
        route.fulfill(body=real + QUEUEING_SEND, content_type="text/javascript")

    page.route(re.compile(r"/js/api(\.[0-9a-f]+)?\.js(\?|$)"), api)

    def outbox(route):
        real = (
            route.fetch()
            .text()
            .replace("export async function pendingFor(", "async function keptFor(")
        )
        route.fulfill(body=real + QUEUE_OUTBOX, content_type="text/javascript")

    page.route(re.compile(r"/js/outbox(\.[0-9a-f]+)?\.js(\?|$)"), outbox)


def test_a_roll_call_queued_on_the_phone_says_so_and_shows_after_a_reload(
    app, live_server, phone_without_worker, school_class
):
    world = school_class
    page = sign_in(phone_without_worker, live_server, world.homeroom)
    queue_writes_on_the_phone(page)
    asked = answer_questions(page)
    rows = open_roll_call(page, live_server, world)
    rows.nth(0).get_by_role("radio", name="Vắng không phép (K)").tap()
    rows.nth(2).get_by_role("radio", name="Vắng có phép (P)").tap()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu trên điện thoại này, chờ đồng bộ.")

    page.reload()
    rows = open_roll_call(page, live_server, world)
    expect(rows.nth(2).get_by_role("radio", name="Vắng có phép (P)")).to_be_checked()
    expect(rows.nth(0).get_by_role("radio", name="Vắng không phép (K)")).to_be_checked()
    assert counts(page) == "Có mặt 1 Vắng 2 Muộn 0"
    expect(page.get_by_role("status")).to_have_text("Đã lưu trên điện thoại này, chờ đồng bộ.")
    assert asked == [], "a save kept on the phone is not an unsaved change"
    assert count_marks(app) == 0

    page.evaluate(
        """() => {
          const queue = JSON.parse(localStorage.getItem("queue"));
          Object.assign(queue[0], { state: "refused", message: "Một số thông tin chưa hợp lệ.",
            errors: { day: ["Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại."] } });
          localStorage.setItem("queue", JSON.stringify(queue));
        }"""
    )
    page.reload()
    expect(page.get_by_role("status")).to_have_text(
        "Chưa đồng bộ: Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại."
    )
    expect(rows.nth(0).get_by_role("radio", name="Vắng không phép (K)")).to_be_checked()


def count_marks(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AttendanceMark)).all())


def test_grades_queued_on_the_phone_show_in_their_own_column_only(
    app, live_server, phone_without_worker, school_class
):
    world = school_class
    page = sign_in(phone_without_worker, live_server, world.maths_teacher)
    queue_writes_on_the_phone(page)
    page.goto(f"{live_server}/classbook/classes/{world.room.id}/grades/{world.maths.id}")
    scores = page.locator("ol.grades input.score")
    expect(scores).to_have_count(3)
    scores.nth(2).fill("9,5")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu trên điện thoại này, chờ đồng bộ.")

    page.reload()
    expect(scores.nth(2)).to_have_value("9,5")
    expect(page.get_by_role("status")).to_have_text("Đã lưu trên điện thoại này, chờ đồng bộ.")
    page.get_by_label("Đầu điểm").select_option(label="ĐĐGtx 2")
    expect(page.locator("#column option:checked")).to_have_text("ĐĐGtx 2")
    expect(scores.nth(2)).to_have_value("")
    expect(page.get_by_role("status")).to_have_text("")
    with app.app_context():
        assert db.session.scalars(select(Grade)).all() == []

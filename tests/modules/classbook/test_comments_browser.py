"""On a phone: a teacher must choose a comment's kind, then corrects and withdraws the comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from contactbook.core.platform.records import utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.models import Comment
from tests.browser import sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CONCERN = "Em hay quên vở bài tập."
TOO_LATE = "Chỉ có thể sửa hoặc rút lại nhận xét trong vòng 24 giờ sau khi viết."


def comments(app) -> list[tuple[str, str, bool, bool]]:
    with app.app_context():
        return [
            (c.kind, c.text, c.corrected_at is not None, c.withdrawn_at is not None)
            for c in db.session.scalars(select(Comment).order_by(Comment.id))
        ]


def test_a_teacher_chooses_the_kind_then_corrects_and_withdraws_from_the_pupil_page(
    app, live_server, phone, school_class
):
    world = school_class
    page = sign_in_on(phone, live_server, world.maths_teacher.phone, PASSWORD)
    page.goto(f"{live_server}/classbook/children/{world.child.id}")

    page.get_by_text("Viết nhận xét").click()
    write = page.locator("form").filter(has=page.locator("#c-kind"))
    write.get_by_label("Nhận xét", exact=True).fill(CONCERN)
    write.get_by_role("button", name="Lưu").click()
    kind = write.get_by_label("Loại nhận xét")
    assert kind.evaluate("select => select.validity.valueMissing"), "the browser asks for a kind"
    assert comments(app) == []

    kind.select_option(label="Khen")  # the slip this page now lets the teacher put right
    write.get_by_role("button", name="Lưu").click()
    entry = page.locator("li.timeline-comment").filter(has_text=CONCERN).first
    entry.get_by_text("Rút lại").wait_for()
    assert entry.locator(".badge").inner_text() == "Khen"

    entry.get_by_text("Sửa", exact=True).click()
    entry.get_by_label("Loại nhận xét").select_option(label="Nhắc nhở")
    entry.get_by_role("textbox").fill(CONCERN + " Cần nhắc em mỗi tối.")
    entry.get_by_role("button", name="Lưu bản sửa").click()
    entry.get_by_text("(đã sửa)").wait_for()
    assert entry.locator(".badge").inner_text() == "Nhắc nhở"
    assert comments(app) == [("concern", CONCERN + " Cần nhắc em mỗi tối.", True, False)]

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    entry.get_by_role("button", name="Rút lại").click()
    page.locator("li.timeline-comment").first.wait_for(state="detached")
    assert asked == ["Rút lại nhận xét này? Gia đình sẽ không còn thấy nhận xét."]
    assert page.get_by_text(CONCERN).count() == 0
    assert comments(app) == [("concern", CONCERN + " Cần nhắc em mỗi tối.", True, True)]


def test_a_page_left_open_past_the_day_says_why_the_change_was_refused(
    app, live_server, phone, school_class, time_machine
):
    world = school_class
    page = sign_in_on(phone, live_server, world.maths_teacher.phone, PASSWORD)
    page.goto(f"{live_server}/classbook/children/{world.child.id}")
    page.get_by_text("Viết nhận xét").click()
    write = page.locator("form").filter(has=page.locator("#c-kind"))
    write.get_by_label("Loại nhận xét").select_option(label="Nhắc nhở")
    write.get_by_label("Nhận xét", exact=True).fill(CONCERN)
    write.get_by_role("button", name="Lưu").click()
    entry = page.locator("li.timeline-comment").filter(has_text=CONCERN).first
    entry.get_by_role("button", name="Rút lại").wait_for()

    time_machine.move_to(utcnow() + timedelta(hours=24))
    page.once("dialog", lambda dialog: dialog.accept())
    entry.get_by_role("button", name="Rút lại").click()
    entry.get_by_role("status").filter(has_text=TOO_LATE).wait_for()
    assert comments(app) == [("concern", CONCERN, False, False)]

"""A message written without a connection waits on the phone and reaches the teacher once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.extensions import db
from contactbook.modules.messaging.models import Message
from tests.browser import sign_in_on
from tests.conftest import PASSWORD
from tests.e2e.test_offline_roll_call import KEPT
from tests.modules.messaging.conversations.conftest import (  # noqa: F401 (fixtures)
    conversation,
    world,
    write,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def talk(request) -> dict:
    """The conversation about Anh, started by her mother (0912000001)."""
    return request.getfixturevalue("conversation")


def bodies(app) -> list[str]:
    with app.app_context():
        return [message.body for message in db.session.scalars(select(Message))]


def test_a_message_written_offline_is_sent_once(app, live_server, phone, talk):
    page = sign_in_on(phone, live_server, "0912000001", PASSWORD)
    page.goto(f"{live_server}{talk['url']}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(KEPT)

    phone.set_offline(True)
    page.get_by_label("Tin nhắn", exact=True).fill("Sáng mai cháu xin nghỉ ạ")
    page.get_by_role("button", name="Gửi").click()
    waiting = page.locator("#messages li.waiting")
    waiting.filter(has_text="Sáng mai cháu xin nghỉ ạ").wait_for()
    assert "Đã lưu trên điện thoại này" in waiting.locator(".meta").inner_text()
    page.locator("#sync-status > summary").filter(has_text="1 mục chờ đồng bộ").wait_for()
    assert bodies(app) == []

    phone.set_offline(False)
    page.locator("#sync-status").wait_for(state="hidden")
    assert waiting.count() == 0
    page.locator("#messages .message.mine").filter(has_text="Sáng mai cháu xin nghỉ ạ").wait_for()
    assert bodies(app) == ["Sáng mai cháu xin nghỉ ạ"]

"""The "Bật thông báo" button on a phone: the browser is asked only after the tap."""

from __future__ import annotations

import pytest

from contactbook.core.models import Role
from tests.browser import sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_refusal_is_explained(live_server, phone, make_school, make_user):
    parent = make_user(Role.GUARDIAN, make_school())
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    assert page.evaluate("Notification.permission") == "default", "nothing asked before the tap"
    page.get_by_role("button", name="Bật thông báo").click()
    status = page.locator("#push .status")
    status.filter(has_text="Trình duyệt đang chặn thông báo").wait_for()
    assert "field-error" in status.get_attribute("class")

"""Notifications on a phone: asking for permission, and what the service worker shows."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from contactbook.core.delivery import worker
from contactbook.core.delivery.models import PushSubscription
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.browser import LOCAL_PUSH_SERVICE, sign_in_on
from tests.conftest import PASSWORD
from tests.pushservice import b64url_decode

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


def test_a_browser_without_push_is_told_what_to_do(live_server, phone, make_school, make_user):
    phone.add_init_script(script="delete window.PushManager;")
    parent = make_user(Role.GUARDIAN, make_school())
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    page.get_by_role("button", name="Bật thông báo").click()
    status = page.locator("#push .status")
    status.filter(has_text="Trình duyệt này không nhận được thông báo").wait_for()
    assert "field-error" in status.get_attribute("class")


ON_SCREEN = (
    "navigator.serviceWorker.ready"
    ".then((registration) => registration.getNotifications())"
    ".then((notifications) => notifications.map((n) => ({id: n.data.id, title: n.title})))"
)


def wait_until_shown(page, count: int, timeout: float = 5.0) -> list[dict]:
    """The notifications on screen once there are `count` of them."""
    deadline = time.monotonic() + timeout
    while len(shown := page.evaluate(ON_SCREEN)) != count:
        assert time.monotonic() < deadline, f"{len(shown)} notifications on screen, not {count}"
        page.wait_for_timeout(50)
    return shown


def dismiss_all(page) -> None:
    page.evaluate(
        "navigator.serviceWorker.ready"
        ".then((registration) => registration.getNotifications())"
        ".then((notifications) => notifications.forEach((notification) => notification.close()))"
    )
    wait_until_shown(page, 0)


class PhonePush:
    """Hands a push message to the page's service worker the way the phone's browser would,
    through the DevTools protocol (headless Chromium has no push service of its own)."""

    def __init__(self, context, page, origin: str) -> None:
        self.page = page
        self.scope = f"{origin}/"
        self.cdp = context.new_cdp_session(page)
        self.registrations: list[dict] = []
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: self.registrations.extend(event["registrations"]),
        )
        self.cdp.send("ServiceWorker.enable")

    def deliver(self, payload: bytes) -> None:
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": self.scope,
                "registrationId": self._registration_id(),
                "data": payload.decode("utf-8"),
            },
        )

    def _registration_id(self, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while not (found := [r for r in self.registrations if r["scopeURL"] == self.scope]):
            assert time.monotonic() < deadline, "the app's service worker never registered"
            self.page.wait_for_timeout(50)
        return found[-1]["registrationId"]


def send_test(app, page, push_service, device) -> bytes:
    """Tap "Gửi thử cho tôi", let the worker run, and return what the push service decrypted."""
    arrived = len(device.received)
    with page.expect_response(lambda response: response.url.endswith("/push/test")):
        page.get_by_role("button", name="Gửi thử cho tôi").click()
    with app.app_context():
        worker.run_once()
    return push_service.wait_for(device, arrived + 1)[-1].payload


def test_turning_notifications_on_registers_the_phone_and_a_test_shows(
    app, live_server, phone, push_service, make_school, make_user
):
    device = push_service.new_device()
    phone.add_init_script(script=LOCAL_PUSH_SERVICE % json.dumps(device.subscription_info()))
    phone.grant_permissions(["notifications"], origin=live_server)
    parent = make_user(Role.GUARDIAN, make_school())
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    push = PhonePush(phone, page, live_server)

    page.get_by_role("button", name="Bật thông báo").click()
    page.get_by_text("Đã bật thông báo trên thiết bị này.").wait_for()
    server_key = page.locator("#push").get_attribute("data-key")
    assert bytes(page.evaluate("window.subscribedWithKey")) == b64url_decode(server_key)
    with app.app_context():
        [stored] = db.session.scalars(select(PushSubscription)).all()
        assert (stored.user_id, stored.endpoint) == (parent.id, device.endpoint)
        assert (stored.p256dh, stored.auth) == (device.p256dh, device.auth)
        assert stored.label == "Chrome · Máy tính"

    push.deliver(send_test(app, page, push_service, device))
    [shown] = wait_until_shown(page, 1)
    assert shown["title"] == "Đã bật thông báo"
    page.reload()
    assert page.get_by_text("Chrome · Máy tính").is_visible(), "listed under Thiết bị của tôi"


def test_a_push_sent_twice_is_shown_once(
    app, live_server, phone, push_service, make_school, make_user
):
    parent = make_user(Role.GUARDIAN, make_school())
    device = push_service.new_device()
    with app.app_context():
        db.session.add(
            PushSubscription(
                user_id=parent.id, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
            )
        )
        db.session.commit()
    phone.grant_permissions(["notifications"], origin=live_server)
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    push = PhonePush(phone, page, live_server)

    first = send_test(app, page, push_service, device)
    push.deliver(first)
    [shown] = wait_until_shown(page, 1)
    assert shown == {"id": json.loads(first)["id"], "title": "Đã bật thông báo"}

    dismiss_all(page)
    push.deliver(first)  # the same message again: its worker died before recording the result
    second = send_test(app, page, push_service, device)
    push.deliver(second)  # handled after the repeat: the service worker keeps their order
    [shown] = wait_until_shown(page, 1)
    assert shown["id"] == json.loads(second)["id"], "the repeat stayed hidden, the new one shows"

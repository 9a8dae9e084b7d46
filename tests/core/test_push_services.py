"""Push endpoints reach only the browsers' push services, at public addresses."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from contactbook import create_app
from contactbook.core.delivery import worker
from contactbook.core.delivery.models import Delivery, DeliveryStatus, PushSubscription
from contactbook.core.delivery.push_services import is_public
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.browser import LOCAL_PUSH_SERVICE, sign_in_on
from tests.conftest import PASSWORD, PUSH_SERVICES, csrf_token_from

NOT_RECOGNISED = (
    "Không nhận ra dịch vụ thông báo đẩy của trình duyệt này. Hãy dùng Chrome, Edge, Firefox "
    "hoặc Safari để bật thông báo."
)
HTTPS_ONLY = "Địa chỉ nhận thông báo phải dùng https."
WITH_LOCAL_SERVICE = f"{PUSH_SERVICES},127.0.0.1"


@pytest.fixture
def push_hosts() -> str:
    """CONTACTBOOK_PUSH_SERVICE_HOSTS for the test's app: production's unless a test says."""
    return PUSH_SERVICES


@pytest.fixture
def app_config(app_config, push_hosts):
    return {
        **app_config,
        "CONTACTBOOK_PUSH_SERVICE_HOSTS": push_hosts,
        "CONTACTBOOK_SEND_TIMEOUT_SECONDS": 1,
    }


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school(), name="Chị Mai")


class Listener:
    """A TCP port on 127.0.0.1 that tells whether anything connected to it."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.setblocking(False)
        self.port = self._socket.getsockname()[1]

    def was_connected_to(self) -> bool:
        """The kernel completes a connection even if nobody reads it; it waits to be accepted."""
        try:
            connection, _address = self._socket.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True

    def close(self) -> None:
        self._socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def post(client, path, payload):
    return client.post(path, json=payload, headers={"X-CSRFToken": csrf_token_from(client, "/")})


def subscribe(client, device, endpoint: str | None = None):
    payload = {**device.subscription_info(), "label": "Chrome · Android"}
    if endpoint is not None:
        payload["endpoint"] = endpoint
    return post(client, "/api/core/push/subscriptions", payload)


def send_test_and_work(client, worker_app) -> None:
    """Tap "Gửi thử cho tôi", then let a worker run once."""
    assert post(client, "/api/core/push/test", {}).status_code == 202
    with worker_app.app_context():
        worker.run_once()


def only_delivery(app) -> Delivery:
    with app.app_context():
        [row] = db.session.scalars(select(Delivery)).all()
        db.session.expunge_all()
        return row


def devices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PushSubscription))


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1:5250/x",
        "https://10.0.0.1:1/push/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/push/x",
        "https://localhost/push/x",
        "https://2130706433/push/x",
        "https://evilfcm.googleapis.com/fcm/send/x",
        "https://evilfcm.googleapis.com.attacker/fcm/send/x",
        "https://fcm.googleapis.com.attacker.example/fcm/send/x",
    ],
)
def test_endpoints_off_the_browsers_push_services_are_refused(
    app, client, login, push_service, parent, endpoint
):
    login(parent.phone)
    response = subscribe(client, push_service.new_device(), endpoint)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert body["errors"] == {"endpoint": [NOT_RECOGNISED]}
    assert devices(app) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABm",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAD",
        "https://FCM.googleapis.com./fcm/send/upper-case-and-root-dot",
    ],
)
def test_endpoints_on_the_browsers_push_services_are_accepted(
    app, client, login, push_service, parent, endpoint
):
    login(parent.phone)
    assert subscribe(client, push_service.new_device(), endpoint).status_code == 201
    assert devices(app) == 1


@pytest.mark.parametrize("push_hosts", [f"{PUSH_SERVICES},10.0.0.5"])
@pytest.mark.parametrize(
    "endpoint", ["http://fcm.googleapis.com/fcm/send/x", "http://10.0.0.5/push/x"]
)
def test_plain_http_is_only_for_a_listed_loopback_address(
    app, client, login, push_service, parent, endpoint
):
    login(parent.phone)
    response = subscribe(client, push_service.new_device(), endpoint)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"endpoint": [HTTPS_ONLY]}
    assert devices(app) == 0


@pytest.mark.parametrize("push_hosts", [WITH_LOCAL_SERVICE])
def test_the_local_push_service_works_once_listed(app, client, login, push_service, parent):
    device = push_service.new_device()
    login(parent.phone)
    assert subscribe(client, device).status_code == 201
    send_test_and_work(client, app)
    assert push_service.wait_for(device, 1)[0].json()["title"] == "Đã bật thông báo"
    assert only_delivery(app).status == DeliveryStatus.DELIVERED


@pytest.mark.parametrize("push_hosts", ["localhost"])
def test_a_listed_name_pointing_inside_is_never_connected_to(
    app, client, login, push_service, parent, listener
):
    login(parent.phone)
    endpoint = f"https://localhost:{listener.port}/push/x"
    assert subscribe(client, push_service.new_device(), endpoint).status_code == 201
    send_test_and_work(client, app)
    assert not listener.was_connected_to()
    row = only_delivery(app)
    assert row.status == DeliveryStatus.DEAD, "a configuration error is not retried"
    assert row.attempts == 1
    assert row.last_error.startswith("configuration error: localhost resolves to")
    assert "127.0.0.1" in row.last_error
    assert devices(app) == 1, "the device is kept"


@pytest.mark.parametrize("push_hosts", [WITH_LOCAL_SERVICE])
def test_devices_on_a_push_service_no_longer_listed_get_nothing(
    app, client, login, another_app, push_service, parent
):
    device = push_service.new_device()
    login(parent.phone)
    assert subscribe(client, device).status_code == 201
    production_worker = another_app(CONTACTBOOK_PUSH_SERVICE_HOSTS=PUSH_SERVICES)
    send_test_and_work(client, production_worker)
    assert push_service.attempts[device.endpoint] == 0
    row = only_delivery(app)
    assert row.status == DeliveryStatus.DEAD
    assert row.last_error == (
        "configuration error: 127.0.0.1: "
        "plain http goes only to a loopback address listed in CONTACTBOOK_PUSH_SERVICE_HOSTS"
    )
    assert devices(app) == 1


@pytest.mark.parametrize("push_hosts", [WITH_LOCAL_SERVICE])
@pytest.mark.parametrize("target", ["https://localhost:{port}/x", "http://127.0.0.2:{port}/x"])
def test_a_push_service_cannot_redirect_us_elsewhere(
    app, client, login, push_service, parent, listener, target
):
    device = push_service.new_device()
    push_service.respond(device, (307, {"Location": target.format(port=listener.port)}))
    login(parent.phone)
    assert subscribe(client, device).status_code == 201
    send_test_and_work(client, app)
    assert push_service.attempts[device.endpoint] == 1
    assert not listener.was_connected_to()
    row = only_delivery(app)
    assert row.status == DeliveryStatus.DEAD
    assert row.last_error.startswith("configuration error:")


@pytest.mark.parametrize("setting", ["https://fcm.googleapis.com/", "*.push.apple.com"])
def test_a_malformed_setting_stops_start_up(app_config, setting):
    with pytest.raises(ValueError, match="CONTACTBOOK_PUSH_SERVICE_HOSTS"):
        create_app({**app_config, "CONTACTBOOK_PUSH_SERVICE_HOSTS": setting})


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("142.250.66.74", True),
        ("2a00:1450:4001:82b::200a", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.251", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:142.250.66.74", True),
        ("2002:7f00:1::", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b::8efa:424a", True),
    ],
)
def test_only_public_addresses_count_as_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.browser
def test_a_phone_whose_push_service_is_unknown_is_told_so(
    app, live_server, phone, push_service, parent
):
    unknown = {
        **push_service.new_device().subscription_info(),
        "endpoint": "https://push.example.net/x",
    }
    phone.add_init_script(script=LOCAL_PUSH_SERVICE % json.dumps(unknown))
    phone.grant_permissions(["notifications"], origin=live_server)
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    page.get_by_role("button", name="Bật thông báo").click()
    status = page.locator("#push .status")
    status.filter(has_text=NOT_RECOGNISED).wait_for()
    assert "field-error" in status.get_attribute("class")
    assert devices(app) == 0

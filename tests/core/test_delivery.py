"""The outbox and the worker against a real local push service and SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from contactbook.core.delivery import worker
from contactbook.core.delivery.channels import Outcome, SendResult
from contactbook.core.delivery.channels.webpush import JWT_LIFETIME, VapidSigner
from contactbook.core.delivery.models import Delivery, DeliveryStatus, PushSubscription
from contactbook.core.delivery.notify import end_of_quiet_hours, notify
from contactbook.core.directory.models import User
from contactbook.core.platform.module_contract import Role, Urgency
from contactbook.extensions import db
from tests.conftest import VAPID_PEM
from tests.pushservice import Stall
from tests.smsgateway import SmsGateway
from tests.together import in_app, run_together


@pytest.fixture
def app_config(app_config, mail_server):
    return {
        **app_config,
        "CONTACTBOOK_SMTP_HOST": mail_server.host,
        "CONTACTBOOK_SMTP_PORT": mail_server.port,
        "CONTACTBOOK_BASE_URL": "https://sll.example.edu.vn",
        "CONTACTBOOK_SEND_TIMEOUT_SECONDS": 1,
    }


@pytest.fixture
def school(make_school):
    return make_school()


@pytest.fixture
def family(school, make_user):
    return make_user(Role.GUARDIAN, school, name="Chị Mai")


def subscribe(app, user, device, label="Chrome · Android") -> int:
    with app.app_context():
        row = PushSubscription(
            user_id=user.id,
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth,
            label=label,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def send_test_to(app, user, urgency=Urgency.HIGH) -> None:
    with app.app_context():
        notify([db.session.get(User, user.id)], "core.test", urgency=urgency, name="Mai")
        db.session.commit()


def drain(app, later: timedelta = timedelta(0)) -> None:
    """Run one worker pass as if `later` had passed since now."""
    with app.app_context():
        worker.run_once(now=datetime.now(UTC) + later)


def deliveries(app) -> list[Delivery]:
    with app.app_context():
        rows = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
        db.session.expunge_all()
        return rows


def test_a_push_arrives_signed_encrypted_and_worded(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    send_test_to(app, family)
    drain(app)
    [message] = push_service.wait_for(device, 1)
    assert push_service.rejections == []
    body = message.json()
    assert body["title"] == "Đã bật thông báo"
    assert body["url"] == "/notifications"
    assert body["id"] == deliveries(app)[0].notification_id, "lets the phone drop a repeat"
    assert message.urgency == "high"
    assert message.ttl == 300
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.DELIVERED
    with app.app_context():
        assert db.session.get(PushSubscription, row.subscription_id).last_success_at is not None


def test_gone_subscriptions_are_forgotten(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    push_service.respond(device, 410)
    send_test_to(app, family)
    drain(app)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.DEAD
    assert "410" in row.last_error
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize("status", [400, 403, 413])
def test_our_own_mistakes_are_not_retried_and_keep_the_device(app, push_service, family, status):
    device = push_service.new_device()
    subscribe(app, family, device)
    push_service.respond(device, status)
    send_test_to(app, family)
    drain(app)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.DEAD
    assert "configuration or payload error" in row.last_error
    assert push_service.attempts[device.endpoint] == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_busy_services_are_retried_honouring_retry_after(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    push_service.respond(device, (429, {"Retry-After": "120"}), 500, 503)
    send_test_to(app, family)
    drain(app)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.PENDING
    assert row.next_attempt_at >= datetime.now(UTC) + timedelta(seconds=110)

    drain(app, later=timedelta(seconds=60))
    assert push_service.attempts[device.endpoint] == 1, "not before Retry-After"
    clock = timedelta(0)
    for _ in range(3):
        clock += timedelta(hours=2)
        drain(app, later=clock)
    assert len(push_service.wait_for(device, 1)) == 1
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.DELIVERED
    assert row.attempts == 4
    drain(app, later=clock + timedelta(days=1))
    assert len(device.received) == 1, "delivered once, never again"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("failure", ["silent", "unreachable"])
def test_a_silent_or_unreachable_push_service_is_tried_again_later(
    app, push_service, family, failure
):
    device = push_service.new_device()
    subscription_id = subscribe(app, family, device)
    if failure == "silent":
        push_service.respond(device, Stall(seconds=5))
    else:
        with app.app_context():
            row = db.session.get(PushSubscription, subscription_id)
            row.endpoint = f"http://127.0.0.1:{closed_port()}/push/phone"
            db.session.commit()
    send_test_to(app, family)
    drain(app)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.PENDING
    assert row.last_error.startswith("network:")
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=20)
    with app.app_context():
        assert db.session.get(PushSubscription, subscription_id) is not None, "device kept"
    if failure == "silent":
        drain(app, later=timedelta(minutes=2))
        assert len(push_service.wait_for(device, 1)) == 1
        assert deliveries(app)[0].status == DeliveryStatus.DELIVERED


def test_the_worker_drains_batch_after_batch_recording_every_result(
    app, push_service, school, make_user
):
    devices = []
    for _ in range(7):
        user = make_user(Role.GUARDIAN, school)
        devices.append(push_service.new_device())
        subscribe(app, user, devices[-1])
        send_test_to(app, user)
    push_service.respond(devices[2], 410)
    push_service.respond(devices[5], 503)
    with app.app_context():
        assert worker.drain(batch=2) == 7
    statuses = [row.status for row in deliveries(app)]
    assert statuses.count(DeliveryStatus.DELIVERED) == 5
    assert statuses.count(DeliveryStatus.PENDING) == 1, "the busy service is tried later"
    assert statuses.count(DeliveryStatus.DEAD) == 1
    for index, device in enumerate(devices):
        assert push_service.attempts[device.endpoint] == 1
        assert len(device.received) == (0 if index in (2, 5) else 1)
    with app.app_context():
        remaining = db.session.scalar(select(func.count()).select_from(PushSubscription))
        assert remaining == 6, "the unsubscribed phone is forgotten"
        assert worker.drain(batch=2) == 0, "nothing is due until the retry time"


def test_flask_notify_worker_once_delivers_what_is_due(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    send_test_to(app, family)
    result = app.test_cli_runner().invoke(args=["notify", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 deliveries attempted" in result.output
    assert len(push_service.wait_for(device, 1)) == 1


def test_after_the_last_try_a_delivery_is_dead_and_an_admin_can_retry_it(
    app, client, login, push_service, make_school, make_user, make_classroom, make_student
):
    school = make_school()
    parent = make_user(Role.GUARDIAN, school)
    room = make_classroom(school, "6A")
    child = make_student(room, school, "Lê Minh Anh", guardians=(parent,))
    device = push_service.new_device()
    subscribe(app, parent, device)
    push_service.respond(device, *[500] * worker.MAX_ATTEMPTS)
    with app.app_context():
        notify([db.session.get(User, parent.id)], "core.test", student_id=child.id, name="Mai")
        db.session.commit()
    clock = timedelta(0)
    for _ in range(worker.MAX_ATTEMPTS):
        drain(app, later=clock)
        clock += timedelta(hours=2)
    [row] = deliveries(app)
    assert row.status == DeliveryStatus.DEAD
    assert row.attempts == worker.MAX_ATTEMPTS
    assert row.last_error == "HTTP 500"

    login(make_user(Role.SCHOOL_ADMIN, school).phone)
    page = client.get("/admin/deliveries").get_data(as_text=True)
    assert "HTTP 500" in page
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    retry = client.post(f"/api/core/deliveries/{row.id}/retry", headers={"X-CSRFToken": token})
    assert retry.status_code == 204
    drain(app)
    assert len(push_service.wait_for(device, 1)) == 1


def test_other_schools_admins_cannot_retry(app, client, login, make_school, make_user, family):
    login(make_user(Role.SCHOOL_ADMIN, make_school()).phone)
    page = client.get("/admin/deliveries").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/api/core/deliveries/1/retry", headers={"X-CSRFToken": token})
    assert response.status_code == 404


def test_guardians_without_a_device_get_email(app, mail_server, family):
    with app.app_context():
        user = db.session.get(User, family.id)
        user.email = "mai@example.invalid"
        db.session.commit()
    send_test_to(app, family)
    drain(app)
    [mail] = mail_server.wait_for(1)
    assert mail["To"] == "mai@example.invalid"
    assert mail["Subject"] == "Đã bật thông báo"
    assert "https://sll.example.edu.vn/notifications" in mail.get_content()


def test_one_broken_delivery_does_not_stop_the_others(app, push_service, family, school, make_user):
    broken = push_service.new_device()
    subscribe(app, family, broken)
    with app.app_context():
        row = db.session.scalar(select(PushSubscription))
        row.p256dh = "AAAA"  # not a public key: encryption fails inside pywebpush
        db.session.commit()
    other = make_user(Role.GUARDIAN, school)
    healthy = push_service.new_device()
    subscribe(app, other, healthy)
    send_test_to(app, family)
    send_test_to(app, other)
    drain(app)
    assert len(push_service.wait_for(healthy, 1)) == 1
    failed = next(row for row in deliveries(app) if row.status != DeliveryStatus.DELIVERED)
    assert failed.last_error.startswith("unexpected:")


def test_quiet_hours_span_midnight():
    user = User(quiet_start=time(21, 0), quiet_end=time(6, 0))
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    evening = datetime(2026, 11, 27, 22, 30, tzinfo=zone)
    assert end_of_quiet_hours(user, evening) == datetime(2026, 11, 28, 6, 0, tzinfo=zone)
    assert end_of_quiet_hours(user, evening.replace(hour=5)) == evening.replace(hour=6, minute=0)
    assert end_of_quiet_hours(user, evening.replace(hour=10)) is None


def test_ordinary_news_waits_for_the_end_of_quiet_hours_urgent_news_does_not(
    app, push_service, family
):
    device = push_service.new_device()
    subscribe(app, family, device)
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    local_now = datetime.now(zone)
    with app.app_context():
        user = db.session.get(User, family.id)
        user.quiet_start = (local_now - timedelta(hours=1)).time().replace(microsecond=0)
        user.quiet_end = (local_now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
        db.session.commit()
        quiet_end = user.quiet_end
    send_test_to(app, family, urgency=Urgency.NORMAL)
    send_test_to(app, family, urgency=Urgency.HIGH)
    ordinary, urgent = deliveries(app)
    expected = datetime.combine((local_now + timedelta(hours=1)).date(), quiet_end, tzinfo=zone)
    assert ordinary.next_attempt_at == expected
    assert urgent.next_attempt_at <= datetime.now(UTC)
    drain(app)
    assert [m.urgency for m in push_service.wait_for(device, 1)] == ["high"]


@pytest.mark.parametrize(("mode", "planned"), [("now", 1), ("summary", 0), ("off", 0)])
def test_each_family_chooses_what_arrives_at_once(
    app, client, login, push_service, family, make_classroom, make_student, school, mode, planned
):
    subscribe(app, family, push_service.new_device())
    login(family.phone)
    token = client.get("/").get_data(as_text=True).split('name="csrf-token" content="')[1]
    response = client.put(
        "/api/core/preferences",
        json={"events": {"classbook.grade_recorded": mode}},
        headers={"X-CSRFToken": token.split('"')[0]},
    )
    assert response.status_code == 204
    room = make_classroom(school, "6A")
    child = make_student(room, school, guardians=(family,))
    with app.app_context():
        parent = db.session.get(User, family.id)
        notify(
            [parent],
            "classbook.grade_recorded",
            student_id=child.id,
            student_name="Anh",
            subject="Toán",
            kind="regular",
            slot=1,
            before=None,
            after=None,
        )
        notify(
            [parent],
            "classbook.health_note_added",
            student_id=child.id,
            urgency=Urgency.HIGH,
            student_name="Anh",
            category="illness",
            note_id=1,
        )
        db.session.commit()
    events = [row.notification.event for row in _with_notifications(app)]
    assert events.count("classbook.grade_recorded") == planned
    assert events.count("classbook.health_note_added") == 1, "urgent news ignores the choice"


def _with_notifications(app) -> list[Delivery]:
    with app.app_context():
        rows = db.session.scalars(
            select(Delivery).options(selectinload(Delivery.notification))
        ).all()
        db.session.expunge_all()
        return rows


def test_two_workers_deliver_each_row_once(app, another_app, push_service, school, make_user):
    devices = []
    for _ in range(6):
        user = make_user(Role.GUARDIAN, school)
        device = push_service.new_device()
        subscribe(app, user, device)
        for _ in range(3):
            send_test_to(app, user)
        devices.append(device)
    workers = [another_app(), another_app()]
    run_together([in_app(flask_app, worker.drain, batch=2) for flask_app in workers])
    assert sum(push_service.attempts.values()) == 18
    assert all(len(device.received) == 3 for device in devices)
    assert {row.status for row in deliveries(app)} == {DeliveryStatus.DELIVERED}


def test_the_vapid_token_is_reused_until_shortly_before_it_expires():
    signer = VapidSigner(VAPID_PEM.encode(), "mailto:tests@example.invalid")
    first = signer.authorization("https://push.example/a", now=1_000_000)
    assert signer.authorization("https://push.example/b", now=1_000_100) == first
    assert signer.authorization("https://other.example/a", now=1_000_100) != first
    later = 1_000_000 + JWT_LIFETIME - 60
    assert signer.authorization("https://push.example/a", now=later) != first


def test_backoff_grows_with_jitter_and_respects_retry_after():
    import random

    rng = random.Random(1)
    delays = [worker.retry_delay(n, SendResult(Outcome.RETRY), rng) for n in (1, 2, 3, 10)]
    assert 24 <= delays[0] <= 36
    assert 48 <= delays[1] <= 72
    assert delays[3] <= worker.LONGEST_RETRY * 1.2
    assert worker.retry_delay(1, SendResult(Outcome.RETRY, retry_after=600), rng) == 600


def test_sms_goes_through_the_http_gateway_when_switched_on(app, school, make_user):
    received: list[dict] = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        app.config["CONTACTBOOK_SMS_GATEWAY_URL"] = f"http://127.0.0.1:{server.server_port}/sms"
        grandma = make_user(Role.GUARDIAN, school, phone="0987 654 321")
        send_test_to(app, grandma)
        drain(app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert received == [
        {"to": "+84987654321", "text": "Đã bật thông báo https://sll.example.edu.vn/notifications"}
    ]
    assert [row.status for row in deliveries(app)] == [DeliveryStatus.DELIVERED]


def test_sms_is_off_by_default(app, family):
    send_test_to(app, family)
    assert deliveries(app) == []


def test_an_oversized_message_is_trimmed_to_fit_one_push(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    with app.app_context():
        notify(
            [db.session.get(User, family.id)], "core.test", urgency=Urgency.HIGH, name="M" * 9000
        )
        db.session.commit()
    drain(app)
    [message] = push_service.wait_for(device, 1)
    assert len(message.payload) <= 3800
    assert message.json()["body"].endswith("…")
    assert push_service.rejections == []


def test_topics_are_namespaced_by_the_module_of_their_event(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    with app.app_context():
        user = db.session.get(User, family.id)
        with pytest.raises(ValueError, match="core."):
            notify([user], "core.test", topic="grade-1", name="Mai")
        for day in ("20261119", "20261120"):
            notify([user], "core.test", topic=f"core.summary-2147483647-{day}", name="Mai")
        db.session.commit()
    drain(app)
    first, second = push_service.wait_for(device, 2)
    assert first.topic != second.topic, "long topics keep apart in the 32 characters of a push"
    assert push_service.rejections == []


def test_flask_push_vapid_writes_a_private_key_once(app, tmp_path):
    app.instance_path = str(tmp_path)
    app.config["CONTACTBOOK_VAPID_PRIVATE_KEY"] = ""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["push", "vapid"])
    assert first.exit_code == 0, first.output
    key_file = tmp_path / "vapid_private.pem"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    pem = key_file.read_bytes()
    again = runner.invoke(args=["push", "vapid"])
    assert "keeping it" in again.output
    assert key_file.read_bytes() == pem


def test_a_delivery_whose_worker_died_is_sent_again_with_the_same_id(app, push_service, family):
    device = push_service.new_device()
    subscribe(app, family, device)
    send_test_to(app, family)
    with app.app_context():
        assert worker.claim() != [], "claimed by a worker that then dies"
    drain(app)
    assert device.received == [], "not while the lease runs"
    drain(app, later=worker.LEASE + timedelta(seconds=1))
    [message] = push_service.wait_for(device, 1)
    assert message.json()["id"] == deliveries(app)[0].notification_id


def test_a_delivery_gone_while_on_the_wire_does_not_stop_the_worker_recording_the_rest(
    app, school, make_user
):
    first, second = (make_user(Role.GUARDIAN, school, phone=f"0987 654 32{n}") for n in (1, 2))
    with SmsGateway() as gateway:
        app.config["CONTACTBOOK_SMS_GATEWAY_URL"] = gateway.url
        app.config["CONTACTBOOK_SEND_TIMEOUT_SECONDS"] = 10
        send_test_to(app, first)
        send_test_to(app, second)
        [gone, kept] = deliveries(app)
        gateway.hold()
        errors: list[BaseException] = []

        def drain_batches_of_one() -> None:
            try:
                with app.app_context():
                    worker.drain(batch=1)
                    db.session.remove()
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        sending = threading.Thread(target=drain_batches_of_one)
        sending.start()
        gateway.wait_until_held()
        with app.app_context():
            db.session.delete(db.session.get(Delivery, gone.id))
            db.session.commit()
        gateway.release()
        sending.join(timeout=30)
        assert errors == []
        drain(app, later=worker.LEASE + timedelta(minutes=1))
    assert [(row.id, row.status) for row in deliveries(app)] == [
        (kept.id, DeliveryStatus.DELIVERED)
    ]
    assert sorted(message["to"] for message in gateway.received) == ["+84987654321", "+84987654322"]


@pytest.mark.parametrize(
    ("role", "in_menu"),
    [
        (Role.SCHOOL_ADMIN, True),
        (Role.DISTRICT_ADMIN, True),
        (Role.TEACHER, False),
        (Role.GUARDIAN, False),
    ],
)
def test_delivery_problems_are_a_tap_away_for_admins_only(
    client, login, make_school, make_user, role, in_menu
):
    login(make_user(role, make_school()).phone)
    home = client.get("/").get_data(as_text=True)
    assert ('href="/admin/deliveries"' in home) is in_menu
    assert client.get("/admin/deliveries").status_code == (200 if in_menu else 404)

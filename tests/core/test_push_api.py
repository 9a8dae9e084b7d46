"""Turning notifications on: devices are checked, listed, removable, and testable."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contactbook.core.delivery import worker
from contactbook.core.delivery.models import PushSubscription
from contactbook.core.delivery.notify import notify
from contactbook.core.directory.models import User
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import csrf_token_from


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school(), name="Chị Mai")


def post(client, path, payload):
    return client.post(path, json=payload, headers={"X-CSRFToken": csrf_token_from(client, "/")})


def devices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PushSubscription))


def test_a_device_is_listed_tested_and_removed(app, client, login, push_service, parent):
    device = push_service.new_device()
    login(parent.phone)
    created = post(
        client,
        "/api/core/push/subscriptions",
        {**device.subscription_info(), "label": "Chrome · Android"},
    )
    assert created.status_code == 201
    page = client.get("/notifications").get_data(as_text=True)
    assert "Chrome · Android" in page
    assert "Bật thông báo" in page

    assert post(client, "/api/core/push/test", {}).status_code == 202
    with app.app_context():
        worker.run_once()
    assert push_service.wait_for(device, 1)[0].json()["title"] == "Đã bật thông báo"

    token = csrf_token_from(client, "/")
    removed = client.delete(
        f"/api/core/push/subscriptions/{created.get_json()['id']}", headers={"X-CSRFToken": token}
    )
    assert removed.status_code == 204
    assert devices(app) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "not a url"}, "endpoint"),
        ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys"),
        ({"keys": {"p256dh": None, "auth": "x"}}, "keys"),
    ],
)
def test_malformed_subscriptions_are_refused(
    app, client, login, push_service, parent, change, field
):
    login(parent.phone)
    payload = {**push_service.new_device().subscription_info(), **change}
    response = post(client, "/api/core/push/subscriptions", payload)
    assert response.status_code == 422
    assert {key.split(".")[0] for key in response.get_json()["errors"]} == {field}
    assert devices(app) == 0


def test_push_endpoints_must_use_https(app, client, login, push_service, parent):
    login(parent.phone)
    payload = push_service.new_device().subscription_info()
    payload["endpoint"] = "http://push.example.com/abc"
    response = post(client, "/api/core/push/subscriptions", payload)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "endpoint": ["Địa chỉ nhận thông báo phải dùng https."]
    }


def test_a_server_without_a_push_key_says_so(
    app, another_app, login, parent, tmp_path, monkeypatch
):
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path / "no-key"))
    keyless = another_app(CONTACTBOOK_VAPID_PRIVATE_KEY="").test_client()
    login(parent.phone, on=keyless)
    response = keyless.get("/api/core/push/key")
    assert response.status_code == 503
    assert response.get_json()["message"] == (
        "Máy chủ chưa được cài đặt để gửi thông báo tới điện thoại (chưa có khóa VAPID)."
    )


def test_someone_elses_device_cannot_be_removed(
    app, client, login, push_service, parent, make_user, make_school
):
    other = make_user(Role.GUARDIAN, make_school())
    device = push_service.new_device()
    with app.app_context():
        row = PushSubscription(
            user_id=parent.id, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth
        )
        db.session.add(row)
        db.session.commit()
        row_id = row.id
    login(other.phone)
    token = csrf_token_from(client, "/")
    assert (
        client.delete(
            f"/api/core/push/subscriptions/{row_id}", headers={"X-CSRFToken": token}
        ).status_code
        == 404
    )
    assert devices(app) == 1


def test_unknown_event_types_and_modes_are_refused(client, login, parent):
    login(parent.phone)
    token = csrf_token_from(client, "/")
    unknown = client.put(
        "/api/core/preferences",
        json={"events": {"nope.nothing": "now"}},
        headers={"X-CSRFToken": token},
    )
    assert unknown.status_code == 422
    bad_mode = client.put(
        "/api/core/preferences",
        json={"events": {"classbook.grade_recorded": "loud"}},
        headers={"X-CSRFToken": token},
    )
    assert bad_mode.status_code == 422


def test_inbox_counts_unread_and_marks_read(app, client, login, parent):
    with app.app_context():
        user = db.session.get(User, parent.id)
        for _ in range(3):
            notify([user], "core.test", name="Mai")
        db.session.commit()
    login(parent.phone)
    page = client.get("/inbox").get_data(as_text=True)
    assert 'class="badge">3<span class="visually-hidden"> chưa đọc</span>' in page
    first_read = page.split('data-read="')[1].split('"')[0]
    token = csrf_token_from(client, "/")
    assert client.post(first_read, headers={"X-CSRFToken": token}).status_code == 204
    assert 'class="badge">2<span class="visually-hidden"> chưa đọc</span>' in client.get(
        "/"
    ).get_data(as_text=True)
    assert (
        client.post("/api/core/inbox/read-all", headers={"X-CSRFToken": token}).status_code == 204
    )
    assert "chưa đọc" not in client.get("/").get_data(as_text=True)

"""Bad input to the platform's routes is a 4xx with the usual error body, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contactbook.core.delivery.models import Notification, PushSubscription
from contactbook.core.delivery.notify import notify
from contactbook.core.directory.models import User
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import assert_error, csrf_token_from

# Past PostgreSQL's `integer`, and past any 64-bit integer (SQLite's).
TOO_BIG = [2**31, 2**63]


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school(), name="Chị Mai")


def send(client, method: str, path: str, **kwargs):
    headers = {"X-CSRFToken": csrf_token_from(client, "/")}
    return client.open(path, method=method, headers=headers, **kwargs)


def unread(app, user) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )


def devices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PushSubscription))


@pytest.mark.parametrize("big", TOO_BIG)
def test_ids_no_column_can_hold_are_missing_objects(client, login, parent, big):
    login(parent.phone)
    assert assert_error(send(client, "POST", f"/api/core/inbox/{big}/read"), 404) == {}
    assert assert_error(send(client, "DELETE", f"/api/core/push/subscriptions/{big}"), 404) == {}
    assert assert_error(send(client, "POST", f"/api/core/deliveries/{big}/retry"), 404) == {}
    page = client.get(f"/classes/{big}")
    assert page.status_code == 404
    assert "Trang này không tồn tại" in page.get_data(as_text=True)


def test_an_id_in_other_digits_names_nothing(app, client, login, parent):
    with app.app_context():
        notify([db.session.get(User, parent.id)], "core.test", name="Mai")
        db.session.commit()
        [notification_id] = db.session.scalars(select(Notification.id)).all()
    login(parent.phone)
    arabic_indic = str(notification_id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert_error(send(client, "POST", f"/api/core/inbox/{arabic_indic}/read"), 404)
    assert unread(app, parent) == 1


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        '{"events": {}, "quiet_start": ' + "[" * 5_000 + "]" * 5_000 + "}",
        '{"events": NaN}',
        '{"events": {}, "quiet_start": Infinity}',
        '{"events": {}, "quiet_start": 1e999}',
        '{"events": {"\\udcff": "now"}}',
        b'{"events": {"\xff": "now"}}',
        '{"events": {}, "quiet_start": "21:00\\u0000"}',
    ],
    ids=["deep", "deep-field", "nan", "infinity", "overflow", "lone-surrogate", "not-utf8", "nul"],
)
def test_json_no_model_can_hold_is_a_bad_request(client, login, parent, body):
    login(parent.phone)
    response = send(
        client, "PUT", "/api/core/preferences", data=body, content_type="application/json"
    )
    assert assert_error(response, 400) == {}


def test_a_body_too_large_to_be_a_form_is_refused_unread(client, login, parent):
    login(parent.phone)
    body = '{"events": {}, "padding": "' + "x" * 2_000_000 + '"}'
    response = send(
        client, "PUT", "/api/core/preferences", data=body, content_type="application/json"
    )
    assert assert_error(response, 413) == {}
    assert response.get_json()["message"] == "Nội dung gửi lên quá lớn."


def test_a_device_label_that_is_not_text_stores_nothing(app, client, login, push_service, parent):
    login(parent.phone)
    payload = {**push_service.new_device().subscription_info(), "label": "Chrome \udcff"}
    response = send(client, "POST", "/api/core/push/subscriptions", json=payload)
    assert assert_error(response, 400) == {}
    assert devices(app) == 0


def test_nested_schema_errors_are_dotted_paths(app, client, login, push_service, parent):
    login(parent.phone)
    device = push_service.new_device().subscription_info()
    payload = {**device, "keys": {**device["keys"], "auth": "AAAA"}}
    errors = assert_error(send(client, "POST", "/api/core/push/subscriptions", json=payload), 422)
    assert errors == {"keys.auth": ["The auth secret must be 16 bytes."]}

    bad_mode = {"events": {"classbook.grade_recorded": "loud"}, "quiet_start": "25:00"}
    errors = assert_error(send(client, "PUT", "/api/core/preferences", json=bad_mode), 422)
    assert set(errors) == {"events.classbook.grade_recorded.value", "quiet_start"}
    assert devices(app) == 0


def test_service_errors_have_the_same_shape(client, login, parent):
    login(parent.phone)
    response = send(client, "PUT", "/api/core/preferences", json={"events": {"nope.x": "now"}})
    assert list(assert_error(response, 422)) == ["events"]


def test_a_method_a_route_lacks_names_the_allowed_ones(client, login, parent):
    login(parent.phone)
    response = send(client, "DELETE", "/api/core/push/key")
    assert assert_error(response, 405) == {}
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    page = client.get("/signout")
    assert page.status_code == 405
    assert "POST" in page.headers["Allow"]


def test_the_nul_character_in_a_form_or_a_query_is_a_bad_request(client, login, parent):
    token = csrf_token_from(client)
    form = client.post(
        "/signin", data={"identifier": "0912\x00345678", "password": "x", "csrf_token": token}
    )
    assert form.status_code == 400
    login(parent.phone)
    assert client.get("/inbox?page=\x00").status_code == 400

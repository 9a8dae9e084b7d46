"""Sign-in, sessions that end on the server, password change, rate limits and CSRF."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from contactbook.core.directory import identity
from contactbook.core.directory.models import User
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import PASSWORD, csrf_token_from
from tests.servers import redis_url


@pytest.fixture
def teacher(make_school, make_user):
    return make_user(Role.TEACHER, make_school(), phone="0912 345 678", name="Cô Lan")


def test_sign_in_with_any_spelling_of_the_phone_number(client, login, teacher):
    response = login("+84 912 345 678")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Cô Lan" in client.get("/").get_data(as_text=True)


def test_sign_in_with_username(client, login, make_school, make_user):
    make_user(Role.SCHOOL_ADMIN, make_school(), username="hieu.truong")
    assert login("Hieu.Truong").status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client, login, teacher):
    wrong = login("0912345678", "not the password")
    unknown = login("0987654321", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "Sai số điện thoại, tên đăng nhập hoặc mật khẩu."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_malformed_phone_number_is_explained(login):
    response = login("0912 34", PASSWORD)
    assert response.status_code == 400
    assert "không phải số di động Việt Nam hợp lệ" in response.get_data(as_text=True)


def test_empty_form_is_a_clear_400(client):
    token = csrf_token_from(client)
    response = client.post("/signin", data={"csrf_token": token})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Vui lòng điền vào ô này.") == 2


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=")


def test_next_is_followed_only_within_the_site(client, teacher):
    token = csrf_token_from(client)
    form = {"identifier": "0912345678", "password": PASSWORD, "csrf_token": token}
    response = client.post("/signin?next=https://evil.example/", data=form)
    assert response.headers["Location"] == "/"


def test_session_is_rotated_on_sign_in(app, client, login, teacher):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login("0912345678")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session[identity.SESSION_KEY]


def test_captured_cookie_stops_working_after_sign_out(app, client, login, teacher):
    login("0912345678")
    stolen = client.get_cookie("session").value
    token = csrf_token_from(client, "/")
    assert client.post("/signout", data={"csrf_token": token}).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions_at_the_next_request(app, client, login, teacher):
    login("0912345678")
    assert client.get("/").status_code == 200
    with app.app_context():
        identity.disable_user(None, db.session.get(User, teacher.id))
    assert client.get("/").status_code == 302
    assert login("0912345678").status_code == 401


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, login, teacher):
    other_device = app.test_client()
    login("0912345678")
    login("0912345678", on=other_device)
    token = csrf_token_from(client, "/password")
    response = client.post(
        "/password",
        data={
            "current": PASSWORD,
            "new": "a new long secret",
            "confirm": "a new long secret",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    assert login("0912345678", PASSWORD, on=app.test_client()).status_code == 401
    assert login("0912345678", "a new long secret", on=app.test_client()).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "core.password_change" in actions


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong", "a new long secret", "a new long secret", "Mật khẩu hiện tại không đúng."),
        (PASSWORD, "short", "short", "Dùng ít nhất 8 ký tự."),
        (PASSWORD, "a new long secret", "another secret", "Hai mật khẩu không khớp."),
    ],
)
def test_password_change_refuses_bad_input(
    app, client, login, teacher, current, new, confirm, message
):
    login("0912345678")
    token = csrf_token_from(client, "/password")
    response = client.post(
        "/password", data={"current": current, "new": new, "confirm": confirm, "csrf_token": token}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert login("0912345678", PASSWORD, on=app.test_client()).status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("12345678", "Mật khẩu này quá phổ biến hoặc quá dễ đoán."),
        ("aaaaaaaa", "Mật khẩu này quá phổ biến hoặc quá dễ đoán."),
        ("iloveyou", "Mật khẩu này quá phổ biến hoặc quá dễ đoán."),
        ("qwertyui", "Mật khẩu này quá phổ biến hoặc quá dễ đoán."),
        ("lanlanlan", "Mật khẩu này quá phổ biến hoặc quá dễ đoán."),
        (PASSWORD, "Mật khẩu mới phải khác mật khẩu hiện tại."),
        ("0912345678", "Không dùng số điện thoại của bạn trong mật khẩu."),
        ("+84 912 345 678", "Không dùng số điện thoại của bạn trong mật khẩu."),
        ("lan0912345678", "Không dùng số điện thoại của bạn trong mật khẩu."),
    ],
)
def test_password_change_refuses_weak_passwords(app, client, login, teacher, new, message):
    login("0912345678")
    token = csrf_token_from(client, "/password")
    response = client.post(
        "/password", data={"current": PASSWORD, "new": new, "confirm": new, "csrf_token": token}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert login("0912345678", PASSWORD, on=app.test_client()).status_code == 302


def test_a_passphrase_is_a_good_new_password(app, client, login, teacher):
    login("0912345678")
    token = csrf_token_from(client, "/password")
    new = "mùa thu lá vàng rơi"
    response = client.post(
        "/password", data={"current": PASSWORD, "new": new, "confirm": new, "csrf_token": token}
    )
    assert response.status_code == 302
    assert login("0912345678", new, on=app.test_client()).status_code == 302


@pytest.mark.parametrize(
    "target",
    ["//evil.example/path", "/\\evil.example/path", "/\t/evil.example", "https://evil.example/"],
)
def test_next_never_leaves_the_site(client, teacher, target):
    token = csrf_token_from(client)
    form = {"identifier": "0912345678", "password": PASSWORD, "csrf_token": token}
    response = client.post("/signin", query_string={"next": target}, data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, teacher):
    token = csrf_token_from(client)
    form = {"identifier": "0912345678", "password": PASSWORD, "csrf_token": token}
    response = client.post("/signin", query_string={"next": "/inbox?page=2"}, data=form)
    assert response.headers["Location"] == "/inbox?page=2"


def test_sign_in_attempts_are_rate_limited(client, login, teacher):
    answers = [login("0912345678", "guess").status_code for _ in range(10)]
    assert answers == [401] * 10
    blocked = login("0912345678", PASSWORD)
    assert blocked.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)


def test_rate_limit_also_guards_one_account_from_many_addresses(app, teacher):
    for attempt in range(10):
        client = app.test_client()
        token = csrf_token_from(client)
        client.post(
            "/signin",
            data={"identifier": "0912345678", "password": "guess", "csrf_token": token},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
    client = app.test_client()
    token = csrf_token_from(client)
    response = client.post(
        "/signin",
        data={"identifier": "0912345678", "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert response.status_code == 429


def test_state_changes_without_csrf_token_are_refused(client, login, teacher):
    response = client.post("/signin", data={"identifier": "0912345678", "password": PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    login("0912345678")
    assert client.post("/signout").status_code == 400
    assert client.get("/").status_code == 200


def test_csrf_header_is_accepted_for_scripts(client, login, teacher):
    login("0912345678")
    token = csrf_token_from(client, "/")
    response = client.post("/signout", headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_lax(client, login, teacher):
    response = login("0912345678")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_sign_in_is_counted_in_sql(app, login, teacher):
    login("0912345678")
    login("0912345678", on=app.test_client())
    with app.app_context():
        assert db.session.get(User, teacher.id).sign_in_count == 2


def test_workers_share_sign_in_limits_through_redis(another_app, teacher):
    shared = {
        "RATELIMIT_STORAGE_URI": redis_url("shared rate limits"),
        "RATELIMIT_KEY_PREFIX": f"contactbook-test-{uuid.uuid4()}",
    }
    workers = [another_app(**shared), another_app(**shared)]
    for attempt in range(10):
        client = workers[attempt % 2].test_client()
        token = csrf_token_from(client)
        client.post(
            "/signin", data={"identifier": "0912345678", "password": "guess", "csrf_token": token}
        )
    client = workers[0].test_client()
    token = csrf_token_from(client)
    response = client.post(
        "/signin", data={"identifier": "0912345678", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429

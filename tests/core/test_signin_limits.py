"""Sign-in limits: per address, per account however spelled, per known device, behind a proxy."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from contactbook.core.platform.module_contract import Role
from tests.conftest import PASSWORD, csrf_token_from

MORNING = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SPELLINGS = [
    "0912000001",
    "+84 912 000 001",
    "(0912) 000 001",
    "84912000001",
    "0912 000 001",
    "0912.000.001",
    "0912-000-001",
    "+84912000001",
    " 0912000001 ",
    "+84 (912) 000-001",
    "091 200 0001",
    "(+84) 912.000.001",
]


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school(), phone="0912 000 001", name="Chị Hoa")


@pytest.fixture
def clock(time_machine):
    """Hold the clock still, so limit windows and waits are exact."""
    time_machine.move_to(MORNING, tick=False)
    return time_machine


def attempt(
    app: Flask,
    identifier: str,
    password: str,
    address: str = "192.0.2.1",
    on: FlaskClient | None = None,
    headers: dict[str, str] | None = None,
):
    """One sign-in through the form, from a new browser unless `on` is given."""
    client = on or app.test_client()
    environ = {"REMOTE_ADDR": address}
    token = csrf_token_from(client)
    return client.post(
        "/signin",
        data={"identifier": identifier, "password": password, "csrf_token": token},
        headers=headers or {},
        environ_base=environ,
    )


def sign_out(client: FlaskClient) -> None:
    token = csrf_token_from(client, "/")
    assert client.post("/signout", data={"csrf_token": token}).status_code == 302


def test_the_account_limit_counts_every_spelling_of_the_phone_number(app, parent, clock):
    answers = [
        attempt(app, spelling, "guess", address=f"198.51.100.{n}").status_code
        for n, spelling in enumerate(SPELLINGS)
    ]
    assert answers == [401] * 10 + [429] * 2


def test_username_and_phone_number_share_the_account_limit(app, make_school, make_user, clock):
    make_user(Role.SCHOOL_ADMIN, make_school(), phone="0912 000 009", username="hieu.truong")
    names = ["hieu.truong", "0912000009", "HIEU.TRUONG ", "+84 912 000 009"] * 3
    answers = [
        attempt(app, name, "guess", address=f"198.51.100.{n}").status_code
        for n, name in enumerate(names)
    ]
    assert answers == [401] * 10 + [429] * 2


def test_families_signing_in_often_never_use_up_the_limits(app, parent, clock):
    for _ in range(12):
        client = app.test_client()
        assert attempt(app, "0912000001", PASSWORD, on=client).status_code == 302
        sign_out(client)


def test_a_known_device_signs_in_while_others_fail_all_day(app, parent, clock):
    phone = app.test_client()
    assert attempt(app, "0912000001", PASSWORD, on=phone).status_code == 302
    sign_out(phone)

    for hour in range(3):
        for _minute in range(5):
            for n in range(10):
                attempt(app, "0912000001", "guess", address=f"203.0.113.{n}")
            clock.shift(timedelta(minutes=1, seconds=1))
        stranger = attempt(app, "0912000001", PASSWORD, address="198.51.100.77")
        assert stranger.status_code == 429
        owner = attempt(app, "0912000001", PASSWORD, address=f"10.1.{hour}.1", on=phone)
        assert owner.status_code == 302
        sign_out(phone)
        clock.shift(timedelta(minutes=55))


def test_a_known_device_is_limited_on_its_own(app, parent, clock):
    phone = app.test_client()
    assert attempt(app, "0912000001", PASSWORD, on=phone).status_code == 302
    sign_out(phone)
    answers = [attempt(app, "0912000001", "guess", on=phone).status_code for _ in range(11)]
    assert answers == [401] * 10 + [429]
    assert attempt(app, "0912000001", PASSWORD, on=phone).status_code == 429
    assert attempt(app, "0912000001", PASSWORD, address="198.51.100.5").status_code == 302


def test_a_device_known_to_another_account_shares_the_strangers_limit(
    app, parent, make_school, make_user, clock
):
    make_user(Role.GUARDIAN, make_school(), phone="0912 000 002")
    attacker = app.test_client()
    assert attempt(app, "0912000002", PASSWORD, on=attacker).status_code == 302
    sign_out(attacker)
    for n in range(10):
        attempt(app, "0912000001", "guess", address=f"203.0.113.{n}")
    assert attempt(app, "0912000001", "guess", on=attacker).status_code == 429


def test_a_forged_device_cookie_is_a_stranger(app, parent, clock):
    phone = app.test_client()
    assert attempt(app, "0912000001", PASSWORD, on=phone).status_code == 302
    cookie = phone.get_cookie("signin_device", path="/signin")
    forger = app.test_client()
    forger.set_cookie("signin_device", cookie.value[:-2] + "xx", path="/signin")
    for n in range(10):
        attempt(app, "0912000001", "guess", address=f"203.0.113.{n}")
    assert attempt(app, "0912000001", PASSWORD, on=forger).status_code == 429


def test_the_device_cookie_is_long_lived_and_hidden_from_scripts(another_app, parent, clock):
    secure_app = another_app(CONTACTBOOK_COOKIE_SECURE=True)
    response = attempt(secure_app, "0912000001", PASSWORD)
    cookie = next(
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith("signin_device=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "max-age"} <= attributes
    assert "SameSite=Lax" in cookie
    assert "Path=/signin" in cookie
    max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
    assert max_age >= 300 * 24 * 3600


def test_the_address_limit_stays_for_many_accounts(app, clock):
    answers = [attempt(app, f"09120000{n:02d}", "guess").status_code for n in range(10, 22)]
    assert answers == [401] * 10 + [429] * 2


def test_without_a_proxy_forwarded_addresses_are_ignored(app, clock):
    answers = [
        attempt(
            app, f"09120000{n:02d}", "guess", headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(10, 22)
    ]
    assert answers == [401] * 10 + [429] * 2


def test_behind_a_proxy_each_family_has_its_own_address_limit(another_app, app, clock):
    proxied = another_app(CONTACTBOOK_PROXY_HOPS=1)
    answers = [
        attempt(
            proxied,
            f"09120000{n:02d}",
            "guess",
            address="10.0.0.2",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(10, 22)
    ]
    assert answers == [401] * 12


def test_behind_a_proxy_a_client_cannot_pick_its_address(another_app, app, clock):
    proxied = another_app(CONTACTBOOK_PROXY_HOPS=1)
    answers = [
        attempt(
            proxied,
            f"09120000{n:02d}",
            "guess",
            address="10.0.0.2",
            headers={"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.9"},
        ).status_code
        for n in range(10, 22)
    ]
    assert answers == [401] * 10 + [429] * 2


def test_the_wait_is_told_from_the_limit_that_was_hit(app, parent, clock):
    for minute in range(5):
        for n in range(10):
            assert attempt(app, "0912000001", "guess", address=f"203.0.113.{n}").status_code == 401
        if minute == 0:
            blocked = attempt(app, "0912000001", "guess", address="198.51.100.1")
            assert blocked.status_code == 429
            assert blocked.headers["Retry-After"] == "60"
            assert "Vui lòng thử lại sau 1 phút." in blocked.get_data(as_text=True)
        clock.shift(timedelta(minutes=1, seconds=1))
    blocked = attempt(app, "0912000001", PASSWORD, address="198.51.100.1")
    assert blocked.status_code == 429
    waited = 5 * 61
    assert blocked.headers["Retry-After"] == str(3600 - waited)
    assert "Vui lòng thử lại sau 55 phút." in blocked.get_data(as_text=True)


def test_a_longer_wait_is_told_in_hours_and_minutes(another_app, parent, clock):
    slow = another_app(CONTACTBOOK_SIGNIN_RATE_LIMIT="2 per 3 hours")
    for n in range(2):
        attempt(slow, "0912000001", "guess", address=f"203.0.113.{n}")
    clock.shift(timedelta(minutes=20))
    client = slow.test_client()
    token = csrf_token_from(client)
    client.post("/language", data={"lang": "en", "csrf_token": token})
    blocked = attempt(slow, "0912000001", PASSWORD, on=client)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == str(2 * 3600 + 40 * 60)
    assert "Please try again in 2 hours, 40 minutes." in blocked.get_data(as_text=True)


def test_a_script_is_told_the_wait_in_json(app, parent, clock):
    for n in range(10):
        attempt(app, "0912000001", "guess", address=f"203.0.113.{n}")
    blocked = attempt(
        app, "0912000001", PASSWORD, address="198.51.100.1", headers={"Accept": "application/json"}
    )
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "60"
    assert blocked.get_json() == {
        "code": 429,
        "message": "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau 1 phút.",
        "errors": {},
    }

"""Sessions end by time (staff sooner than families), and a user sees their signed-in devices
and signs them out, one or all; an old cookie replayed afterwards opens nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from contactbook.config import SETTINGS
from contactbook.core.directory.models import UserSession
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import SESSIONS_THAT_LAST, csrf_token_from

PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
COMPUTER_BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
HANDLE = r'action="/sessions/([0-9a-f]+)/end"'


@pytest.fixture
def app_config(app_config) -> dict:
    """The lifetimes an install gets by default."""
    defaults = {key: default for key, _env, default, _meaning in SETTINGS if "_SESSION_" in key}
    assert len(defaults) == len(SESSIONS_THAT_LAST)
    return {**app_config, **defaults}


@pytest.fixture
def teacher(make_school, make_user):
    return make_user(Role.TEACHER, make_school(), phone="0912 345 678")


@pytest.fixture
def parent(make_user):
    return make_user(phone="0987 654 321")


def signed_in(app, login, phone: str, browser: str = PHONE_BROWSER):
    device = app.test_client()
    device.environ_base["HTTP_USER_AGENT"] = browser
    assert login(phone, on=device).status_code == 302
    return device


def is_signed_in(device) -> bool:
    return device.get("/").status_code == 200


def test_a_staff_session_ends_after_twelve_idle_hours(app, login, teacher):
    device = signed_in(app, login, teacher.phone)
    with time_machine.travel(timedelta(hours=11, minutes=50), tick=True):
        assert is_signed_in(device)  # used: the idle time starts again
        with time_machine.travel(timedelta(hours=11, minutes=50), tick=True):
            assert is_signed_in(device)
            with time_machine.travel(timedelta(hours=12, minutes=1), tick=True):
                assert not is_signed_in(device)


def test_a_staff_session_ends_a_week_after_signing_in_however_used(app, login, teacher):
    device = signed_in(app, login, teacher.phone)
    for step in range(1, 16):  # used every 11 hours, never idle for 12
        with time_machine.travel(timedelta(hours=11 * step), tick=True):
            assert is_signed_in(device)
    with time_machine.travel(timedelta(days=7, minutes=1), tick=True):
        assert not is_signed_in(device)


def test_a_family_stays_signed_in_for_weeks_unused_but_not_past_thirty_days(app, login, parent):
    device = signed_in(app, login, parent.phone)
    with time_machine.travel(timedelta(days=29), tick=True):
        assert is_signed_in(device)
    other = signed_in(app, login, parent.phone)
    with time_machine.travel(timedelta(days=30, minutes=1), tick=True):
        assert not is_signed_in(other)


def test_the_lifetimes_are_settings(app, login, teacher):
    app.config["CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES"] = 30
    device = signed_in(app, login, teacher.phone)
    with time_machine.travel(timedelta(minutes=31), tick=True):
        assert not is_signed_in(device)


def test_reading_pages_notes_the_last_use_at_most_every_few_minutes(app, login, parent):
    device = signed_in(app, login, parent.phone)
    with app.app_context():
        first = db.session.scalars(select(UserSession.last_seen_at)).one()
    with time_machine.travel(timedelta(minutes=2), tick=True):
        assert is_signed_in(device)
        with app.app_context():
            assert db.session.scalars(select(UserSession.last_seen_at)).one() == first
    with time_machine.travel(timedelta(minutes=6), tick=True):
        assert is_signed_in(device)
        with app.app_context():
            assert db.session.scalars(select(UserSession.last_seen_at)).one() > first


def test_the_devices_page_lists_only_ones_own_open_sessions(app, login, teacher, parent):
    phone = signed_in(app, login, teacher.phone)
    signed_in(app, login, teacher.phone, COMPUTER_BROWSER)
    ended = signed_in(app, login, teacher.phone)
    ended.post("/signout", data={"csrf_token": csrf_token_from(ended, "/")})
    signed_in(app, login, parent.phone, COMPUTER_BROWSER)

    page = phone.get("/sessions").get_data(as_text=True)
    assert page.count('class="card"') == 2
    assert "Chrome · Android" in page
    assert "Firefox · Windows" in page
    assert page.count("Thiết bị này") == 1
    assert "Đăng xuất mọi nơi" in page
    more = phone.get("/more").get_data(as_text=True)
    assert 'href="/sessions"' in more


def test_signing_another_device_out_ends_it_and_keeps_this_one(app, login, teacher):
    phone = signed_in(app, login, teacher.phone)
    computer = signed_in(app, login, teacher.phone, COMPUTER_BROWSER)
    stolen = computer.get_cookie("session").value
    page = phone.get("/sessions").get_data(as_text=True)
    [handle] = re.findall(HANDLE, page)

    answer = phone.post(f"/sessions/{handle}/end", data={"csrf_token": csrf_token_from(phone, "/")})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sessions"
    assert is_signed_in(phone)
    assert not is_signed_in(computer)
    replayed = app.test_client()
    replayed.set_cookie("session", stolen)
    assert not is_signed_in(replayed)
    with app.app_context():
        assert "core.session_end" in db.session.scalars(select(AuditEntry.action)).all()


def test_another_persons_session_cannot_be_ended(app, login, teacher, parent):
    theirs = signed_in(app, login, parent.phone)
    other_device = signed_in(app, login, parent.phone, COMPUTER_BROWSER)
    [their_handle] = re.findall(HANDLE, other_device.get("/sessions").get_data(as_text=True))
    mine = signed_in(app, login, teacher.phone)
    token = csrf_token_from(mine, "/")
    assert mine.post(f"/sessions/{their_handle}/end", data={"csrf_token": token}).status_code == 404
    assert mine.post("/sessions/made-up/end", data={"csrf_token": token}).status_code == 404
    assert is_signed_in(theirs)


def test_signing_out_everywhere_ends_every_session_this_one_too(app, login, teacher):
    phone = signed_in(app, login, teacher.phone)
    computer = signed_in(app, login, teacher.phone, COMPUTER_BROWSER)
    stolen = phone.get_cookie("session").value

    answer = phone.post("/sessions/end-all", data={"csrf_token": csrf_token_from(phone, "/")})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/signin"
    assert answer.headers["Clear-Site-Data"] == '"storage"'
    assert "Bạn đã đăng xuất trên mọi thiết bị." in phone.get("/signin").get_data(as_text=True)
    assert not is_signed_in(phone)
    assert not is_signed_in(computer)
    replayed = app.test_client()
    replayed.set_cookie("session", stolen)
    assert not is_signed_in(replayed)
    with app.app_context():
        assert (
            db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all()
            == []
        )

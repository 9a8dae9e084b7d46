"""Two-step verification: turned on by scanning and typing a code, asked after the password
whichever way it was proved, codes taken once, recovery codes, attempts limited, and a
district that requires it of its staff."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from contactbook.core.directory.models import District, User
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import csrf_token_from

SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")
STEP = timedelta(seconds=30)


@pytest.fixture
def teacher(make_school, make_user):
    return make_user(Role.TEACHER, make_school(), phone="0912 345 678")


def post(client, path: str, data: dict | None = None, page: str = "/"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token_from(client, page)})


def enrol(client) -> tuple[str, list[str]]:
    """Turn two-step verification on as a person would: read the key, type the app's code."""
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    done = post(
        client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, "/account/two-step"
    )
    assert done.status_code == 200
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(app, login, phone: str):
    """A fresh browser that gave the right password; returns it and where it was sent."""
    device = app.test_client()
    answer = login(phone, on=device)
    return device, answer.headers["Location"]


def give_code(device, code: str):
    return post(device, "/signin/code", {"code": code}, "/signin/code")


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action)))


@pytest.mark.parametrize("who", ["teacher", "parent"])
def test_anyone_turns_it_on_by_scanning_and_typing_a_code(
    app, client, login, teacher, make_user, who
):
    user = teacher if who == "teacher" else make_user(phone="0987 654 321")
    login(user.phone)
    page = client.get("/account/two-step").get_data(as_text=True)
    assert "<svg" in page and "otpauth" not in page, "the QR code is drawn, its link not shown"
    secret = SECRET.search(page).group(1).replace(" ", "")

    wrong = post(client, "/account/two-step", {"code": "000000"}, "/account/two-step")
    assert wrong.status_code == 400
    assert "Mã không đúng" in wrong.get_data(as_text=True)
    assert "còn lại" not in client.get("/account/two-step").get_data(as_text=True)

    done = post(
        client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, "/account/two-step"
    )
    assert len(RECOVERY.findall(done.get_data(as_text=True))) == 10
    assert "10 mã dự phòng còn lại" in client.get("/account/two-step").get_data(as_text=True)
    assert "core.second_factor_on" in actions(app)


def test_the_password_alone_no_longer_signs_in(app, client, login, teacher):
    login(teacher.phone)
    secret, _codes = enrol(client)

    device, sent_to = password_step(app, login, teacher.phone)
    assert sent_to == "/signin/code"
    assert device.get("/").status_code == 302, "not signed in before the code"
    assert give_code(device, "123456").status_code == 401
    with time_machine.travel(STEP, tick=True):
        answer = give_code(device, pyotp.TOTP(secret).now())
        assert answer.status_code == 302
        assert answer.headers["Location"] == "/"
        assert device.get("/").status_code == 200


def test_a_code_is_taken_once(app, client, login, teacher):
    login(teacher.phone)
    secret, _codes = enrol(client)
    with time_machine.travel(STEP, tick=True):
        code = pyotp.TOTP(secret).now()
        first, _ = password_step(app, login, teacher.phone)
        second, _ = password_step(app, login, teacher.phone)
        assert give_code(first, code).status_code == 302
        assert give_code(second, code).status_code == 401, "seen over a shoulder, worth nothing"
        assert second.get("/").status_code == 302


def test_a_recovery_code_lets_in_once(app, client, login, teacher):
    login(teacher.phone)
    _secret, codes = enrol(client)
    device, _ = password_step(app, login, teacher.phone)
    assert give_code(device, codes[0].upper()).status_code == 302
    assert device.get("/").status_code == 200
    again, _ = password_step(app, login, teacher.phone)
    assert give_code(again, codes[0]).status_code == 401
    assert "9 mã dự phòng còn lại" in device.get("/account/two-step").get_data(as_text=True)
    assert "core.recovery_code_used" in actions(app)


def test_the_code_must_follow_the_password_within_minutes(app, client, login, teacher):
    login(teacher.phone)
    secret, _codes = enrol(client)
    device, _ = password_step(app, login, teacher.phone)
    token = csrf_token_from(device, "/signin/code")
    with time_machine.travel(timedelta(minutes=6), tick=True):
        code = pyotp.TOTP(secret).now()
        late = device.post("/signin/code", data={"code": code, "csrf_token": token})
        assert late.status_code == 302
        assert late.headers["Location"] == "/signin"
        assert device.get("/").status_code == 302


def test_wrong_codes_are_limited_per_account(app, client, login, teacher):
    login(teacher.phone)
    secret, _codes = enrol(client)
    for attempt in range(5):
        device, _ = password_step(app, login, teacher.phone)
        assert give_code(device, f"00000{attempt}").status_code == 401
    device, _ = password_step(app, login, teacher.phone)
    with time_machine.travel(STEP, tick=True):
        assert give_code(device, pyotp.TOTP(secret).now()).status_code == 429


def test_turning_it_off_takes_a_current_code(app, client, login, teacher):
    login(teacher.phone)
    secret, _codes = enrol(client)
    assert post(client, "/account/two-step/off", {"code": "000000"}).status_code == 302
    assert "mã dự phòng còn lại" in client.get("/account/two-step").get_data(as_text=True)
    with time_machine.travel(STEP, tick=True):
        post(client, "/account/two-step/off", {"code": pyotp.TOTP(secret).now()})
    device, sent_to = password_step(app, login, teacher.phone)
    assert sent_to == "/"
    assert "core.second_factor_off" in actions(app)


def test_new_recovery_codes_replace_the_old(app, client, login, teacher):
    login(teacher.phone)
    secret, old = enrol(client)
    with time_machine.travel(STEP, tick=True):
        answer = post(client, "/account/two-step/codes", {"code": pyotp.TOTP(secret).now()})
    new = RECOVERY.findall(answer.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    device, _ = password_step(app, login, teacher.phone)
    assert give_code(device, old[1]).status_code == 401
    assert give_code(device, new[1]).status_code == 302


def require(app, login, district_admin, district_id: int, required: str = "1"):
    admin = app.test_client()
    login(district_admin.username, on=admin)
    return post(admin, f"/schooladmin/district/{district_id}/two-step", {"required": required})


def test_a_district_that_requires_it_signs_out_staff_without_it_and_has_them_turn_it_on(
    app, client, login, make_school, make_user
):
    school = make_school()
    teacher = make_user(Role.TEACHER, school, phone="0912 345 678")
    district_admin = make_user(Role.DISTRICT_ADMIN, school, username="quan.tri")
    parent = make_user(phone="0987 654 321")
    login(teacher.phone)
    stolen = client.get_cookie("session").value
    family = app.test_client()
    login(parent.phone, on=family)

    answer = require(app, login, district_admin, school.district_id)
    assert answer.status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", stolen)
    assert replayed.get("/").status_code == 302, "the teacher without it was signed out"
    assert family.get("/").status_code == 200, "families are not asked"

    device, sent_to = password_step(app, login, teacher.phone)
    assert sent_to == "/account/two-step"
    assert device.get("/").headers["Location"] == "/account/two-step"
    api = device.get("/api/core/push/key", headers={"Accept": "application/json"})
    assert api.status_code == 403
    assert "second_factor" in api.get_json()["errors"]
    page = device.get("/account/two-step").get_data(as_text=True)
    assert "Huyện yêu cầu" in page
    enrol(device)
    assert device.get("/").status_code == 200
    with app.app_context():
        assert db.session.get(District, school.district_id).staff_second_factor_required
        assert db.session.get(User, teacher.id) is not None
    assert "core.second_factor_required" in actions(app)


def test_required_it_cannot_be_turned_off(app, client, login, make_school, make_user):
    school = make_school()
    teacher = make_user(Role.TEACHER, school, phone="0912 345 678")
    district_admin = make_user(Role.DISTRICT_ADMIN, school, username="quan.tri")
    login(teacher.phone)
    secret, _codes = enrol(client)
    require(app, login, district_admin, school.district_id)
    assert client.get("/").status_code == 200, "staff who have it stay signed in"
    with time_machine.travel(STEP, tick=True):
        post(client, "/account/two-step/off", {"code": pyotp.TOTP(secret).now()})
        assert "mã dự phòng còn lại" in client.get("/account/two-step").get_data(as_text=True)


def test_only_the_districts_own_admins_may_require_it(app, login, make_school, make_user):
    school = make_school()
    elsewhere = make_school()
    other_admin = make_user(Role.DISTRICT_ADMIN, elsewhere, username="quan.tri.khac")
    school_admin = make_user(Role.SCHOOL_ADMIN, school, username="hieu.truong")
    assert require(app, login, other_admin, school.district_id).status_code == 404
    admin = app.test_client()
    login(school_admin.username, on=admin)
    refused = post(admin, f"/schooladmin/district/{school.district_id}/two-step", {"required": "1"})
    assert refused.status_code in (403, 404)
    with app.app_context():
        assert not db.session.get(District, school.district_id).staff_second_factor_required

"""Password help: a reset link by email, a one-time code from the teacher, sessions ended."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from contactbook.core.delivery import worker
from contactbook.core.directory import second_factor
from contactbook.core.directory.models import User
from contactbook.core.platform import AuditEntry, utcnow
from contactbook.extensions import db
from tests.modules.schooladmin.onboarding import build_class, post_form

NEW_PASSWORD = "mưa rơi trên mái ngói 7"
RESET_CODE = re.compile(r'<p class="slip-code">([0-9A-Z]{5}-[0-9A-Z]{5})</p>')


@pytest.fixture
def app_config(app_config, mail_server):
    return {
        **app_config,
        "CONTACTBOOK_SMTP_HOST": mail_server.host,
        "CONTACTBOOK_SMTP_PORT": mail_server.port,
    }


@pytest.fixture
def families(app, schools, make_student, make_user, make_classroom, assign_teacher):
    world = build_class(app, schools, make_student, make_user, make_classroom, assign_teacher)
    world.parent = make_user(phone="0904555555", name="Hoàng Thị Thu")
    make_student(schools.classroom, schools.a, "Hoàng Gia Huy", guardians=(world.parent,))
    return world


def with_email(app, user, address="thu@example.invalid"):
    with app.app_context():
        found = db.session.get(User, user.id)
        found.email = address
        db.session.commit()


def forgot(client, identifier: str):
    page = "/schooladmin/passwords/forgot"
    return post_form(client, page, {"identifier": identifier}, page=page)


def actions(app, name: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == name)))


def test_a_parent_with_email_resets_by_link_and_other_devices_are_signed_out(
    app, client, login, families, mail_server
):
    with_email(app, families.parent)
    phone = app.test_client()
    login(families.parent.phone, on=phone)
    assert phone.get("/").status_code == 200

    assert 'href="/schooladmin/passwords/forgot"' in client.get("/signin").get_data(as_text=True)
    asked = forgot(client, "0904 555 555")
    assert asked.status_code == 200
    with app.app_context():
        assert worker.run_once(now=utcnow()) == 1
    [mail] = mail_server.wait_for(1)
    assert mail_server.envelopes[0][1] == ["thu@example.invalid"]
    link = re.search(r"http://\S+/schooladmin/passwords/reset/\S+", mail.get_content()).group()
    path = link.split("localhost", 1)[-1] if "localhost" in link else "/" + link.split("/", 3)[3]

    done = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert done.status_code == 302
    assert "Hoàng Gia Huy" in client.get("/").get_data(as_text=True)
    assert phone.get("/").status_code == 302, "the other phone is signed out"
    assert login(families.parent.phone, NEW_PASSWORD, on=app.test_client()).status_code == 302
    assert [entry.after for entry in actions(app, "schooladmin.password_reset")] == [
        {"by": "email"}
    ]
    assert app.test_client().get(path).status_code == 410, "a link works once"


def test_the_forgot_page_says_the_same_whether_or_not_the_account_exists(
    app, client, families, mail_server
):
    with_email(app, families.parent)
    known = forgot(app.test_client(), families.parent.phone).get_data(as_text=True)
    unknown = forgot(app.test_client(), "0909 999 999").get_data(as_text=True)
    no_email = forgot(app.test_client(), families.father.phone).get_data(as_text=True)
    strip = re.compile(r'name="csrf-token" content="[^"]+"|value="[^"]*"')
    assert strip.sub("", known) == strip.sub("", unknown) == strip.sub("", no_email)
    with app.app_context():
        assert worker.run_once(now=utcnow()) == 1
    assert len(mail_server.wait_for(1)) == 1


def test_asking_for_links_is_rate_limited(client, families):
    for _ in range(5):
        assert forgot(client, "0909 999 999").status_code == 200
    assert forgot(client, "0909 999 999").status_code == 429


def issue(client, user_id: int):
    response = post_form(client, f"/schooladmin/passwords/guardians/{user_id}/code")
    found = RESET_CODE.search(response.get_data(as_text=True))
    return response, found.group(1) if found else None


def reset_with_code(client, phone: str, code: str, password: str = NEW_PASSWORD):
    page = "/schooladmin/passwords/code"
    data = {"identifier": phone, "code": code, "password": password, "confirm": password}
    return post_form(client, page, data, page=page)


def test_the_homeroom_teacher_issues_a_one_time_code_valid_24_hours(
    app, client, login, schools, families, time_machine
):
    time_machine.move_to("2026-10-05T09:00:00+07:00", tick=False)
    login(schools.teacher.phone)
    page = client.get(f"/schooladmin/passwords/guardians/{families.parent.id}")
    assert "Hoàng Gia Huy" in page.get_data(as_text=True)
    response, code = issue(client, families.parent.id)
    assert response.status_code == 200 and code
    assert (
        client.get(f"/schooladmin/passwords/guardians/{families.parent.id}")
        .get_data(as_text=True)
        .count(code)
        == 0
    ), "the code is shown once"

    parent = app.test_client()
    assert reset_with_code(parent, "0904555555", code).status_code == 302
    assert "Hoàng Gia Huy" in parent.get("/").get_data(as_text=True)
    assert reset_with_code(app.test_client(), "0904555555", code).status_code == 410
    assert [entry.after for entry in actions(app, "schooladmin.password_reset")] == [{"by": "code"}]
    assert len(actions(app, "schooladmin.password_reset_code")) == 1

    _, late = issue(client, families.parent.id)
    time_machine.shift(timedelta(hours=24, minutes=1))
    expired = reset_with_code(app.test_client(), "0904555555", late)
    assert expired.status_code == 410
    assert "hết hạn" in expired.get_data(as_text=True)


def test_a_code_only_works_with_its_own_phone_number(app, client, login, schools, families):
    login(schools.teacher.phone)
    _, code = issue(client, families.parent.id)
    assert reset_with_code(app.test_client(), schools.teacher.phone, code).status_code == 404


def test_wrong_codes_are_limited_per_address(client, families):
    for _ in range(10):
        assert reset_with_code(client, "0904555555", "ZZZZZ-ZZZZZ").status_code == 404
    assert reset_with_code(client, "0904555555", "ZZZZZ-ZZZZZ").status_code == 429


@pytest.mark.parametrize(
    ("who", "see", "issue_status"),
    [
        ("admin.a", 200, 200),
        ("teacher", 200, 200),
        ("subject_teacher", 200, 403),
        ("admin.b", 404, 404),
        ("parent", 404, 404),
    ],
)
def test_who_may_issue_a_reset_code(client, login, schools, families, who, see, issue_status):
    identifiers = {
        "teacher": schools.teacher.phone,
        "subject_teacher": families.subject_teacher.phone,
        "parent": families.parent.phone,
    }
    login(identifiers.get(who, who))
    target = families.parent.id if who != "parent" else families.father.id
    assert client.get(f"/schooladmin/passwords/guardians/{target}").status_code == see
    response, code = issue(client, target)
    assert response.status_code == issue_status
    assert (code is not None) is (issue_status == 200)


def test_a_disabled_account_gets_no_link(app, client, families, mail_server):
    with_email(app, families.parent)
    with app.app_context():
        db.session.get(User, families.parent.id).is_active = False
        db.session.commit()
    forgot(client, families.parent.phone)
    with app.app_context():
        assert worker.run_once(now=utcnow()) == 0
    assert mail_server.messages == []


def test_a_reset_password_still_asks_for_the_second_factor(
    app, client, login, schools, families, time_machine
):
    with app.app_context():
        parent = db.session.get(User, families.parent.id)
        secret = second_factor.new_secret()
        second_factor.turn_on(parent, secret, pyotp.TOTP(secret).now())
    login(schools.teacher.phone)
    _, code = issue(client, families.parent.id)

    phone = app.test_client()
    answer = reset_with_code(phone, "0904555555", code)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/signin/code"
    assert phone.get("/").status_code == 302, "a new password alone does not sign in"
    time_machine.move_to(utcnow() + timedelta(seconds=30), tick=True)
    given = post_form(
        phone, "/signin/code", {"code": pyotp.TOTP(secret).now()}, page="/signin/code"
    )
    assert given.headers["Location"] == "/"
    assert "Hoàng Gia Huy" in phone.get("/").get_data(as_text=True)

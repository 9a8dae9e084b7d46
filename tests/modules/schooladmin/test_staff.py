"""Staff accounts: adding people (or linking someone from another school), roles, disabling."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from contactbook.core.directory import second_factor
from contactbook.core.directory.models import Membership, User
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import PASSWORD, assert_error
from tests.modules.schooladmin.structure_world import count, signed_in_as

API = "/api/schooladmin/staff/schools"
NEW = {
    "name": "Hoàng Minh Tú",
    "phone": "0987 654 321",
    "roles": {"teacher": True, "nurse": False},
    "password": "bầu trời xanh ngắt",
}


def test_a_new_teacher_signs_in_with_the_temporary_password(app, client, login, write, world):
    login("admin.a")
    added = write("POST", f"{API}/{world.a.id}/members", NEW)
    assert added.status_code == 201
    teacher = app.test_client()
    assert login("0987654321", NEW["password"], on=teacher).status_code == 302
    assert "Hoàng Minh Tú" in client.get(f"/schooladmin/staff/{world.a.id}").get_data(as_text=True)


def test_someone_from_the_school_next_door_is_linked_not_duplicated(app, login, write, world):
    login("admin.a")
    linked = write("POST", f"{API}/{world.a.id}/members", {**NEW, "phone": world.admin_b.username})
    assert linked.status_code == 422  # a username in the phone field is not a phone number
    body = {**NEW, "phone": None, "username": "admin.b", "password": None}
    assert write("POST", f"{API}/{world.a.id}/members", body).status_code == 201
    assert count(app, User, User.username == "admin.b") == 1
    with app.app_context():
        roles = db.session.execute(
            select(Membership.school_id, Membership.role).where(
                Membership.user_id == world.admin_b.id
            )
        ).all()
    assert set(roles) == {(world.b.id, Role.SCHOOL_ADMIN), (world.a.id, Role.TEACHER)}
    other = app.test_client()
    assert login("admin.b", PASSWORD, on=other).status_code == 302  # password unchanged


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": None}, "phone"),
        ({"password": "123456789"}, "password"),
        ({"password": "short"}, "password"),
        ({"roles": {"guardian": True}}, "roles"),
        ({"roles": {"teacher": False}}, "roles"),
    ],
)
def test_bad_staff_input_is_a_field_error_and_nothing_is_written(
    app, login, write, world, change, field
):
    login("admin.a")
    before = count(app, User)
    errors = assert_error(write("POST", f"{API}/{world.a.id}/members", {**NEW, **change}), 422)
    assert field in {path.split(".")[0] for path in errors}
    assert count(app, User) == before


def test_disabling_ends_their_session_at_once_and_enabling_lets_them_back(app, login, write, world):
    teacher = app.test_client()
    login(world.teacher.phone, on=teacher)
    assert teacher.get("/").status_code == 200
    login("admin.a")
    url = f"{API}/{world.a.id}/members/{world.teacher.id}"
    assert write("PATCH", url, {"is_active": False}).status_code == 200
    assert teacher.get("/").status_code == 302  # sent to sign in
    assert login(world.teacher.phone, on=teacher).status_code == 401  # refused
    assert write("PATCH", url, {"is_active": True}).status_code == 200
    assert login(world.teacher.phone, on=teacher).status_code == 302


def test_an_admin_cannot_disable_themselves_nor_remove_the_last_admin(app, login, write, world):
    login("admin.a")
    me = f"{API}/{world.a.id}/members/{world.admin.id}"
    assert list(assert_error(write("PATCH", me, {"is_active": False}), 422)) == ["is_active"]
    demoted = write("PUT", f"{me}/roles", {"roles": {"school_admin": False, "teacher": True}})
    assert list(assert_error(demoted, 422)) == ["roles"]
    assert write("PUT", f"{API}/{world.a.id}/members/{world.teacher.id}/roles",
                 {"roles": {"school_admin": True, "teacher": True}}).status_code == 204  # fmt: skip
    assert write("PUT", f"{me}/roles", {"roles": {"teacher": True}}).status_code == 204


def test_someone_working_at_another_school_is_not_disabled_from_here(app, login, write, world):
    login("admin.a")
    body = {**NEW, "phone": None, "username": "admin.b", "password": None}
    write("POST", f"{API}/{world.a.id}/members", body)
    refused = write("PATCH", f"{API}/{world.a.id}/members/{world.admin_b.id}", {"is_active": False})
    assert list(assert_error(refused, 422)) == ["is_active"]
    assert (
        write(
            "PUT", f"{API}/{world.a.id}/members/{world.admin_b.id}/roles", {"roles": {}}
        ).status_code
        == 204
    )
    assert count(app, Membership, Membership.user_id == world.admin_b.id) == 1


ROUTES = [
    ("POST", "/api/schooladmin/staff/schools/{school}/members", NEW, 201),
    ("PUT", "/api/schooladmin/staff/schools/{school}/members/{nurse}/roles",
     {"roles": {"teacher": True}}, 204),
    ("PATCH", "/api/schooladmin/staff/schools/{school}/members/{nurse}", {"is_active": False}, 200),
    ("DELETE", "/api/schooladmin/staff/schools/{school}/members/{nurse}/two-step", None, 204),
    ("GET", "/schooladmin/staff/{school}", None, 200),
    ("GET", "/schooladmin/staff/{school}/{nurse}", None, 200),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "success"), ROUTES)
@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("admin", None),
        ("district_admin", None),
        ("teacher", 403),
        ("parent", 403),
        ("admin_b", 404),
    ],
)
def test_each_staff_route_answers_by_who_asks(
    client, login, write, world, method, path, body, success, who, refusal
):
    signed_in_as(login, world, who)
    url = path.format(school=world.a.id, nurse=world.nurse.id)
    response = client.get(url) if method == "GET" else write(method, url, body)
    assert response.status_code == (refusal or success)


def test_a_parent_of_the_school_is_no_staff_member_to_change(login, write, world):
    login("admin.a")
    url = f"{API}/{world.a.id}/members/{world.parent.id}"
    assert write("PATCH", url, {"is_active": False}).status_code == 404


def test_an_admin_turns_off_two_step_verification_after_a_lost_phone(
    app, client, login, write, world
):
    with app.app_context():
        nurse = db.session.get(User, world.nurse.id)
        secret = second_factor.new_secret()
        second_factor.turn_on(nurse, secret, pyotp.TOTP(secret).now())
    nurse_phone = app.test_client()
    assert login(world.nurse.phone, on=nurse_phone).headers["Location"] == "/signin/code"

    login("admin.a")
    page = f"/schooladmin/staff/{world.a.id}/{world.nurse.id}"
    url = f"{API}/{world.a.id}/members/{world.nurse.id}/two-step"
    assert f'data-api="{url}"' in client.get(page).get_data(as_text=True)
    assert write("DELETE", url).status_code == 204
    assert f'data-api="{url}"' not in client.get(page).get_data(as_text=True)
    assert login(world.nurse.phone, on=app.test_client()).headers["Location"] == "/"
    assert count(app, AuditEntry, AuditEntry.action == "core.second_factor_off") == 1

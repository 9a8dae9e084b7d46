"""`flask schooladmin bootstrap`: the first district and admin on an empty database."""

from __future__ import annotations

from sqlalchemy import func, select

from contactbook.core.directory.models import District, Membership, User
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db

STRONG = "bao cao sang thu hai"
COMMAND = [
    "schooladmin",
    "bootstrap",
    "--district-code",
    "q1-hcm",
    "--district-name",
    "Quận 1",
    "--admin-username",
    "Phong.GD",
    "--admin-name",
    "Phạm Văn Minh",
]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_creates_the_district_and_an_admin_who_can_sign_in(app, runner, client, login):
    result = runner.invoke(args=COMMAND, input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output
    with app.app_context():
        district = db.session.scalar(select(District))
        admin = db.session.scalar(select(User))
        membership = db.session.scalar(select(Membership))
        assert (district.code, district.name) == ("Q1-HCM", "Quận 1")
        assert (admin.username, admin.display_name) == ("phong.gd", "Phạm Văn Minh")
        assert (membership.role, membership.district_id) == (Role.DISTRICT_ADMIN, district.id)
    assert login("phong.gd", STRONG).status_code == 302
    assert client.get("/schooladmin/").status_code == 200


def test_a_second_run_for_the_same_district_changes_nothing(app, runner):
    assert runner.invoke(args=COMMAND, input=f"{STRONG}\n{STRONG}\n").exit_code == 0
    again = [*COMMAND[:-4], "--admin-username", "another.admin"]
    second = runner.invoke(args=again, input=f"{STRONG}\n{STRONG}\n")
    assert second.exit_code != 0
    assert "Q1-HCM already exists" in second.output
    assert count(app, District) == 1
    assert count(app, User) == 1


def test_a_weak_or_mistyped_password_is_asked_again(app, runner):
    typed = f"12345678\n{STRONG}\nsomething else\n{STRONG}\n{STRONG}\n"
    result = runner.invoke(args=COMMAND, input=typed)
    assert result.exit_code == 0, result.output
    assert "too common or too easy to guess" in result.output
    assert "do not match" in result.output
    assert count(app, User) == 1


def test_a_username_that_looks_like_a_phone_number_is_refused(app, runner):
    command = [*COMMAND[:-4], "--admin-username", "0912345678"]
    result = runner.invoke(args=command, input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code != 0
    assert "starting with a letter" in result.output
    assert count(app, District) == 0

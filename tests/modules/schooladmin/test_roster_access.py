"""Who may import a school's roster: its admins and the district's, nobody else, per endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contactbook.core.directory import Student
from contactbook.core.platform import Role
from contactbook.extensions import db
from tests.conftest import csrf_token_from
from tests.modules.schooladmin.roster_files import confirm, upload, xlsx

ROWS = [("HS001", "Nguyễn Văn An", "08/03/2014", "Nam", "6A", "Nguyễn Văn Ba", "0912345678", "Bố")]


@pytest.fixture
def checked(client, login, schools):
    """An import of school A checked by its admin, then signed out."""
    login("admin.a")
    import_id = upload(client, schools.a.id, xlsx(ROWS)).get_json()["id"]
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/")})
    return import_id


def _pupils(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Student))


def _requests(client, school_id, import_id):
    return {
        "upload page": client.get(f"/schooladmin/roster/schools/{school_id}").status_code,
        "template": client.get(
            f"/schooladmin/roster/schools/{school_id}/template.xlsx"
        ).status_code,
        "dry run page": client.get(f"/schooladmin/roster/imports/{import_id}").status_code,
        "dry run API": client.get(f"/api/schooladmin/roster/imports/{import_id}").status_code,
        "upload API": upload(client, school_id, xlsx(ROWS)).status_code,
        "confirm API": confirm(client, import_id).status_code,
    }


@pytest.mark.parametrize("who", ["admin.a", "district"])
def test_the_schools_admins_may_use_every_endpoint(app, client, login, schools, checked, who):
    login(who)
    assert _requests(client, schools.a.id, checked) == {
        "upload page": 200,
        "template": 200,
        "dry run page": 200,
        "dry run API": 200,
        "upload API": 201,
        "confirm API": 200,
    }
    assert _pupils(app) == 1


def test_another_schools_admin_finds_nothing(app, client, login, schools, checked):
    login("admin.b")
    assert set(_requests(client, schools.a.id, checked).values()) == {404}
    assert _pupils(app) == 0


@pytest.mark.parametrize("role", ["teacher", "parent"])
def test_teachers_and_parents_are_refused(app, client, login, schools, checked, make_user, role):
    if role == "teacher":
        identifier = schools.teacher.phone
    else:
        identifier = make_user(Role.GUARDIAN, schools.a, phone="0977000111").phone
    login(identifier)
    answers = _requests(client, schools.a.id, checked)
    assert set(answers.values()) <= {403, 404}
    assert answers["upload page"] == 403
    assert _pupils(app) == 0


def test_signed_out_nothing_is_shown(app, client, schools, checked):
    assert client.get(f"/schooladmin/roster/imports/{checked}").status_code in (302, 401)
    assert client.get(f"/api/schooladmin/roster/imports/{checked}").status_code == 401

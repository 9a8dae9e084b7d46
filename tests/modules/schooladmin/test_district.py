"""The district view: schools side by side, a school's drill-down, opening a school."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contactbook.core.directory.models import Membership, School, User
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import assert_error, csrf_token_from

STRONG = "hoa phuong do ruc"


@pytest.fixture
def district_world(schools, make_user, make_student, make_school):
    """School A has 6A with two pupils, one family joined of two; school B has no class."""
    joined = make_user(Role.GUARDIAN, schools.a)
    make_student(schools.classroom, schools.a, "Nguyễn Văn An", guardians=(joined,))
    schools.not_joined = make_user()
    make_student(schools.classroom, schools.a, "Lê Thị Bích", guardians=(schools.not_joined,))
    schools.elsewhere = make_school()
    return schools


def unjoin(app, user_id):
    with app.app_context():
        db.session.get(User, user_id).password_hash = None
        db.session.commit()


def create_url(district_id: int) -> str:
    return f"/api/schooladmin/district/districts/{district_id}/schools"


def test_district_admin_sees_every_school_with_the_same_figures(app, client, login, district_world):
    w = district_world
    unjoin(app, w.not_joined.id)
    login("district")
    page = client.get("/schooladmin/district/").get_data(as_text=True)
    assert w.a.name in page and w.b.name in page
    assert w.elsewhere.name not in page
    # 6A: 1 class, 2 pupils, 1 of 2 families joined; staff: admin.a and the teacher.
    row_a = page.split(w.a.name, 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>")[0].strip() for cell in row_a.split("<td>")[1:]]
    assert cells == ["1", "2", "1 / 2", "2"]
    row_b = page.split(w.b.name, 1)[1].split("</tr>", 1)[0]
    assert [c.split("</td>")[0].strip() for c in row_b.split("<td>")[1:]] == [
        "0",
        "0",
        "0 / 0",
        "1",
    ]


def test_drill_down_shows_one_school_and_its_reports(client, login, district_world):
    login("district")
    page = client.get(f"/schooladmin/district/schools/{district_world.a.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert district_world.a.name in html
    assert f"/schooladmin/reports/schools/{district_world.a.id}/classbook.attendance_daily" in html
    assert (
        client.get(f"/schooladmin/district/schools/{district_world.elsewhere.id}").status_code
        == 404
    )


def test_the_start_page_has_a_district_section_for_district_admins_only(client, login, schools):
    login("district")
    assert "/schooladmin/district/" in client.get("/schooladmin/").get_data(as_text=True)
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/")})
    login("admin.a")
    assert "/schooladmin/district/" not in client.get("/schooladmin/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["admin.a", "teacher"])
def test_school_admins_and_teachers_have_no_district_view(client, login, district_world, who):
    login(district_world.teacher.phone if who == "teacher" else who)
    assert client.get("/schooladmin/district/").status_code == 403
    assert client.get(f"/schooladmin/district/schools/{district_world.a.id}").status_code == 404


def test_opening_a_school_with_an_existing_user_as_its_admin(app, client, login, write, schools):
    login("district")
    response = write(
        "POST",
        create_url(schools.a.district_id),
        {
            "code": "th-01",
            "name": "Trường Tiểu học Kim Đồng",
            "level": "primary",
            "admin": "admin.b",
        },
    )
    assert response.status_code == 201
    assert response.get_json()["code"] == "TH-01"
    with app.app_context():
        school = db.session.scalar(select(School).where(School.code == "TH-01"))
        assert school.district_id == schools.a.district_id
        roles = db.session.scalars(
            select(Membership.role).where(
                Membership.user_id == schools.admin_b.id, Membership.school_id == school.id
            )
        ).all()
        assert roles == [Role.SCHOOL_ADMIN]


def test_opening_a_school_with_a_new_admin_who_can_sign_in(app, client, login, write, schools):
    login("district")
    payload = {
        "code": "THCS-02",
        "name": "Trường THCS Lê Lợi",
        "level": "lower_secondary",
        "admin": "0987 654 321",
        "admin_name": "Đỗ Thu Trang",
        "admin_password": STRONG,
    }
    assert write("POST", create_url(schools.a.district_id), payload).status_code == 201
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/")})
    assert login("0987654321", STRONG).status_code == 302
    assert "Trường THCS Lê Lợi" in client.get("/schooladmin/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "S1"}, "code"),  # the first test school's code is taken
        ({"level": "college"}, "level"),
        ({"code": "bad code!"}, "code"),
        ({"admin": "someone.new"}, "admin_name"),
        (
            {"admin": "someone.new", "admin_name": "Ai Đó", "admin_password": "12345678"},
            "admin_password",
        ),
        ({"admin": "0123"}, "admin"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(app, login, write, schools, change, field):
    login("district")
    with app.app_context():
        db.session.execute(db.update(School).where(School.id == schools.a.id).values(code="S1"))
        db.session.commit()
        before = db.session.scalar(select(func.count(School.id)))
    payload = {"code": "NEW-1", "name": "Trường Mới", "level": "primary", "admin": "admin.b"}
    errors = assert_error(
        write("POST", create_url(schools.a.district_id), {**payload, **change}), 422
    )
    assert field in errors
    with app.app_context():
        assert db.session.scalar(select(func.count(School.id))) == before


@pytest.mark.parametrize("who", ["admin.a", "teacher"])
def test_only_a_district_admin_opens_schools(app, login, write, schools, who):
    login(schools.teacher.phone if who == "teacher" else who)
    payload = {"code": "NEW-1", "name": "Trường Mới", "level": "primary", "admin": "admin.b"}
    assert_error(write("POST", create_url(schools.a.district_id), payload), 404)


def test_another_district_answers_404(login, write, schools, make_school):
    other = make_school()
    login("district")
    payload = {"code": "NEW-1", "name": "Trường Mới", "level": "primary", "admin": "admin.b"}
    assert_error(write("POST", create_url(other.district_id), payload), 404)

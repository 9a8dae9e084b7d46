"""Year-end promotion: classes move up with their pupils, the last grade graduates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contactbook.core.directory.models import Classroom, Enrollment, SchoolYear, Student
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import assert_error, csrf_token_from

NEW_YEAR = {"new_year_name": "2027–2028", "starts_on": "2027-09-05", "ends_on": "2028-05-31"}


@pytest.fixture
def year_end(app, schools, make_user, make_student, make_classroom):
    """6A with two pupils (one parent), 9A with one pupil who graduates."""
    parent = make_user(Role.GUARDIAN, schools.a, name="Mẹ An")
    schools.parent = parent
    schools.an = make_student(schools.classroom, schools.a, "Nguyễn Văn An", guardians=(parent,))
    schools.binh = make_student(schools.classroom, schools.a, "Lê Văn Bình")
    schools.chi = make_student(make_classroom(schools.a, "9A"), schools.a, "Phạm Thị Chi")
    with app.app_context():
        schools.year_id = db.session.scalar(
            select(SchoolYear.id).where(SchoolYear.school_id == schools.a.id)
        )
    return schools


def url(school_id: int) -> str:
    return f"/api/schooladmin/promotion/schools/{school_id}/promotions"


def test_dry_run_shows_where_each_class_goes_and_writes_nothing(app, client, login, year_end):
    login("admin.a")
    page = client.get(f"/schooladmin/promotion/schools/{year_end.a.id}/").get_data(as_text=True)
    assert "7A" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(SchoolYear.id))) == 2  # schools A and B


def test_promotion_moves_classes_up_graduates_and_keeps_history(
    app, client, login, write, year_end
):
    login("admin.a")
    response = write("POST", url(year_end.a.id), {"from_year_id": year_end.year_id, **NEW_YEAR})
    assert response.status_code == 200
    assert response.get_json() == {"classes": 1, "enrollments": 2, "graduated": 1}
    with app.app_context():
        new = db.session.scalar(select(Classroom).where(Classroom.name == "7A"))
        assert new.grade_level == 7 and new.school_year.name == "2027–2028"
        assert {e.student_id for e in new.enrollments} == {year_end.an.id, year_end.binh.id}
        old = db.session.get(Classroom, year_end.classroom.id)
        assert len(old.enrollments) == 2  # last year's places stay
        assert db.session.get(Student, year_end.chi.id).archived_at is not None
        assert db.session.get(Student, year_end.an.id).archived_at is None
    client.post("/signout", data={"csrf_token": csrf_token_from(client, "/")})
    login(year_end.parent.phone)
    assert "7A" in client.get("/").get_data(as_text=True)


def test_running_it_twice_creates_nothing_twice(app, login, write, year_end):
    login("admin.a")
    payload = {"from_year_id": year_end.year_id, **NEW_YEAR}
    write("POST", url(year_end.a.id), payload)
    again = write("POST", url(year_end.a.id), payload)
    assert again.get_json() == {"classes": 0, "enrollments": 0, "graduated": 0}
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Classroom.id)).where(Classroom.name == "7A")) == 1
        )
        assert db.session.scalar(select(func.count(Enrollment.id))) == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_on": "2027-03-01"}, "starts_on"),
        ({"new_year_name": "2026–2027"}, "new_year_name"),
        ({"ends_on": "not a date"}, "ends_on"),
    ],
)
def test_bad_input_changes_nothing(app, login, write, year_end, change, field):
    login("admin.a")
    response = write(
        "POST", url(year_end.a.id), {"from_year_id": year_end.year_id, **NEW_YEAR, **change}
    )
    assert field in assert_error(response, 422)
    with app.app_context():
        assert db.session.scalar(select(func.count(Classroom.id))) == 2


@pytest.mark.parametrize("who", ["admin.b", "teacher"])
def test_another_school_or_a_teacher_gets_404(client, login, write, year_end, who):
    login(year_end.teacher.phone if who == "teacher" else who)
    response = write("POST", url(year_end.a.id), {"from_year_id": year_end.year_id, **NEW_YEAR})
    assert_error(response, 404)
    assert client.get(f"/schooladmin/promotion/schools/{year_end.a.id}/").status_code == 404


def test_another_schools_year_is_404(login, write, year_end, app):
    with app.app_context():
        other_year = db.session.scalar(
            select(SchoolYear.id).where(SchoolYear.school_id == year_end.b.id)
        )
    login("district")
    response = write("POST", url(year_end.a.id), {"from_year_id": other_year, **NEW_YEAR})
    assert_error(response, 404)

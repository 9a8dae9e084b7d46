"""An admin sets up the school: years and terms, closing a term, days, classes, subjects."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from contactbook.core.directory.models import (
    Assessment,
    Classroom,
    ClosedDay,
    School,
    SchoolYear,
    Subject,
    TeachingAssignment,
    Term,
)
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import assert_error
from tests.modules.schooladmin.structure_world import count

API = "/api/schooladmin/structure"
YEAR = {
    "name": "2027–2028",
    "starts_on": "2027-09-05",
    "ends_on": "2028-05-31",
    "hk1": {"starts_on": "2027-09-05", "ends_on": "2028-01-15"},
    "hk2": {"starts_on": "2028-01-17", "ends_on": "2028-05-31"},
}


def test_a_year_is_created_with_its_two_terms_and_audited(app, login, write, world):
    login("admin.a")
    assert write("POST", f"{API}/schools/{world.a.id}/years", YEAR).status_code == 201
    with app.app_context():
        year = db.session.scalar(select(SchoolYear).where(SchoolYear.name == "2027–2028"))
        assert [(t.kind, t.starts_on, t.ends_on) for t in year.terms] == [
            ("hk1", date(2027, 9, 5), date(2028, 1, 15)),
            ("hk2", date(2028, 1, 17), date(2028, 5, 31)),
        ]
        assert db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.object_id == str(year.id))
        ) == ("schooladmin.year_created")


def test_terms_out_of_order_or_outside_the_year_are_field_errors_and_nothing_is_written(
    app, login, write, world
):
    login("admin.a")
    bad = {
        **YEAR,
        "hk1": {"starts_on": "2027-09-01", "ends_on": "2028-01-20"},
        "hk2": {"starts_on": "2028-01-17", "ends_on": "2028-06-30"},
    }
    errors = assert_error(write("POST", f"{API}/schools/{world.a.id}/years", bad), 422)
    assert set(errors) == {"hk1.starts_on", "hk2.starts_on", "hk2.ends_on"}
    taken = assert_error(
        write("POST", f"{API}/schools/{world.a.id}/years", {**YEAR, "name": "2026–2027"}), 422
    )
    assert list(taken) == ["name"]
    assert count(app, SchoolYear) == 2  # one per school, from the fixtures


def test_moving_a_years_dates_moves_its_terms(app, login, write, world):
    login("admin.a")
    dates = {key: value for key, value in YEAR.items() if key != "name"}
    dates.update(starts_on="2026-09-03", hk1={"starts_on": "2026-09-03", "ends_on": "2027-01-14"})
    dates.update(ends_on="2027-05-29", hk2={"starts_on": "2027-01-10", "ends_on": "2027-05-29"})
    overlapping = write("PATCH", f"{API}/years/{world.year_id}", dates)
    assert list(assert_error(overlapping, 422)) == ["hk2.starts_on"]
    dates.update(hk2={"starts_on": "2027-01-18", "ends_on": "2027-05-29"})
    assert write("PATCH", f"{API}/years/{world.year_id}", dates).status_code == 200
    with app.app_context():
        term = db.session.get(Term, world.term_id)
        assert (term.starts_on, term.ends_on) == (date(2026, 9, 3), date(2027, 1, 14))


def test_closing_a_term_warns_of_missing_grade_columns_by_teacher(
    app, client, login, write, world, make_student
):
    make_student(world.classroom, world.a, "Nguyễn Bảo Ngọc")
    login("admin.a")
    gaps = client.get(f"{API}/terms/{world.term_id}/gaps").get_json()
    # Toán, 140 periods: four regular columns, a mid-term and an end-of-term one, none entered.
    assert len(gaps) == 6
    assert gaps[0] == {
        "teacher_name": "Trần Văn Bình",
        "class_name": "6A",
        "subject_name": "Toán",
        "column_label": gaps[0]["column_label"],
    }
    page = client.get(f"/schooladmin/structure/{world.a.id}/terms/{world.term_id}/close")
    assert "Trần Văn Bình" in page.get_data(as_text=True)

    refused = write("PATCH", f"{API}/terms/{world.term_id}", {"is_closed": True})
    assert list(assert_error(refused, 422)) == ["confirm_gaps"]
    with app.app_context():
        assert not db.session.get(Term, world.term_id).is_closed

    closing = {"is_closed": True, "confirm_gaps": True}
    assert write("PATCH", f"{API}/terms/{world.term_id}", closing).status_code == 200
    assert write("PATCH", f"{API}/terms/{world.term_id}", {"is_closed": False}).status_code == 200
    with app.app_context():
        assert not db.session.get(Term, world.term_id).is_closed


def test_a_term_with_nothing_missing_closes_without_confirming(app, login, write, world):
    login("admin.a")  # 6A has no pupils: nobody owes a grade
    assert write("PATCH", f"{API}/terms/{world.term_id}", {"is_closed": True}).status_code == 200


def test_closed_days_tet_as_a_stretch_and_opening_one_again(app, login, write, world):
    login("admin.a")
    tet = {"first": "2027-02-05", "last": "2027-02-09", "reason": "Tết Nguyên đán"}
    assert write("POST", f"{API}/schools/{world.a.id}/closed-days", tet).status_code == 204
    assert count(app, ClosedDay, ClosedDay.reason == "Tết Nguyên đán") == 5
    backwards = {"first": "2027-02-09", "last": "2027-02-05"}
    errors = assert_error(write("POST", f"{API}/schools/{world.a.id}/closed-days", backwards), 422)
    assert list(errors) == ["last"]
    assert write("DELETE", f"{API}/closed-days/{world.closed_day.id}").status_code == 204
    assert count(app, ClosedDay) == 5


def test_school_days_of_the_week(app, login, write, world):
    login("admin.a")
    week = {"weekdays": {str(day): day <= 5 for day in range(1, 8)}}
    assert write("PUT", f"{API}/schools/{world.a.id}/school-days", week).status_code == 204
    with app.app_context():
        assert db.session.get(School, world.a.id).school_days == "12345"
    none = {"weekdays": {"1": False}}
    errors = assert_error(write("PUT", f"{API}/schools/{world.a.id}/school-days", none), 422)
    assert list(errors) == ["weekdays"]


def test_a_class_takes_a_grade_of_the_schools_level_and_a_teacher_of_the_school(
    app, login, write, world, make_user
):
    login("admin.a")
    new = {"school_year_id": world.year_id, "name": "10A", "grade_level": 10}
    assert list(assert_error(write("POST", f"{API}/classes", new), 422)) == ["grade_level"]
    elsewhere = make_user(Role.TEACHER, world.b)
    new.update(grade_level=7, homeroom_teacher_id=elsewhere.id)
    assert write("POST", f"{API}/classes", new).status_code == 404
    new.update(homeroom_teacher_id=world.teacher2.id)
    created = write("POST", f"{API}/classes", new)
    assert created.status_code == 201
    assert created.get_json()["homeroom_teacher_id"] == world.teacher2.id
    again = assert_error(write("POST", f"{API}/classes", new), 422)
    assert list(again) == ["name"]


def test_an_archived_class_leaves_the_lists_and_keeps_its_records(app, client, login, write, world):
    login("admin.a")
    assert (
        write("PUT", f"{API}/classes/{world.classroom.id}/archived", {"archived": True}).status_code
        == 200
    )
    teacher = app.test_client()
    login(world.teacher.phone, on=teacher)
    home = teacher.get("/").get_data(as_text=True)
    assert "6A" not in home
    assert "6A" not in teacher.get("/classbook/").get_data(as_text=True)
    page = client.get(f"/schooladmin/structure/{world.a.id}/classes").get_data(as_text=True)
    assert "Lớp lưu trữ" in page
    assert count(app, Classroom) == 1
    assert count(app, TeachingAssignment) == 1


def test_the_programme_fills_a_grade_once_with_circular_defaults(app, login, write, world):
    login("admin.a")
    added = write("POST", f"{API}/schools/{world.a.id}/programme", {"grade_level": 6})
    names = {row["name"]: row for row in added.get_json()}
    assert "Toán" not in names  # the school has it already
    assert len(names) == 11
    assert names["Ngữ văn"]["periods_per_year"] == 140
    assert names["Giáo dục thể chất"]["assessment"] == Assessment.COMMENT
    assert write("POST", f"{API}/schools/{world.a.id}/programme", {"grade_level": 6}).json == []
    grade_9 = write("POST", f"{API}/schools/{world.a.id}/programme", {"grade_level": 9}).json
    assert {row["name"]: row["periods_per_year"] for row in grade_9}["Công nghệ"] == 52
    wrong = write("POST", f"{API}/schools/{world.a.id}/programme", {"grade_level": 3})
    assert list(assert_error(wrong, 422)) == ["grade_level"]


def test_an_archived_subject_leaves_the_teachers_list(app, login, write, world):
    login("admin.a")
    assert (
        write("PUT", f"{API}/subjects/{world.maths.id}/archived", {"archived": True}).status_code
        == 200
    )
    teacher = app.test_client()
    login(world.teacher.phone, on=teacher)
    assert "Toán" not in teacher.get("/").get_data(as_text=True)
    assert count(app, Subject, Subject.archived_at.is_not(None)) == 1


def test_assignments_take_a_subject_of_the_class_grade_and_come_off_again(app, login, write, world):
    login("admin.a")
    grade_7 = write(
        "POST",
        f"{API}/schools/{world.a.id}/subjects",
        {
            "grade_level": 7,
            "code": "toan",
            "name": "Toán",
            "periods_per_year": 140,
            "assessment": "score",
        },
    ).get_json()
    wrong = {"subject_id": grade_7["id"], "teacher_id": world.teacher2.id}
    url = f"{API}/classes/{world.classroom.id}/assignments"
    assert list(assert_error(write("POST", url, wrong), 422)) == ["subject_id"]
    twice = {"subject_id": world.maths.id, "teacher_id": world.teacher.id}
    assert list(assert_error(write("POST", url, twice), 422)) == ["teacher_id"]
    assert write("DELETE", f"{API}/assignments/{world.assignment.id}").status_code == 204
    assert count(app, TeachingAssignment) == 0
    assert count(app, AuditEntry, AuditEntry.action == "schooladmin.assignment_removed") == 1

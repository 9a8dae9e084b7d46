"""Bad input to the contact book is a 4xx with the usual error body and writes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from contactbook.core.directory.models import SchoolLevel
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, Comment, Grade, HealthNote
from tests.browser import sign_in_on
from tests.conftest import PASSWORD, assert_error, csrf_token_from
from tests.modules.classbook.conftest import count_rows, term_id

# Past PostgreSQL's `integer`, and past any 64-bit integer (SQLite's).
TOO_BIG = [2**31, 2**63]
NOTE = {"category": "temperature", "text": "Sốt nhẹ"}


def send_raw(client, method: str, path: str, body: str):
    """A body as an attacker types it, not as json.dumps would write it."""
    headers = {"X-CSRFToken": csrf_token_from(client, "/"), "Idempotency-Key": str(uuid.uuid4())}
    return client.open(
        path, method=method, data=body, content_type="application/json", headers=headers
    )


def grades_url(world) -> str:
    return f"/api/classbook/classes/{world.room.id}/grades"


def comments_url(world) -> str:
    return f"/api/classbook/students/{world.child.id}/comments"


def column(app, world, *scores) -> dict:
    return {
        "subject_id": world.maths.id,
        "term_id": term_id(app, world.school),
        "kind": "regular",
        "slot": 1,
        "entries": [
            {"student_id": pupil.id, "score": score}
            for pupil, score in zip(world.pupils, scores, strict=False)
        ],
    }


@pytest.mark.parametrize("big", TOO_BIG)
def test_ids_no_column_can_hold_are_missing_in_paths(app, client, login, write, school_class, big):
    world = school_class
    login(world.admin.phone)
    patched = write("PATCH", f"/api/schooladmin/structure/terms/{big}", {"is_closed": True})
    assert assert_error(patched, 404) == {}
    family = app.test_client()
    login(world.parent.phone, on=family)
    page = family.get(f"/classbook/children/{big}")
    assert page.status_code == 404
    assert "Trang này không tồn tại" in page.get_data(as_text=True)


@pytest.mark.parametrize("big", TOO_BIG)
def test_ids_no_column_can_hold_are_field_errors_in_queries_and_bodies(
    app, client, login, write, school_class, big
):
    world = school_class
    login(world.maths_teacher.phone)
    query = f"subject_id={big}&term_id={term_id(app, world.school)}&kind=regular"
    assert list(assert_error(client.get(f"{grades_url(world)}?{query}"), 422)) == ["subject_id"]

    comment = {"kind": "praise", "text": "Chăm chỉ", "subject_id": big}
    assert list(assert_error(write("POST", comments_url(world), comment), 422)) == ["subject_id"]

    page = client.get(f"/classbook/classes/{world.room.id}/grades/{world.maths.id}?term_id={big}")
    assert page.status_code == 200
    assert count_rows(app, Comment) == 0


def test_ids_are_whole_numbers(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    halfway = {"kind": "praise", "text": "Chăm chỉ", "subject_id": world.maths.id + 0.5}
    assert list(assert_error(write("POST", comments_url(world), halfway), 422)) == ["subject_id"]

    payload = column(app, world, "8")
    payload["entries"][0]["student_id"] = world.child.id + 0.5
    errors = assert_error(write("PUT", grades_url(world), payload), 422)
    assert list(errors) == ["entries.0.student_id"]
    assert count_rows(app, Comment) == count_rows(app, Grade) == 0


@pytest.mark.parametrize("score", ["١٠", "８", "٨,٥", "８.５"])
def test_scores_in_digits_other_than_0_to_9_are_refused(app, login, write, school_class, score):
    world = school_class
    login(world.maths_teacher.phone)
    errors = assert_error(write("PUT", grades_url(world), column(app, world, "8", score)), 422)
    assert errors == {"entries.1.score": ["Hãy nhập điểm bằng các chữ số từ 0 đến 9."]}
    assert count_rows(app, Grade) == 0


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_health_note_times_past_the_calendar_are_refused(app, login, write, school_class, moment):
    login(school_class.nurse.phone)
    response = write(
        "POST",
        f"/api/classbook/students/{school_class.child.id}/health-notes",
        {**NOTE, "observed_at": moment},
    )
    assert list(assert_error(response, 422)) == ["observed_at"]
    assert count_rows(app, HealthNote) == 0


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "praise", "text": "Ch\\udcff\\u0103m ch\\u1ec9"}',
        '{"kind": "praise", "text": "Chăm chỉ", "subject_id": ' + "[" * 100_000,
        "[" * 100_000,
    ],
    ids=["lone-surrogate", "deep-field", "deep"],
)
def test_bodies_no_model_can_hold_are_bad_requests(app, client, login, school_class, body):
    login(school_class.maths_teacher.phone)
    response = send_raw(client, "POST", comments_url(school_class), body)
    assert assert_error(response, 400) == {}
    assert count_rows(app, Comment) == 0


def test_schema_and_service_errors_have_one_shape(app, login, write, school_class):
    world = school_class
    login(world.homeroom.phone)
    marks = [{"student_id": world.child.id, "status": "maybe"}]
    roll_call = {"day": "2026-11-16", "session": "morning", "marks": marks}
    errors = assert_error(
        write("PUT", f"/api/classbook/classes/{world.room.id}/attendance", roll_call), 422
    )
    assert list(errors) == ["marks.0.status"]
    assert count_rows(app, AttendanceMark) == 0

    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    refused = write("PUT", grades_url(world), column(app, world, "8", "11"), on=teacher)
    errors = assert_error(refused, 422)
    assert list(errors) == ["entries.1"]


@pytest.mark.browser
def test_a_refused_grade_names_the_pupil_on_the_page(
    app,
    live_server,
    phone,
    make_school,
    make_user,
    make_classroom,
    make_student,
    make_subject,
    teach,
):
    school = make_school(SchoolLevel.PRIMARY)
    teacher = make_user(Role.TEACHER, school)
    room = make_classroom(school, "4A", homeroom_teacher=teacher)
    music = make_subject(
        school, grade_level=4, name="Nghệ thuật", periods=70, code=SubjectCode.NGHE_THUAT
    )
    teach(teacher, room, music)
    make_student(room, school, "Hoàng Gia Bảo")
    make_student(room, school, "Lê Thu Trang")

    page = sign_in_on(phone, live_server, teacher.phone, PASSWORD)
    page.goto(f"{live_server}/classbook/classes/{room.id}/grades/{music.id}")
    scores = page.locator("ol.grades input.score")
    scores.first.wait_for()
    scores.nth(1).fill("9")  # music has no test score: the server refuses it
    page.get_by_role("button", name="Lưu").click()
    status = page.locator("#grade-entry .status")
    status.filter(has_text="Lê Thu Trang: ").wait_for()
    assert "entries" not in status.inner_text()
    assert scores.nth(1).get_attribute("aria-invalid") == "true"
    assert scores.nth(0).get_attribute("aria-invalid") == "false"
    with app.app_context():
        assert db.session.scalars(select(Grade)).all() == []

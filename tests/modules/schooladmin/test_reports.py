"""Reports on known data, figures checked by hand; exports; who may read them; bad ranges."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from contactbook.core.delivery.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    PushSubscription,
)
from contactbook.core.directory.models import SchoolYear, Term
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AttendanceMark,
    AttendanceStatus,
    DaySession,
    Grade,
    GradeKind,
)
from tests.conftest import csrf_token_from, saved

RANGE = "start=2026-11-16&end=2026-11-29"
PRESENT, LATE = AttendanceStatus.PRESENT, AttendanceStatus.LATE
EXCUSED, UNEXCUSED = AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED


@pytest.fixture
def world(app, schools, make_user, make_student, assign_teacher):
    """Class 6A: three pupils and three families, marks over two weeks, a few grades and news.

    Family 1 joined and has a phone with push; family 2 never set a password but has an email;
    family 3 joined and has neither push nor email.
    """
    one = make_user(Role.GUARDIAN, schools.a, name="Phụ huynh Một")
    two = make_user(Role.GUARDIAN, schools.a, name="Phụ huynh Hai")
    three = make_user(Role.GUARDIAN, schools.a, name="Phụ huynh Ba")
    with app.app_context():
        db.session.get(type(two), two.id).password_hash = None
        db.session.get(type(two), two.id).email = "hai@example.invalid"
        db.session.commit()
    room = schools.classroom
    pupils = [
        make_student(room, schools.a, "Nguyễn Văn An", guardians=(one,)),
        make_student(room, schools.a, "Trần Thị Bích", guardians=(two,)),
        make_student(room, schools.a, "Lê Minh Châu", guardians=(three,)),
    ]
    marks = {
        date(2026, 11, 16): (PRESENT, UNEXCUSED, LATE),  # 2 of 3 attended
        date(2026, 11, 17): (PRESENT, PRESENT, PRESENT),  # 3 of 3
        date(2026, 11, 23): (PRESENT, UNEXCUSED, None),  # 1 of 2
    }
    rows = [
        AttendanceMark(
            classroom_id=room.id,
            student_id=pupil.id,
            day=day,
            session=DaySession.MORNING,
            status=status,
            recorded_by_id=schools.teacher.id,
        )
        for day, statuses in marks.items()
        for pupil, status in zip(pupils, statuses, strict=True)
        if status is not None
    ]
    assignment = assign_teacher(schools.teacher, room, schools.a, "Toán")
    with app.app_context():
        term_id = db.session.scalar(
            db.select(Term.id)
            .join(SchoolYear)
            .where(SchoolYear.school_id == schools.a.id, Term.kind == "hk1")
        )
    grades = [
        Grade(
            student_id=pupil.id,
            subject_id=assignment.subject_id,
            term_id=term_id,
            kind=kind,
            slot=1,
            score_tenths=80,
            recorded_by_id=schools.teacher.id,
        )
        for pupil, kind in (
            (pupils[0], GradeKind.REGULAR),
            (pupils[1], GradeKind.REGULAR),
            (pupils[0], GradeKind.FINAL),
        )
    ]
    sent = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    read_news = Notification(
        user_id=one.id, event="core.test", student_id=pupils[0].id, created_at=sent, read_at=sent
    )
    unread_news = Notification(
        user_id=two.id, event="core.test", student_id=pupils[1].id, created_at=sent
    )
    too_early = Notification(
        user_id=three.id,
        event="core.test",
        student_id=pupils[2].id,
        created_at=datetime(2026, 11, 15, 16, 59, tzinfo=UTC),  # 23:59 on 15/11 at school
    )
    saved(
        app,
        *rows,
        *grades,
        PushSubscription(user_id=one.id, endpoint="https://push.example/1", p256dh="k", auth="a"),
        Delivery(notification=read_news, channel="webpush", status=DeliveryStatus.DELIVERED),
        Delivery(notification=unread_news, channel="email", status=DeliveryStatus.DEAD),
        Delivery(notification=too_early, channel="email", status=DeliveryStatus.DEAD),
    )
    return SimpleNamespace(schools=schools, pupils=pupils)


def csv_rows(client, school_id: int, key: str) -> list[list[str]]:
    response = client.get(f"/schooladmin/reports/schools/{school_id}/{key}/export.csv?{RANGE}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def test_attendance_rate_per_class_and_day_and_week(client, login, world):
    login("admin.a")
    school = world.schools.a.id
    assert csv_rows(client, school, "classbook.attendance_daily") == [
        ["6A", "2026-11-16", "3", "2", "66.7"],
        ["6A", "2026-11-17", "3", "3", "100.0"],
        ["6A", "2026-11-23", "2", "1", "50.0"],
    ]
    assert csv_rows(client, school, "classbook.attendance_weekly") == [
        ["6A", "2026-11-16", "6", "5", "83.3"],
        ["6A", "2026-11-23", "2", "1", "50.0"],
    ]
    page = client.get(f"/schooladmin/reports/schools/{school}/classbook.attendance_daily?{RANGE}")
    html = page.get_data(as_text=True)
    assert "16/11/2026" in html and "66,7" in html
    assert 'max="100.0" value="66.7"' in html


def test_grade_entry_completeness_per_teacher_and_column(client, login, world):
    login("admin.a")
    rows = csv_rows(client, world.schools.a.id, "classbook.grade_completeness")
    # Toán at 140 periods: 4 regular columns, a mid-term and a final, for 3 pupils.
    assert [row[4:] for row in rows] == [
        ["ĐĐGtx 1", "2", "3", "66.7"],
        ["ĐĐGtx 2", "0", "3", "0.0"],
        ["ĐĐGtx 3", "0", "3", "0.0"],
        ["ĐĐGtx 4", "0", "3", "0.0"],
        ["ĐĐGgk", "0", "3", "0.0"],
        ["ĐĐGck", "1", "3", "33.3"],
    ]
    assert {row[0] for row in rows} == {"Trần Văn Bình"}
    assert {row[1] for row in rows} == {"6A"}


def test_notification_reach_counts_families_and_the_range_deliveries(client, login, world):
    login("admin.a")
    rows = csv_rows(client, world.schools.a.id, "schooladmin.notification_reach")
    # Push: family 1; email only: family 2; nothing: family 3. The dead email sent at
    # 23:59 on 15/11 (school time) is outside the range.
    assert rows == [["6A", "3", "1", "1", "1", "1", "1", "50.0"]]


def test_parent_engagement_counts_joined_families_and_read_news(client, login, world):
    login("admin.a")
    rows = csv_rows(client, world.schools.a.id, "schooladmin.parent_engagement")
    assert rows == [["6A", "3", "2", "66.7", "2", "1", "50.0"]]


def test_excel_export_keeps_numbers_and_dates(client, login, world):
    login("admin.a")
    url = f"/schooladmin/reports/schools/{world.schools.a.id}/classbook.attendance_weekly"
    response = client.get(f"{url}/export.xlsx?{RANGE}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == ("6A", datetime(2026, 11, 16), 6, 5, 83.3)
    assert sheet.cell(row=2, column=2).number_format == "dd/mm/yyyy"


def test_every_report_is_listed_and_opens(client, login, world):
    login("district")
    school = world.schools.a.id
    page = client.get(f"/schooladmin/reports/schools/{school}/").get_data(as_text=True)
    keys = [
        "classbook.attendance_daily",
        "classbook.attendance_weekly",
        "classbook.grade_completeness",
        "classbook.term_averages",
        "schooladmin.notification_reach",
        "schooladmin.parent_engagement",
    ]
    for key in keys:
        assert f"/schooladmin/reports/schools/{school}/{key}" in page
        assert client.get(f"/schooladmin/reports/schools/{school}/{key}").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-01&end=2026-11-29", "Not a date."),
        ("start=2026-11-29&end=2026-11-16", "The end date is before the start date."),
        ("start=2024-01-01&end=2026-11-16", "Choose at most 400 days."),
    ],
)
def test_a_bad_range_is_a_form_error(client, login, world, query, message):
    login("admin.a")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token_from(client, "/")})
    url = f"/schooladmin/reports/schools/{world.schools.a.id}/classbook.attendance_daily"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert client.get(f"{url}/export.csv?{query}").status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/classbook.attendance_daily",
        "/classbook.attendance_daily/export.csv",
        "/classbook.attendance_daily/export.xlsx",
    ],
)
@pytest.mark.parametrize(("who", "status"), [("admin.b", 404), ("teacher", 404), ("parent", 404)])
def test_only_the_school_and_district_admins_read_reports(
    client, login, world, make_user, path, who, status
):
    people = {
        "admin.b": "admin.b",
        "teacher": world.schools.teacher.phone,
        "parent": make_user(Role.GUARDIAN, world.schools.a).phone,
    }
    login(people[who])
    url = f"/schooladmin/reports/schools/{world.schools.a.id}{path}"
    assert client.get(url).status_code == status


def test_unknown_report_or_file_kind_is_missing(client, login, world):
    login("admin.a")
    base = f"/schooladmin/reports/schools/{world.schools.a.id}"
    assert client.get(f"{base}/classbook.nothing").status_code == 404
    assert client.get(f"{base}/classbook.attendance_daily/export.pdf").status_code == 404

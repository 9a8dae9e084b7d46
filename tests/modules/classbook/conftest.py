"""A secondary class with its teachers, pupils and families, and helpers for API writes."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from contactbook.core.directory.models import Assessment, Subject, TeachingAssignment, Term
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform.module_contract import Role
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db
from tests.conftest import csrf_token_from, saved

SCHOOL_DAY = date(2026, 11, 16)  # a Monday inside semester I of the test school year
SUNDAY = date(2026, 11, 15)
BEFORE_TERM = date(2026, 8, 31)
SCHOOL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _school_day_has_passed(time_machine) -> None:
    """Records are written for SCHOOL_DAY, and future days are refused: on a clock set before
    it, move to the same weekday and hour in the week after, so only the date changes."""
    now = utcnow().astimezone(SCHOOL_ZONE)
    if now.date() > SCHOOL_DAY:
        return
    days_ahead = (now.weekday() - SCHOOL_DAY.weekday()) % 7 or 7
    later = datetime.combine(SCHOOL_DAY + timedelta(days=days_ahead), now.timetz())
    time_machine.move_to(later, tick=True)


@pytest.fixture
def make_subject(app):
    def make(
        school,
        grade_level=6,
        name="Toán",
        periods=140,
        assessment=Assessment.SCORE,
        code=SubjectCode.TOAN,
    ):
        return saved(
            app,
            Subject(
                school_id=school.id,
                grade_level=grade_level,
                code=code,
                name=name,
                periods_per_year=periods,
                assessment=assessment,
            ),
        )

    return make


@pytest.fixture
def teach(app):
    def assign(teacher, classroom, subject):
        return saved(
            app,
            TeachingAssignment(
                teacher_id=teacher.id, classroom_id=classroom.id, subject_id=subject.id
            ),
        )

    return assign


@pytest.fixture
def school_class(make_school, make_user, make_classroom, make_student, make_subject, teach):
    """Class 6A: a homeroom teacher, a maths teacher, three pupils, two of them with parents."""
    school = make_school()
    homeroom = make_user(Role.TEACHER, school, name="Cô Hạnh")
    maths_teacher = make_user(Role.TEACHER, school, name="Thầy Tùng")
    room = make_classroom(school, "6A", homeroom_teacher=homeroom)
    other_room = make_classroom(school, "6B", homeroom_teacher=make_user(Role.TEACHER, school))
    maths = make_subject(school, name="Toán", periods=140)
    history = make_subject(
        school, name="Lịch sử và Địa lí", periods=105, code=SubjectCode.LICH_SU_DIA_LI
    )
    arts = make_subject(
        school,
        name="Nghệ thuật",
        periods=70,
        assessment=Assessment.COMMENT,
        code=SubjectCode.NGHE_THUAT,
    )
    for subject in (maths, history):
        teach(maths_teacher, room, subject)
    teach(homeroom, room, arts)
    parent = make_user(Role.GUARDIAN, school, name="Chị Mai")
    other_parent = make_user(Role.GUARDIAN, school, name="Anh Dũng")
    pupils = [
        make_student(room, school, "Nguyễn Bảo Ngọc", guardians=(parent,)),
        make_student(room, school, "Trần Minh Anh", guardians=(other_parent,)),
        make_student(room, school, "Lê Văn Đạt"),
    ]
    return SimpleNamespace(
        school=school,
        room=room,
        other_room=other_room,
        homeroom=homeroom,
        maths_teacher=maths_teacher,
        maths=maths,
        history=history,
        arts=arts,
        parent=parent,
        other_parent=other_parent,
        pupils=pupils,
        child=pupils[0],
        nurse=make_user(Role.NURSE, school),
        admin=make_user(Role.SCHOOL_ADMIN, school),
        outsider_teacher=make_user(Role.TEACHER, make_school()),
    )


def term_id(app, school, kind: str = "hk1") -> int:
    with app.app_context():
        return db.session.scalar(
            select(Term.id)
            .join(Term.school_year)
            .where(Term.kind == kind, Term.school_year.has(school_id=school.id))
        )


def count_rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def write(client):
    """Send an API write as the page's script does: CSRF header and an Idempotency-Key."""

    def send(method: str, url: str, payload: dict, key: str | None = None, on=None):
        target = on or client
        headers = {
            "X-CSRFToken": csrf_token_from(target, "/"),
            "Idempotency-Key": key or str(uuid.uuid4()),
        }
        return target.open(url, method=method, json=payload, headers=headers)

    return send

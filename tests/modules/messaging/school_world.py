"""A school for announcements and leave: classes, their teachers and families, and a clock.

Tests on the clock say so with `pytest.mark.usefixtures("wednesday_morning")`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import csrf_token_from

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday morning in semester I; lessons run Monday to Saturday.
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZONE)
TODAY = NOW.date()


@pytest.fixture
def wednesday_morning(time_machine) -> None:
    """Every test here starts on the same school day, whatever the run's clock says."""
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def world(make_school, make_user, make_classroom, make_student, assign_teacher):
    """6A and 6B at one school, 7A too; their teachers and families; another school beside."""
    school = make_school()
    homeroom = make_user(Role.TEACHER, school, name="Cô Hạnh")
    subject_teacher = make_user(Role.TEACHER, school, name="Thầy Tùng")
    room = make_classroom(school, "6A", homeroom_teacher=homeroom)
    assign_teacher(subject_teacher, room, school)
    other_homeroom = make_user(Role.TEACHER, school, name="Cô Lan")
    other_room = make_classroom(school, "6B", homeroom_teacher=other_homeroom)
    seventh = make_classroom(school, "7A", homeroom_teacher=make_user(Role.TEACHER, school))
    parent = make_user(Role.GUARDIAN, school, name="Chị Mai")
    second_parent = make_user(Role.GUARDIAN, school, name="Anh Dũng")
    other_parent = make_user(Role.GUARDIAN, school, name="Chị Hoa")
    seventh_parent = make_user(Role.GUARDIAN, school, name="Anh Nam")
    child = make_student(room, school, "Nguyễn Bảo Ngọc", guardians=(parent,))
    classmate = make_student(room, school, "Trần Minh Anh", guardians=(second_parent,))
    other_child = make_student(other_room, school, "Lê Thu Hà", guardians=(other_parent,))
    seventh_child = make_student(seventh, school, "Phạm Quang Huy", guardians=(seventh_parent,))
    elsewhere = make_school()
    return SimpleNamespace(
        school=school,
        room=room,
        other_room=other_room,
        seventh=seventh,
        homeroom=homeroom,
        subject_teacher=subject_teacher,
        other_homeroom=other_homeroom,
        parent=parent,
        second_parent=second_parent,
        other_parent=other_parent,
        seventh_parent=seventh_parent,
        child=child,
        classmate=classmate,
        other_child=other_child,
        seventh_child=seventh_child,
        admin=make_user(Role.SCHOOL_ADMIN, school, name="Thầy Hiệu trưởng"),
        elsewhere=elsewhere,
        outsider_admin=make_user(Role.SCHOOL_ADMIN, elsewhere),
        outsider_teacher=make_user(Role.TEACHER, elsewhere),
        outsider_parent=make_user(Role.GUARDIAN, elsewhere),
    )


@pytest.fixture
def send(client):
    """Send an API write as the pages' script does: CSRF header, an Idempotency-Key, and a
    form (multipart) body, or JSON with `json=`."""

    def post(url: str, form: dict | None = None, json: dict | None = None, on=None):
        target = on or client
        headers = {
            "X-CSRFToken": csrf_token_from(target, "/"),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        if json is not None:
            return target.post(url, json=json, headers=headers)
        return target.post(
            url, data=form or {}, headers=headers, content_type="multipart/form-data"
        )

    return post


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def day(text: str) -> date:
    return date.fromisoformat(text)


PHONE_412 = {"width": 412, "height": 915}


@pytest.fixture
def phone_412(browser):
    """A phone as wide as many cheap Android phones, in Vietnamese."""
    contexts = []

    def open_phone():
        context = browser.new_context(
            viewport=PHONE_412, locale="vi-VN", is_mobile=True, has_touch=True
        )
        contexts.append(context)
        return context

    yield open_phone
    for context in contexts:
        context.close()

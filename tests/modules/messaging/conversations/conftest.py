"""Conversation tests: a class with a family of three guardians, another family, staff, admins."""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from contactbook.core.platform.module_contract import Role
from tests.conftest import csrf_token_from

SCHOOL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# A Tuesday in semester I, inside the default office hours, and a Sunday evening outside them.
TUESDAY_MORNING = datetime(2026, 11, 17, 9, 30, tzinfo=SCHOOL_ZONE)
SUNDAY_EVENING = datetime(2026, 11, 15, 20, 0, tzinfo=SCHOOL_ZONE)


@pytest.fixture
def world(make_school, make_user, make_classroom, make_student, assign_teacher):
    school = make_school()
    other_school = make_school()
    homeroom = make_user(Role.TEACHER, school, name="Cô Hạnh", username="hanh")
    maths = make_user(Role.TEACHER, school, name="Thầy Nam", username="nam")
    other_teacher = make_user(Role.TEACHER, school, name="Cô Lan", username="lan")
    nurse = make_user(Role.NURSE, school, name="Cô Y Tá", username="nurse")
    admin = make_user(Role.SCHOOL_ADMIN, school, username="admin")
    other_admin = make_user(Role.SCHOOL_ADMIN, other_school, username="admin2")
    mother = make_user(Role.GUARDIAN, school, phone="0912000001", name="Mẹ Anh")
    father = make_user(Role.GUARDIAN, school, phone="0912000002", name="Bố Anh")
    grandma = make_user(Role.GUARDIAN, school, phone="0912000003", name="Bà Anh")
    neighbour = make_user(Role.GUARDIAN, school, phone="0912000004", name="Mẹ Bình")
    room = make_classroom(school, "6A", homeroom_teacher=homeroom)
    other_room = make_classroom(school, "6B", homeroom_teacher=other_teacher)
    assign_teacher(maths, room, school)
    anh = make_student(room, school, "Nguyễn Thị Minh Anh", guardians=(mother, father, grandma))
    binh = make_student(other_room, school, "Trần Văn Bình", guardians=(neighbour,))
    return SimpleNamespace(**locals())


@pytest.fixture
def write(client):
    """An API write as the page's script sends it: CSRF header and an Idempotency-Key."""

    def send(method, url, payload=None, *, form=None, on=None):
        target = on or client
        headers = {
            "X-CSRFToken": csrf_token_from(target, "/"),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        if form is not None:
            return target.open(
                url, method=method, data=form, headers=headers, content_type="multipart/form-data"
            )
        return target.open(url, method=method, json=payload or {}, headers=headers)

    return send


@pytest.fixture
def conversation(app, world, login, write):
    """The conversation about Anh, started by her mother on her own phone."""
    phone = app.test_client()
    login("0912000001", on=phone)
    answer = write("POST", f"/api/messaging/students/{world.anh.id}/conversation", on=phone)
    assert answer.status_code == 200
    return answer.get_json()


def jpeg(size=(40, 30)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG")
    out.seek(0)
    return out

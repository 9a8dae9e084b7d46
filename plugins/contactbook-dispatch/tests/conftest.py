"""Fixtures of the dispatch tests: the main suite's (app, clients, factories, clock, browser),
the app with `dispatch` enabled, a district with two schools, and helpers to send like a page.

The tests run from a contactbook checkout (`pytest plugins/contactbook-dispatch/tests`, or
`make test`), reusing `tests/conftest.py`; the checkout's root must be importable for that.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

PLUGIN = Path(__file__).resolve().parents[1]
CHECKOUT = PLUGIN.parents[1]
if str(CHECKOUT) not in sys.path:
    sys.path.insert(0, str(CHECKOUT))


from contactbook.core.platform.module_contract import Role  # noqa: E402
from tests.conftest import *  # noqa: E402,F403  (pytest_plugins comes along: clock, browser, servers)
from tests.conftest import _clean_postgres, base_config, csrf_token_from  # noqa: E402,F401


@pytest.fixture
def app_config(database_url, tmp_path):
    """The default modules and dispatch, files in a folder of the test's own, a small limit."""
    config = {
        **base_config(database_url),
        "MODULES": ["classbook", "schooladmin", "messaging", "dispatch"],
        "DISPATCH_UPLOAD_FOLDER": str(tmp_path / "dispatch-files"),
        "DISPATCH_UPLOAD_MAX_BYTES": 100 * 1024,
    }
    return config


@pytest.fixture
def district(make_school, make_user, make_classroom, make_student):
    """A district with two schools and their people, and a school of another district."""
    north = make_school()
    with_district = north.district_id
    south = make_school(district_id=with_district)
    elsewhere = make_school()
    room = make_classroom(north, "6A")
    other_room = make_classroom(north, "7A")
    parent = make_user(Role.GUARDIAN, north, name="Chị Mai")
    other_parent = make_user(Role.GUARDIAN, north, name="Anh Dũng")
    make_student(room, north, "Nguyễn Bảo Ngọc", guardians=(parent,))
    make_student(other_room, north, "Lê Thu Hà", guardians=(other_parent,))
    return SimpleNamespace(
        north=north,
        south=south,
        elsewhere=elsewhere,
        room=room,
        other_room=other_room,
        parent=parent,
        other_parent=other_parent,
        officer=make_user(Role.DISTRICT_ADMIN, north, name="Phòng Giáo dục"),
        north_admin=make_user(Role.SCHOOL_ADMIN, north, name="Cô Hiệu trưởng Bắc"),
        south_admin=make_user(Role.SCHOOL_ADMIN, south, name="Thầy Hiệu trưởng Nam"),
        north_teacher=make_user(Role.TEACHER, north, name="Cô Hạnh"),
        south_teacher=make_user(Role.TEACHER, south, name="Thầy Tùng"),
        outsider_admin=make_user(Role.SCHOOL_ADMIN, elsewhere, name="Người ngoài"),
    )


@pytest.fixture
def send(client):
    """Send an API write as the pages' script does: CSRF header, an Idempotency-Key, and a
    form (multipart) body."""

    def post(url: str, form: dict | None = None, on=None, key: str | None = None):
        target = on or client
        headers = {
            "X-CSRFToken": csrf_token_from(target, "/"),
            "Idempotency-Key": key or str(uuid.uuid4()),
        }
        return target.post(
            url, data=form or {}, headers=headers, content_type="multipart/form-data"
        )

    return post


@pytest.fixture
def phone_of(app, login):
    """Another signed-in client, as another person's phone."""

    def open_phone(user):
        phone = app.test_client()
        response = login(user.phone, on=phone)
        assert response.status_code == 302
        return phone

    return open_phone

"""Fixtures of the dispatch tests: the main suite's (app, clients, factories, clock, browser),
the app with `dispatch` enabled, a district with two schools, and helpers to send like a page.

The tests run from a contactbook checkout (`pytest plugins/contactbook-dispatch/tests`, or
`make test`), reusing `tests/conftest.py`; the checkout's root must be importable for that.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

PLUGIN = Path(__file__).resolve().parents[1]
CHECKOUT = PLUGIN.parents[1]
if str(CHECKOUT) not in sys.path:
    sys.path.insert(0, str(CHECKOUT))

from sqlalchemy import select  # noqa: E402

import contactbook.core.directory as directory  # noqa: E402
from contactbook.core.platform import Module  # noqa: E402
from contactbook.core.platform.module_contract import Role  # noqa: E402
from contactbook.extensions import babel, db  # noqa: E402
from tests.conftest import *  # noqa: E402,F403  (pytest_plugins comes along: clock, browser, servers)
from tests.conftest import _clean_postgres, base_config, csrf_token_from  # noqa: E402,F401

# --- TEMPORARY STAND-INS: each goes once core (or the Makefile) provides what it stands for ---
# 1. The entry point: until the Makefile installs the package (`pip install -e ... --no-deps`),
#    advertise it from a folder of the run's own, as an installed distribution would.
_STAND_IN_SITE = Path(__file__).resolve().parent / ".stand_in_site"


def _advertise_entry_point() -> None:
    from importlib.metadata import entry_points

    if entry_points(group="contactbook.modules", name="dispatch"):
        return
    dist_info = _STAND_IN_SITE / "contactbook_dispatch-0.0.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: contactbook-dispatch\nVersion: 0.0\n"
    )
    (dist_info / "entry_points.txt").write_text(
        "[contactbook.modules]\ndispatch = contactbook_dispatch.module:module\n"
    )
    sys.path[:0] = [str(PLUGIN), str(_STAND_IN_SITE)]
    importlib.invalidate_caches()


_advertise_entry_point()


# 2. `contactbook.core.directory.recipients` (interface 3), until the "contract" lane's lands.
def _stand_in_staff(schools, roles):
    chosen = select(directory.Membership.user_id).where(
        directory.Membership.school_id.in_(list(schools)),
        directory.Membership.role.in_(list(roles)),
    )
    return list(
        db.session.scalars(
            select(directory.User)
            .where(directory.User.id.in_(chosen), directory.User.is_active.is_(True))
            .order_by(directory.User.id)
        )
    )


def _stand_in_guardians(schools=(), classrooms=()):
    pupils = (
        select(directory.Enrollment.student_id)
        .join(directory.Classroom, directory.Classroom.id == directory.Enrollment.classroom_id)
        .join(directory.SchoolYear, directory.SchoolYear.id == directory.Classroom.school_year_id)
        .where(
            directory.Classroom.id.in_(list(classrooms))
            | directory.SchoolYear.school_id.in_(list(schools))
        )
    )
    chosen = select(directory.Guardianship.user_id).where(
        directory.Guardianship.student_id.in_(pupils)
    )
    return list(
        db.session.scalars(
            select(directory.User)
            .where(directory.User.id.in_(chosen), directory.User.is_active.is_(True))
            .order_by(directory.User.id)
        )
    )


if not hasattr(directory, "recipients"):
    directory.recipients = SimpleNamespace(staff=_stand_in_staff, guardians=_stand_in_guardians)

# 3. `Module.translations` (interface 2): until core reads a module's catalogue, the tests hand
#    it to Flask-Babel beside core's.
_CORE_KNOWS_TRANSLATIONS = "translations" in {item.name for item in dataclasses.fields(Module)}


def _forget_catalogues() -> None:
    domain = babel.__dict__.get("domain_instance")
    if domain is not None:
        domain.cache.clear()


@pytest.fixture(autouse=True)
def _catalogues_of_this_app():
    """Flask-Babel keeps one catalogue cache per process (on the shared `babel` object), so an
    app built earlier without dispatch's catalogue would hide it: start and end each test with
    an empty cache."""
    _forget_catalogues()
    yield
    _forget_catalogues()


# --- end of the stand-ins --------------------------------------------------------------------


@pytest.fixture
def app_config(database_url, tmp_path):
    """The default modules and dispatch, files in a folder of the test's own, a small limit."""
    config = {
        **base_config(database_url),
        "MODULES": ["classbook", "schooladmin", "messaging", "dispatch"],
        "DISPATCH_UPLOAD_FOLDER": str(tmp_path / "dispatch-files"),
        "DISPATCH_UPLOAD_MAX_BYTES": 100 * 1024,
    }
    if not _CORE_KNOWS_TRANSLATIONS:
        config["BABEL_TRANSLATION_DIRECTORIES"] = (
            f"translations;{PLUGIN / 'contactbook_dispatch' / 'translations'}"
        )
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

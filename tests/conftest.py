"""Shared fixtures: an app per test on SQLite (or TEST_DATABASE_URL), clients, and factories."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from contactbook import create_app
from contactbook.config import SETTINGS
from contactbook.core.directory.identity import hash_password
from contactbook.core.directory.models import (
    Assessment,
    Classroom,
    District,
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolLevel,
    SchoolYear,
    Student,
    Subject,
    TeachingAssignment,
    Term,
    TermKind,
    User,
)
from contactbook.core.directory.names import split_full_name
from contactbook.core.directory.phones import normalise_phone
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db

pytest_plugins = ["tests.clock", "tests.browser", "tests.servers"]

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct horse 42"
SECRET_KEY = "test-secret-key-" + "x" * 32
# The browsers' push services, as production lists them by default.
PUSH_SERVICES = next(s[2] for s in SETTINGS if s[0] == "CONTACTBOOK_PUSH_SERVICE_HOSTS")
CSRF_PATTERN = re.compile(
    r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"'
)

_PASSWORD_HASH = hash_password(PASSWORD)
VAPID_PEM = (
    ec.generate_private_key(ec.SECP256R1())
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)
_serial = itertools.count(1)


def is_postgres() -> bool:
    return bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))


SESSIONS_THAT_LAST = {
    "CONTACTBOOK_STAFF_SESSION_IDLE_MINUTES": 60 * 24 * 365,
    "CONTACTBOOK_STAFF_SESSION_HOURS": 24 * 365,
    "CONTACTBOOK_FAMILY_SESSION_IDLE_DAYS": 365,
    "CONTACTBOOK_FAMILY_SESSION_DAYS": 365,
}


def base_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CONTACTBOOK_COOKIE_SECURE": False,
        "CONTACTBOOK_VAPID_PRIVATE_KEY": VAPID_PEM,
        "CONTACTBOOK_VAPID_SUBJECT": "mailto:tests@example.invalid",
        # The local push service (tests/pushservice.py) listens on 127.0.0.1 over http.
        "CONTACTBOOK_PUSH_SERVICE_HOSTS": f"{PUSH_SERVICES},127.0.0.1",
        # Tests travel days ahead with people signed in; sessions ending by time are tested with
        # the real lifetimes in tests/core/test_sessions.py.
        **SESSIONS_THAT_LAST,
    }


@pytest.fixture(scope="session")
def _clean_postgres() -> Iterator[None]:
    """Start the PostgreSQL run from an empty schema, whatever an earlier run left."""
    if is_postgres():
        app = create_app(base_config(TEST_DATABASE_URL))
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            db.engine.dispose()
    yield


@pytest.fixture
def database_url(tmp_path, _clean_postgres) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config(database_url) -> dict:
    """Config for the app fixture; a test may change it before asking for `app`."""
    return base_config(database_url)


def empty_database(app: Flask) -> None:
    """Leave the test database empty for the next test and close the app's connections."""
    with app.app_context():
        db.session.remove()
        if is_postgres():
            tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def app(app_config) -> Iterator[Flask]:
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
    yield app
    empty_database(app)


@pytest.fixture
def another_app(app_config) -> Iterator[Callable[..., Flask]]:
    """More apps on the test database, like extra workers; their connections close afterwards."""
    made: list[Flask] = []

    def make(**overrides) -> Flask:
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token_from(client: FlaskClient, path: str = "/signin") -> str:
    """Read the CSRF token a page gives the browser, as a real form or fetch() would."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


@pytest.fixture
def login(client) -> Callable:
    """Sign a client in through the real sign-in form; returns the response."""

    def sign_in(identifier: str, password: str = PASSWORD, on: FlaskClient | None = None):
        target = on or client
        token = csrf_token_from(target)
        return target.post(
            "/signin", data={"identifier": identifier, "password": password, "csrf_token": token}
        )

    return sign_in


def assert_error(response, code: int) -> dict:
    """The one error shape: code, a sentence, and flat field errors; return the errors."""
    assert response.status_code == code
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert body["message"]
    assert all(isinstance(messages, list) for messages in body["errors"].values())
    return body["errors"]


def saved(app: Flask, *objects):
    """Commit objects in their own app context and return the first, loaded and detached.

    Tests keep no app context open, so each request gets a fresh one as in production.
    """
    with app.app_context():
        db.session.add_all(objects)
        db.session.commit()
        for obj in objects:
            db.session.refresh(obj)
        db.session.expunge_all()
    return objects[0]


@pytest.fixture
def make_school(app) -> Callable[..., School]:
    def make(level: SchoolLevel = SchoolLevel.LOWER_SECONDARY, district_id: int | None = None):
        n = next(_serial)
        school = School(code=f"S{n}", name=f"Trường {n}", level=level)
        if district_id is None:
            school.district = District(code=f"D{n}", name=f"Huyện {n}")
        else:
            school.district_id = district_id
        year = SchoolYear(
            school=school, name="2026–2027", starts_on=date(2026, 9, 5), ends_on=date(2027, 5, 31)
        )
        year.terms = [
            Term(kind=TermKind.HK1, starts_on=date(2026, 9, 5), ends_on=date(2027, 1, 16)),
            Term(kind=TermKind.HK2, starts_on=date(2027, 1, 18), ends_on=date(2027, 5, 31)),
        ]
        return saved(app, school)

    return make


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    def make(
        role: Role | None = None,
        school: School | None = None,
        *,
        phone: str | None = None,
        username: str | None = None,
        name: str = "Người Dùng",
    ) -> User:
        n = next(_serial)
        if phone is None and username is None:
            phone = f"0912{n:06d}"
        user = User(
            phone=normalise_phone(phone) if phone else None,
            username=username,
            display_name=name,
            password_hash=_PASSWORD_HASH,
        )
        if role is Role.DISTRICT_ADMIN:
            user.memberships = [Membership(role=role, district_id=school.district_id)]
        elif role is not None:
            user.memberships = [Membership(role=role, school_id=school.id)]
        return saved(app, user)

    return make


@pytest.fixture
def make_classroom(app) -> Callable[..., Classroom]:
    def make(school: School, name: str = "6A", homeroom_teacher: User | None = None) -> Classroom:
        with app.app_context():
            year_id = db.session.scalar(
                select(SchoolYear.id).where(SchoolYear.school_id == school.id)
            )
        room = Classroom(
            school_year_id=year_id,
            name=name,
            grade_level=int(re.match(r"\d+", name).group()),
            homeroom_teacher_id=homeroom_teacher.id if homeroom_teacher else None,
        )
        return saved(app, room)

    return make


@pytest.fixture
def assign_teacher(app) -> Callable[..., TeachingAssignment]:
    def assign(teacher: User, classroom: Classroom, school: School, subject_name: str = "Toán"):
        serial = next(_serial)
        subject = Subject(
            school_id=school.id,
            grade_level=classroom.grade_level,
            code=f"subject_{serial}",
            name=f"{subject_name} {serial}",
            periods_per_year=140,
            assessment=Assessment.SCORE,
        )
        assignment = TeachingAssignment(
            teacher_id=teacher.id, classroom_id=classroom.id, subject=subject
        )
        return saved(app, assignment)

    return assign


@pytest.fixture
def make_student(app) -> Callable[..., Student]:
    def make(
        classroom: Classroom,
        school: School,
        full_name: str = "Nguyễn Thị Minh Anh",
        guardians: tuple[User, ...] = (),
    ) -> Student:
        parts = split_full_name(full_name)
        student = Student(
            school_id=school.id,
            student_code=f"HS{next(_serial):05d}",
            family_name=parts.family,
            middle_name=parts.middle,
            given_name=parts.given,
            date_of_birth=date(2014, 3, 8),
            gender=Gender.FEMALE,
        )
        student.enrollments = [Enrollment(classroom_id=classroom.id)]
        student.guardianships = [
            Guardianship(
                user_id=guardian.id,
                relationship_kind=Relationship.MOTHER,
                is_primary_contact=index == 0,
            )
            for index, guardian in enumerate(guardians)
        ]
        return saved(app, student)

    return make

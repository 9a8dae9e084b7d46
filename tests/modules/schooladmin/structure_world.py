"""School A set up for structure and staff tests: a subject, an assignment, a closed day, a parent.

Imported by the structure and staff tests for its fixtures (`world`, `write`).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from contactbook.core.directory.models import (
    Assessment,
    ClosedDay,
    SchoolYear,
    Subject,
    TeachingAssignment,
    Term,
)
from contactbook.core.directory.subjects import SubjectCode
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from tests.conftest import csrf_token_from, saved


@pytest.fixture
def write(client):
    """Send an API write as the pages' script does: CSRF header and an Idempotency-Key."""

    def send(method: str, url: str, payload: dict | None = None, on=None):
        target = on or client
        headers = {
            "X-CSRFToken": csrf_token_from(target, "/"),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        return target.open(url, method=method, json=payload or {}, headers=headers)

    return send


@pytest.fixture
def world(app, schools, make_user):
    """School A's maths for grade 6 taught in 6A, a closed day, a nurse, a parent; ids at hand."""
    maths = saved(
        app,
        Subject(
            school_id=schools.a.id,
            grade_level=6,
            code=SubjectCode.TOAN,
            name="Toán",
            periods_per_year=140,
            assessment=Assessment.SCORE,
        ),
    )
    schools.maths = maths
    schools.assignment = saved(
        app,
        TeachingAssignment(
            teacher_id=schools.teacher.id, classroom_id=schools.classroom.id, subject_id=maths.id
        ),
    )
    schools.closed_day = saved(app, ClosedDay(school_id=schools.a.id, day=date(2027, 2, 16)))
    schools.nurse = make_user(Role.NURSE, schools.a, name="Phạm Thu Hà")
    schools.parent = make_user(Role.GUARDIAN, schools.a, name="Đỗ Văn Nam")
    schools.teacher2 = make_user(Role.TEACHER, schools.a, name="Vũ Thị Lan")
    with app.app_context():
        schools.year_id = db.session.scalar(
            select(SchoolYear.id).where(SchoolYear.school_id == schools.a.id)
        )
        schools.term_id = db.session.scalar(
            select(Term.id).where(Term.school_year_id == schools.year_id, Term.kind == "hk1")
        )
    return schools


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def signed_in_as(login, world, who: str) -> None:
    """Sign in as one person of the world, by the name the permission tables use."""
    person = getattr(world, who)
    login(person.username or person.phone)

"""A class-wide save costs the same number of SQL statements for 10 pupils as for 45."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from contactbook.core.delivery.models import Delivery, Notification, PushSubscription
from contactbook.core.directory.models import SchoolLevel
from contactbook.core.platform.audit import AuditEntry
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import GradeRevision
from tests.conftest import csrf_token_from, saved
from tests.modules.classbook.conftest import SCHOOL_DAY, term_id
from tests.statements import statements

SIZES = (10, 45)


@pytest.fixture
def make_class(
    app, login, make_school, make_user, make_classroom, make_student, make_subject, teach
):
    """A class of `size` pupils, each with a parent on a phone that takes push, and its teacher
    signed in on a client of its own."""

    def make(size: int, level: SchoolLevel = SchoolLevel.LOWER_SECONDARY) -> SimpleNamespace:
        school = make_school(level)
        teacher = make_user(Role.TEACHER, school)
        room = make_classroom(
            school, "6A" if level is SchoolLevel.LOWER_SECONDARY else "2A", homeroom_teacher=teacher
        )
        maths = make_subject(school, grade_level=room.grade_level)
        teach(teacher, room, maths)
        pupils = []
        for index in range(size):
            parent = make_user(Role.GUARDIAN, school)
            saved(
                app,
                PushSubscription(
                    user_id=parent.id,
                    endpoint=f"https://push.test/{parent.id}",
                    p256dh="key",
                    auth="auth",
                ),
            )
            pupils.append(make_student(room, school, f"Nguyễn Văn Số{index}", guardians=(parent,)))
        client = app.test_client()
        login(teacher.phone, on=client)
        return SimpleNamespace(school=school, room=room, maths=maths, pupils=pupils, client=client)

    return make


def counted_put(app, world, url: str, payload: dict) -> int:
    """Send one save as the page's script does and count the statements it took."""
    headers = {
        "X-CSRFToken": csrf_token_from(world.client, "/"),
        "Idempotency-Key": str(uuid.uuid4()),
    }
    with statements(app) as sent:
        response = world.client.put(url, json=payload, headers=headers)
    assert response.status_code == 200, response.get_json()
    return len(sent)


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def roll_call(world, status: str) -> dict:
    marks = [{"student_id": pupil.id, "status": status} for pupil in world.pupils]
    return {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks}


def test_a_roll_call_of_45_costs_what_one_of_10_does(app, make_class):
    counts = []
    for size in SIZES:
        world = make_class(size)
        url = f"/api/classbook/classes/{world.room.id}/attendance"
        before = rows(app, Delivery)
        first = counted_put(app, world, url, roll_call(world, "unexcused"))
        assert rows(app, Delivery) - before == size, "every family's phone is told"
        again = counted_put(app, world, url, roll_call(world, "late"))
        assert rows(app, Delivery) - before == 2 * size
        counts.append((first, again))
    assert counts[0] == counts[1]


def grade_column(app, world, score: str) -> dict:
    return {
        "subject_id": world.maths.id,
        "term_id": term_id(app, world.school),
        "kind": "regular",
        "slot": 1,
        "entries": [{"student_id": pupil.id, "score": score} for pupil in world.pupils],
    }


def test_a_grade_column_of_45_costs_what_one_of_10_does(app, make_class):
    counts = []
    for size in SIZES:
        world = make_class(size)
        url = f"/api/classbook/classes/{world.room.id}/grades"
        audits, revisions = rows(app, AuditEntry), rows(app, GradeRevision)
        first = counted_put(app, world, url, grade_column(app, world, "8"))
        corrected = counted_put(app, world, url, grade_column(app, world, "9"))
        assert rows(app, AuditEntry) - audits == 2 * size, "each entry and change is audited"
        assert rows(app, GradeRevision) - revisions == 2 * size
        with app.app_context():
            unread = db.session.scalar(
                select(func.count()).where(
                    Notification.student_id.in_([pupil.id for pupil in world.pupils]),
                    Notification.replaced_at.is_(None),
                )
            )
        assert unread == size, "the correction replaces each family's unread news"
        counts.append((first, corrected))
    assert counts[0] == counts[1]


def test_a_trait_column_of_45_costs_what_one_of_10_does(app, make_class):
    counts = []
    for size in SIZES:
        world = make_class(size, SchoolLevel.PRIMARY)
        url = f"/api/classbook/classes/{world.room.id}/traits"
        body = {"term_id": term_id(app, world.school), "trait": "cham_chi", "slot": 2}
        entries = [{"student_id": pupil.id, "rating": "tot"} for pupil in world.pupils]
        first = counted_put(app, world, url, body | {"entries": entries})
        cleared = [{"student_id": pupil.id, "rating": None} for pupil in world.pupils]
        emptied = counted_put(app, world, url, body | {"entries": cleared})
        counts.append((first, emptied))
    assert counts[0] == counts[1]

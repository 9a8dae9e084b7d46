"""Health notes and comments: who may write them, what families are told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from contactbook.core.delivery.models import Notification
from contactbook.extensions import db
from contactbook.modules.classbook.models import Comment, HealthNote
from tests.modules.classbook.conftest import count_rows

FEVER = {"category": "temperature", "text": "Sốt, đã gọi phụ huynh", "measured_value": "38.5"}


def notes_url(student) -> str:
    return f"/api/classbook/students/{student.id}/health-notes"


def comments_url(student) -> str:
    return f"/api/classbook/students/{student.id}/comments"


def test_nurse_writes_an_urgent_note_and_the_family_is_told_at_once(
    app, login, write, school_class
):
    login(school_class.nurse.phone)
    response = write("POST", notes_url(school_class.child), {**FEVER, "is_urgent": True})
    assert response.status_code == 201
    assert response.get_json()["measured_value"] == "38.5"
    with app.app_context():
        told = db.session.scalars(
            select(Notification).where(Notification.user_id == school_class.parent.id)
        ).all()
    assert [(n.event, n.urgency) for n in told] == [("classbook.health_note_added", "high")]
    assert count_rows(app, HealthNote) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nurse", 201),
        ("homeroom", 201),
        ("maths_teacher", 403),
        ("admin", 403),
        ("other_parent", 404),
        ("outsider_teacher", 404),
    ],
)
def test_who_may_write_health_notes(app, login, write, school_class, who, status):
    login(getattr(school_class, who).phone)
    assert write("POST", notes_url(school_class.child), FEVER).status_code == status


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "gossip"}, "category"),
        ({"text": ""}, "text"),
        ({"measured_value": "hot"}, "measured_value"),
    ],
)
def test_bad_health_notes_get_field_errors(app, login, write, school_class, change, field):
    login(school_class.nurse.phone)
    response = write("POST", notes_url(school_class.child), {**FEVER, **change})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]
    assert count_rows(app, HealthNote) == 0


def test_a_note_in_the_future_is_refused(app, login, write, school_class):
    login(school_class.nurse.phone)
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    response = write("POST", notes_url(school_class.child), {**FEVER, "observed_at": later})
    assert response.status_code == 422
    assert count_rows(app, HealthNote) == 0


def test_teacher_praises_a_pupil_for_their_subject(app, login, write, school_class):
    world = school_class
    login(world.maths_teacher.phone)
    payload = {"kind": "praise", "text": "Em tích cực phát biểu.", "subject_id": world.maths.id}
    assert write("POST", comments_url(world.child), payload).status_code == 201
    arts = {"kind": "concern", "text": "Quên đồ dùng.", "subject_id": world.arts.id}
    refused = write("POST", comments_url(world.child), arts)
    assert refused.status_code == 422
    assert count_rows(app, Comment) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("homeroom", 201), ("nurse", 403), ("parent", 403), ("other_parent", 404)],
)
def test_who_may_write_comments(app, login, write, school_class, who, status):
    login(getattr(school_class, who).phone)
    payload = {"kind": "concern", "text": "Em cần tập trung hơn."}
    assert write("POST", comments_url(school_class.child), payload).status_code == status

"""Closing a term locks its records; only the school's admin may close or reopen it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from contactbook.modules.classbook.models import AuditAction
from tests.modules.classbook.conftest import term_id


def test_admin_closes_and_reopens_a_term_with_an_audit_trail(app, login, write, school_class):
    world = school_class
    term = term_id(app, world.school)
    grade = {
        "subject_id": world.maths.id,
        "term_id": term,
        "kind": "midterm",
        "slot": 1,
        "entries": [{"student_id": world.child.id, "score": "8"}],
    }
    login(world.admin.phone)
    assert write("PATCH", f"/api/classbook/terms/{term}", {"is_closed": True}).status_code == 200

    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    locked = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", grade, on=teacher)
    assert locked.status_code == 422
    assert locked.get_json()["errors"] == {
        "term_id": ["Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại."]
    }

    assert write("PATCH", f"/api/classbook/terms/{term}", {"is_closed": False}).status_code == 200
    opened = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", grade, on=teacher)
    assert opened.status_code == 200
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("classbook.term%"))
        ).all()
    assert actions == [AuditAction.TERM_CLOSED, AuditAction.TERM_REOPENED]


@pytest.mark.parametrize(
    ("who", "status"),
    [("homeroom", 403), ("nurse", 403), ("parent", 403), ("outsider_teacher", 404)],
)
def test_others_may_not_lock_terms(app, login, write, school_class, who, status):
    login(getattr(school_class, who).phone)
    term = term_id(app, school_class.school)
    response = write("PATCH", f"/api/classbook/terms/{term}", {"is_closed": True})
    assert response.status_code == status

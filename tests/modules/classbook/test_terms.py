"""A closed term's records are read-only for teachers until the school's admin reopens it."""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from tests.modules.classbook.conftest import term_id

TERM_API = "/api/schooladmin/structure/terms/{}"


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
    assert (
        write("PATCH", TERM_API.format(term), {"is_closed": True, "confirm_gaps": True}).status_code
        == 200
    )

    teacher = app.test_client()
    login(world.maths_teacher.phone, on=teacher)
    locked = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", grade, on=teacher)
    assert locked.status_code == 422
    assert locked.get_json()["errors"] == {
        "term_id": ["Học kì đã khóa sổ; hãy đề nghị quản trị nhà trường mở lại."]
    }

    assert write("PATCH", TERM_API.format(term), {"is_closed": False}).status_code == 200
    opened = write("PUT", f"/api/classbook/classes/{world.room.id}/grades", grade, on=teacher)
    assert opened.status_code == 200
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("schooladmin.term%"))
        ).all()
    assert actions == ["schooladmin.term_closed", "schooladmin.term_reopened"]

"""The demo has families still to join, so the invite pages show what they are for."""

from __future__ import annotations

import re

from sqlalchemy import select

from contactbook.core.demo.seed import DEMO_SIGN_INS
from contactbook.core.directory.models import Classroom, User
from contactbook.extensions import db


def test_demo_teacher_sees_families_still_to_join_and_prints_their_codes(
    app, runner, client, login
):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "families not joined yet" in result.output
    teacher = next(entry for entry in DEMO_SIGN_INS if entry[0] == "teacher")
    login(teacher[1], teacher[2])
    with app.app_context():
        without_password = db.session.scalar(
            select(db.func.count()).select_from(User).where(User.password_hash.is_(None))
        )
        room_id = db.session.scalar(
            select(Classroom.id)
            .join(User, Classroom.homeroom_teacher_id == User.id)
            .where(User.phone == "+84912000001")
        )
    assert without_password > 0

    page = client.get(f"/schooladmin/invites/classes/{room_id}").get_data(as_text=True)
    joined, total = map(int, re.search(r"(\d+) / (\d+) gia đình đã tham gia", page).groups())
    assert 0 < joined < total

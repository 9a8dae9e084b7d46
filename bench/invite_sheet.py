"""Time printing a class's invite sheet: 45 families, a code and a QR code each.

    .venv/bin/python -m bench.invite_sheet [database-url]

Builds a school with one class of 45 pupils whose guardians have not joined, signs the
homeroom teacher in, and times the POST that issues the codes and renders the printable page
(hashing, the rows, one QR code per slip as inline SVG), best and worst of five prints.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from contactbook import create_app
from contactbook.core.directory.identity import hash_password
from contactbook.core.directory.models import (
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
    User,
)
from contactbook.core.platform.module_contract import Role
from contactbook.extensions import db

PUPILS = 45
PASSWORD = "bench password 42"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def build(app) -> int:
    """One school, one class of 45 pupils, each with a guardian from the roster."""
    with app.app_context():
        db.create_all()
        school = School(
            code="B1",
            name="Trường Bench",
            level=SchoolLevel.LOWER_SECONDARY,
            district=District(code="D", name="D"),
        )
        year = SchoolYear(
            school=school, name="2026–2027", starts_on=date(2026, 9, 5), ends_on=date(2027, 5, 31)
        )
        teacher = User(
            phone="+84912000001", display_name="Cô Chủ Nhiệm", password_hash=hash_password(PASSWORD)
        )
        teacher.memberships = [Membership(role=Role.TEACHER, school=school)]
        room = Classroom(school_year=year, name="6A", grade_level=6, homeroom_teacher=teacher)
        for n in range(PUPILS):
            parent = User(phone=f"+8490300{n:04d}", display_name=f"Phụ Huynh {n}")
            pupil = Student(
                school=school,
                student_code=f"HS{n:05d}",
                family_name="Nguyễn",
                middle_name="Văn",
                given_name=f"An{n}",
                date_of_birth=date(2014, 1, 1),
                gender=Gender.MALE,
            )
            pupil.enrollments = [Enrollment(classroom=room)]
            pupil.guardianships = [Guardianship(user=parent, relationship_kind=Relationship.MOTHER)]
            db.session.add(pupil)
        db.session.add(room)
        db.session.commit()
        return room.id


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 40, "TESTING": True}
        )
        room_id = build(app)
        client = app.test_client()
        token = TOKEN.search(client.get("/signin").get_data(as_text=True)).group(1)
        client.post(
            "/signin", data={"identifier": "0912000001", "password": PASSWORD, "csrf_token": token}
        )
        timings = []
        for _ in range(5):
            token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
            started = time.perf_counter()
            response = client.post(
                f"/schooladmin/invites/classes/{room_id}/sheet", data={"csrf_token": token}
            )
            timings.append(time.perf_counter() - started)
            page = response.get_data(as_text=True)
            assert response.status_code == 200 and page.count("<svg") == PUPILS, "45 slips"
        print(f"{PUPILS} codes with QR: best {min(timings):.3f} s, worst {max(timings):.3f} s")
        with app.app_context():
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()

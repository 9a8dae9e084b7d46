"""An announcement to a whole school of 1,500 families: how long posting it takes.

Run (from the project root):
  .venv/bin/python -m bench.announcement_fanout sqlite
  .venv/bin/python -m bench.announcement_fanout postgresql+psycopg://postgres@127.0.0.1:5432/contactbook_bench

One lower secondary school, 40 classes, 1,500 pupils, each family one guardian and every third a
second one (2,000 guardians); two in three guardians have a phone subscribed to Web Push. The
admin posts to the whole school through the service the API calls; the time covers the
transaction from the first query to the commit: the announcement, one receipt per guardian, one
inbox row per guardian and one outbox row per device. Five posts, each timed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time as clock
from datetime import date
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from bench.daily_summary import config, fresh_database

FAMILIES, CLASSES, RUNS = 1500, 40, 5


def generate(app) -> None:
    """Bulk-insert the school, its classes, pupils, guardians and their devices."""
    from contactbook.core.delivery.models import PushSubscription
    from contactbook.core.directory.models import (
        Classroom,
        District,
        Enrollment,
        Gender,
        Guardianship,
        Membership,
        School,
        SchoolLevel,
        SchoolYear,
        Student,
        Term,
        TermKind,
        User,
    )
    from contactbook.core.platform import Role
    from contactbook.extensions import db

    db.create_all()
    db.session.execute(insert(District), [{"id": 1, "code": "GT", "name": "Giao Thủy"}])
    db.session.execute(
        insert(School),
        [
            {
                "id": 1,
                "district_id": 1,
                "code": "S1",
                "name": "THCS 1",
                "level": SchoolLevel.LOWER_SECONDARY,
            }
        ],
    )
    db.session.execute(
        insert(SchoolYear),
        [
            {
                "id": 1,
                "school_id": 1,
                "name": "2026–2027",
                "starts_on": date(2026, 9, 5),
                "ends_on": date(2027, 5, 31),
            }
        ],
    )
    db.session.execute(
        insert(Term),
        [
            {
                "school_year_id": 1,
                "kind": TermKind.HK1,
                "starts_on": date(2026, 9, 5),
                "ends_on": date(2027, 1, 16),
            }
        ],
    )
    db.session.execute(
        insert(Classroom),
        [
            {
                "id": room,
                "school_year_id": 1,
                "name": f"{6 + room % 4}A{room}",
                "grade_level": 6 + room % 4,
            }
            for room in range(1, CLASSES + 1)
        ],
    )
    users = [{"id": 1, "username": "admin", "display_name": "Hiệu trưởng"}]
    students, enrollments, guardianships, devices = [], [], [], []
    guardian = 1
    for pupil in range(1, FAMILIES + 1):
        students.append(
            {
                "id": pupil,
                "school_id": 1,
                "student_code": f"HS{pupil:05d}",
                "family_name": "Nguyễn",
                "middle_name": "Văn",
                "given_name": f"An{pupil}",
                "date_of_birth": date(2014, 1, 1),
                "gender": Gender.MALE,
            }
        )
        enrollments.append({"student_id": pupil, "classroom_id": 1 + pupil % CLASSES})
        for _parent in range(2 if pupil % 3 == 0 else 1):
            guardian += 1
            users.append({"id": guardian, "phone": f"+8490{guardian:07d}", "display_name": "PH"})
            guardianships.append(
                {"student_id": pupil, "user_id": guardian, "relationship_kind": "mother"}
            )
            if guardian % 3:
                devices.append(
                    {
                        "user_id": guardian,
                        "endpoint": f"https://push.example/{guardian}",
                        "p256dh": "x",
                        "auth": "x",
                    }
                )
    for model, rows in (
        (User, users),
        (Student, students),
        (Enrollment, enrollments),
        (Guardianship, guardianships),
        (PushSubscription, devices),
    ):
        db.session.execute(insert(model), rows)
    db.session.execute(
        insert(Membership), [{"user_id": 1, "role": Role.SCHOOL_ADMIN, "school_id": 1}]
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("users", "students", "guardianships", "enrollments", "classrooms"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def main(url: str) -> None:
    from contactbook import create_app
    from contactbook.core.delivery.models import Delivery, Notification
    from contactbook.core.directory.models import School, User
    from contactbook.extensions import db
    from contactbook.modules.messaging.models import AnnouncementReceipt, Audience
    from contactbook.modules.messaging.services.announcements import (
        AnnouncementDraft,
        post_announcement,
    )

    if url == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    fresh_database(url)
    app = create_app(config(url))
    timings = []
    with app.app_context():
        generate(app)
        for run in range(RUNS):
            admin = db.session.get(User, 1)
            school = db.session.get(School, 1)
            draft = AnnouncementDraft(
                audience=Audience.SCHOOL,
                title=f"Thông báo {run}",
                body="Nghỉ học ngày 20/11.",
                needs_acknowledgement=True,
                deadline=date(2027, 1, 10),
            )
            with app.test_request_context():
                started = clock.perf_counter()
                post_announcement(admin, school, draft)
                timings.append(clock.perf_counter() - started)
            db.session.expire_all()
        counts = {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in (
                ("receipts", AnnouncementReceipt),
                ("inbox rows", Notification),
                ("outbox rows", Delivery),
            )
        }
        db.engine.dispose()
    print(f"database: {make_url(url).get_backend_name()}, {FAMILIES} families, {RUNS} posts")
    print("rows written in all:", ", ".join(f"{count} {name}" for name, count in counts.items()))
    print("seconds per post:", ", ".join(f"{seconds:.3f}" for seconds in timings))
    print(f"median {statistics.median(timings):.3f} s, worst {max(timings):.3f} s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")

"""Time sending a message to a conversation with three guardians, in process.

  .venv/bin/python -m bench.messaging_send [count] [database url]

Each send is what the API's service does for a parent's message: the access check, the row,
the conversation's newest id, and notify() for the two other guardians (each with a phone
subscribed to push) and the homeroom teacher (inside office hours). Prints p50/p95/max in ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time as clock
from datetime import date
from pathlib import Path

from contactbook import create_app
from contactbook.core.delivery import PushSubscription
from contactbook.core.directory import (
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
from contactbook.core.platform import Role
from contactbook.extensions import db
from contactbook.modules.messaging.services.conversation_messages import send_message
from contactbook.modules.messaging.services.conversations import start_conversation


def build(app) -> tuple[int, int]:
    """A school, a class, its homeroom teacher and a child with three guardians."""
    school = School(code="B1", name="Trường THCS Bench", level=SchoolLevel.LOWER_SECONDARY)
    school.district = District(code="BD", name="Quận Bench")
    year = SchoolYear(
        school=school, name="2026–2027", starts_on=date(2026, 9, 5), ends_on=date(2027, 5, 31)
    )
    teacher = User(
        username="gv",
        display_name="Cô Hạnh",
        memberships=[Membership(role=Role.TEACHER, school=school)],
    )
    room = Classroom(school_year=year, name="6A", grade_level=6, homeroom_teacher=teacher)
    guardians = [
        User(
            phone=f"+8491200000{n}",
            display_name=f"Phụ huynh {n}",
            memberships=[Membership(role=Role.GUARDIAN, school=school)],
        )
        for n in range(3)
    ]
    child = Student(
        school=school,
        student_code="HS1",
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Anh",
        date_of_birth=date(2014, 3, 8),
        gender=Gender.FEMALE,
    )
    child.enrollments = [Enrollment(classroom=room)]
    child.guardianships = [
        Guardianship(user=g, relationship_kind=Relationship.MOTHER) for g in guardians
    ]
    db.session.add_all([school, year, teacher, room, child, *guardians])
    db.session.add_all(
        PushSubscription(
            user=g, endpoint=f"https://fcm.googleapis.com/fcm/send/{g.phone}", p256dh="p", auth="a"
        )
        for g in guardians
    )
    db.session.commit()
    conversation = start_conversation(guardians[0], child)
    return conversation.id, guardians[0].id


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    folder = Path(tempfile.mkdtemp())
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{folder / 'bench.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "b" * 40,
            "MESSAGING_UPLOAD_FOLDER": str(folder / "uploads"),
        }
    )
    timings = []
    with app.test_request_context():
        db.drop_all()
        db.create_all()
        conversation_id, sender_id = build(app)
        from contactbook.modules.messaging.models import Conversation

        for n in range(count):
            db.session.expunge_all()
            started = clock.perf_counter()
            sender = db.session.get(User, sender_id)
            conversation = db.session.get(Conversation, conversation_id)
            send_message(sender, conversation, f"Tin nhắn số {n} 🙏")
            timings.append((clock.perf_counter() - started) * 1000)
        db.drop_all()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{count} sends on {url.split(':')[0]}: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()

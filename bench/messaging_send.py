"""Time sending a message to a conversation with three guardians, in process.

  .venv/bin/python -m bench.messaging_send [count] [database url]

Two ways, `count` sends each, on a Tuesday morning inside the teacher's office hours:
- the service: the visibility query and what `send_message()` does for a parent's message:
  the access check, the row,
  the conversation's newest id, and notify() for the two other guardians (each with a phone
  subscribed to push) and the homeroom teacher;
- the API: the whole POST the page's script sends (multipart form, CSRF header,
  Idempotency-Key), through the signed-in test client: session, idempotency record, the
  visibility query, the service and the JSON answer.
Prints p50/p95/max in ms and the SQL statements one send issues.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import event, select

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
from contactbook.core.directory.identity import hash_password
from contactbook.core.platform import Role
from contactbook.extensions import db
from contactbook.modules.messaging.services.conversation_messages import send_message
from contactbook.modules.messaging.services.conversations import (
    get_conversation,
    start_conversation,
)

# A school day's morning, inside the homeroom teacher's default office hours.
TUESDAY_MORNING = datetime(2026, 11, 17, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
GUARDIAN_PHONE = "+8491200000"
PASSWORD = "bench password 42"
CSRF_TOKEN = re.compile(
    r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"'
)


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
            phone=f"{GUARDIAN_PHONE}{n}",
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


def timed(send, count: int) -> tuple[list[float], int]:
    """Run `send(n)` count times; the times in ms, and the statements of the last send."""
    statements = []

    def counted(*_args) -> None:
        statements.append(1)

    timings = []
    for n in range(count):
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", counted)
        started = clock.perf_counter()
        send(n)
        timings.append((clock.perf_counter() - started) * 1000)
        event.remove(db.engine, "before_cursor_execute", counted)
    return sorted(timings), len(statements)


def report(what: str, timings: list[float], statements: int) -> None:
    """One line: p50, p95 and max in ms, and the statements of one send."""
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{len(timings)} sends, {what}: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms, {statements} SQL statements per send"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    folder = Path(tempfile.mkdtemp())
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{folder / 'bench.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "b" * 40,
            "MESSAGING_UPLOAD_FOLDER": str(folder / "uploads"),
            "RATELIMIT_ENABLED": False,
        }
    )
    print(f"on {url.split(':')[0]}")
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        with app.app_context():
            db.drop_all()
            db.create_all()
        with app.test_request_context():
            conversation_id, sender_id = build(app)

            def service_send(n: int) -> None:
                db.session.expunge_all()
                sender = db.session.get(User, sender_id)
                conversation = get_conversation(sender, conversation_id)
                send_message(sender, conversation, f"Tin nhắn số {n} 🙏")

            report("service", *timed(service_send, count))
        phone, token = signed_in(app)
        url_of_messages = f"/api/messaging/conversations/{conversation_id}/messages"

        def api_send(n: int) -> None:
            answer = phone.post(
                url_of_messages,
                data={"text": f"Tin nhắn số {n} 🙏"},
                content_type="multipart/form-data",
                headers={"X-CSRFToken": token, "Idempotency-Key": f"bench-{n}"},
            )
            assert answer.status_code == 201, answer.get_data(as_text=True)

        with app.app_context():
            report("API", *timed(api_send, count))
            db.drop_all()


def signed_in(app) -> tuple[FlaskClient, str]:
    """The first guardian's phone, signed in through the form, and its CSRF token."""
    with app.app_context():
        guardian = db.session.scalar(select(User).where(User.phone == f"{GUARDIAN_PHONE}0"))
        guardian.password_hash = hash_password(PASSWORD)
        db.session.commit()
    phone = app.test_client()
    phone.post(
        "/signin",
        data={"identifier": f"{GUARDIAN_PHONE}0", "password": PASSWORD, "csrf_token": csrf(phone)},
    )
    return phone, csrf(phone, "/")


def csrf(phone: FlaskClient, path: str = "/signin") -> str:
    """The CSRF token a page gives the browser."""
    found = CSRF_TOKEN.search(phone.get(path).get_data(as_text=True))
    return found.group(1) or found.group(2)


if __name__ == "__main__":
    main()

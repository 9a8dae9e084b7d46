"""More teachers, classes and parents than the demo has, added to the demo's first school.

The busiest minute and the roll-call bench need tens of teachers each with a class of 40 and
hundreds of parents; the demo stays small, so the benchmarks add their own people here. One
password hash serves every account (argon2 salts it once; the sign-in check costs the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from contactbook import create_app
from contactbook.core.delivery import PushSubscription
from contactbook.core.directory import (
    Classroom,
    Enrollment,
    Gender,
    Guardianship,
    Membership,
    Relationship,
    School,
    SchoolYear,
    Student,
    User,
)
from contactbook.core.directory.identity import hash_password
from contactbook.core.platform import Role
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, DaySession
from contactbook.modules.classbook.services.calendar import no_lessons_reason

PASSWORD = "bench password 42"
PUPILS_PER_CLASS = 40


@dataclass
class TeacherSeat:
    """A teacher's sign-in and the class whose roll call they save."""

    username: str
    classroom_id: int
    student_ids: list[int]


@dataclass
class Parent:
    """A parent's sign-in and their child's page."""

    phone: str
    student_id: int


@dataclass
class Crowd:
    """Everyone the load benchmarks sign in, and the roll calls the classes may be saved for."""

    teachers: list[TeacherSeat]
    parents: list[Parent]
    slots: list[tuple[str, str]]


def bench_app(url: str, secret_key: str):
    """The app in this process, on the benchmark's database."""
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key, "RATELIMIT_ENABLED": False}
    )


def add_crowd(app, teachers: int, parents: int) -> Crowd:
    """Add `teachers` homeroom teachers with a class of 40 each and `parents` parents of them."""
    with app.app_context():
        school = db.session.scalars(select(School).order_by(School.id)).first()
        today = school.today()
        year = db.session.scalars(
            select(SchoolYear).where(
                SchoolYear.school_id == school.id,
                SchoolYear.starts_on <= today,
                SchoolYear.ends_on >= today,
            )
        ).one()
        password = hash_password(PASSWORD)
        rooms = []
        for n in range(teachers):
            teacher = User(
                username=f"bench.gv{n}",
                display_name=f"Giáo viên {n}",
                password_hash=password,
                memberships=[Membership(role=Role.TEACHER, school=school)],
            )
            room = Classroom(
                school_year=year, name=f"B{n}", grade_level=6, homeroom_teacher=teacher
            )
            room.enrollments = [
                Enrollment(student=_pupil(school, n * PUPILS_PER_CLASS + p))
                for p in range(PUPILS_PER_CLASS)
            ]
            rooms.append(room)
        db.session.add_all(rooms)
        db.session.flush()
        pupils = [e.student for room in rooms for e in room.enrollments]
        families = []
        for n, child in enumerate(pupils[:parents]):
            parent = User(
                phone=f"+84983{n:06d}",
                display_name=f"Phụ huynh {n}",
                password_hash=password,
                memberships=[Membership(role=Role.GUARDIAN, school=school)],
            )
            child.guardianships.append(
                Guardianship(user=parent, relationship_kind=Relationship.MOTHER)
            )
            if n % 3:
                db.session.add(
                    PushSubscription(
                        user=parent,
                        endpoint=f"https://fcm.googleapis.com/fcm/send/bench{n}",
                        p256dh="p",
                        auth="a",
                    )
                )
            families.append((parent, child))
        db.session.commit()
        with app.test_request_context():
            slots = _roll_call_slots(rooms[0], year.starts_on, today)
        return Crowd(
            teachers=[
                TeacherSeat(
                    room.homeroom_teacher.username,
                    room.id,
                    [e.student_id for e in room.enrollments],
                )
                for room in rooms
            ],
            parents=[Parent(parent.phone, child.id) for parent, child in families],
            slots=slots,
        )


def forget_roll_calls(app, crowd: Crowd) -> None:
    """Delete the benchmark classes' marks, so every save of the next run is a first save."""
    with app.app_context():
        db.session.execute(
            delete(AttendanceMark).where(
                AttendanceMark.classroom_id.in_([t.classroom_id for t in crowd.teachers])
            )
        )
        db.session.commit()


def count_marks(app, crowd: Crowd) -> int:
    """The marks the benchmark classes hold, to check the saves were written."""
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(
                AttendanceMark.classroom_id.in_([t.classroom_id for t in crowd.teachers])
            )
        )


def _pupil(school: School, n: int) -> Student:
    return Student(
        school=school,
        student_code=f"BENCH{n:05d}",
        family_name="Trần",
        middle_name="Văn",
        given_name=f"Bình {n}",
        date_of_birth=date(2014, 1, 1) + timedelta(days=n % 365),
        gender=Gender.MALE if n % 2 else Gender.FEMALE,
    )


def _roll_call_slots(room: Classroom, first: date, today: date) -> list[tuple[str, str]]:
    """Every (day, session) a roll call may be saved for, newest first."""
    days = (today - timedelta(days=n) for n in range((today - first).days + 1))
    return [
        (day.isoformat(), str(session))
        for day in days
        if no_lessons_reason(room, day) is None
        for session in DaySession
    ]

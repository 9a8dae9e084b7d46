"""Daily summaries for a whole district: build time and memory at full size.

Run (from the project root):
  .venv/bin/python -m bench.daily_summary sqlite
  .venv/bin/python -m bench.daily_summary postgresql+psycopg://postgres@127.0.0.1:5432/contactbook_bench

A district like Giao Thủy: 30 schools, 36,000 students, 60,000 guardians, one school day of
records (a roll call for every class, about 2 grades per student, some health notes and
comments). Data is made in one process; the build runs in a fresh one, so its peak memory is the
build's own.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import sys
import tempfile
import time as clock
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from contactbook.core.directory.subjects import SubjectCode

SCHOOLS, STUDENTS_PER_SCHOOL, GUARDIANS_PER_SCHOOL = 30, 1200, 2000
CLASS_SIZE = 40
DAY = date(2026, 11, 16)  # a Monday in semester I
SUBJECTS = (
    (SubjectCode.TOAN, "Toán"),
    (SubjectCode.NGU_VAN, "Ngữ văn"),
    (SubjectCode.NGOAI_NGU_1, "Ngoại ngữ 1"),
    (SubjectCode.KHOA_HOC_TU_NHIEN, "Khoa học tự nhiên"),
    (SubjectCode.LICH_SU_DIA_LI, "Lịch sử và Địa lí"),
    (SubjectCode.TIN_HOC, "Tin học"),
)


def config(url: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40, "TESTING": True}


def fresh_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def generate(url: str) -> None:
    """Bulk-insert the district and one day of records."""
    from contactbook import create_app
    from contactbook.core.delivery.models import PushSubscription
    from contactbook.core.directory.models import (
        Assessment,
        Classroom,
        District,
        Enrollment,
        Gender,
        Guardianship,
        School,
        SchoolLevel,
        SchoolYear,
        Student,
        Subject,
        Term,
        TermKind,
        User,
    )
    from contactbook.extensions import db
    from contactbook.modules.classbook.models import AttendanceMark, Comment, Grade, HealthNote

    rng = random.Random(7)
    app = create_app(config(url))
    with app.app_context():
        db.create_all()
        stamp = datetime.combine(DAY, time(3, 0), tzinfo=UTC)  # 10:00 at school
        db.session.execute(insert(District), [{"id": 1, "code": "GT", "name": "Giao Thủy"}])
        rows: dict[type, list[dict]] = {
            model: []
            for model in (
                School,
                SchoolYear,
                Term,
                Classroom,
                Subject,
                Student,
                Enrollment,
                User,
                Guardianship,
                PushSubscription,
                AttendanceMark,
                Grade,
                HealthNote,
                Comment,
            )
        }
        student_id = user_id = 0
        for school in range(1, SCHOOLS + 1):
            rows[School].append(
                {
                    "id": school,
                    "district_id": 1,
                    "code": f"S{school}",
                    "name": f"THCS {school}",
                    "level": SchoolLevel.LOWER_SECONDARY,
                }
            )
            rows[SchoolYear].append(
                {
                    "id": school,
                    "school_id": school,
                    "name": "2026–2027",
                    "starts_on": date(2026, 9, 5),
                    "ends_on": date(2027, 5, 31),
                }
            )
            rows[Term].append(
                {
                    "school_year_id": school,
                    "kind": TermKind.HK1,
                    "starts_on": date(2026, 9, 5),
                    "ends_on": date(2027, 1, 16),
                }
            )
            subjects = []
            for code, name in SUBJECTS:
                subject_id = len(rows[Subject]) + 1
                rows[Subject].append(
                    {
                        "id": subject_id,
                        "school_id": school,
                        "grade_level": 6,
                        "code": code,
                        "name": name,
                        "periods_per_year": 105,
                        "assessment": Assessment.SCORE,
                    }
                )
                subjects.append(subject_id)
            user_id += 1
            teacher = user_id
            rows[User].append(
                {
                    "id": teacher,
                    "username": f"t{teacher}",
                    "password_hash": "x",
                    "display_name": "Giáo viên",
                }
            )
            guardians = list(range(user_id + 1, user_id + GUARDIANS_PER_SCHOOL + 1))
            user_id += GUARDIANS_PER_SCHOOL
            for guardian in guardians:
                rows[User].append(
                    {
                        "id": guardian,
                        "username": f"g{guardian}",
                        "password_hash": "x",
                        "display_name": "Phụ huynh",
                    }
                )
                if rng.random() < 0.6:
                    rows[PushSubscription].append(
                        {
                            "user_id": guardian,
                            "endpoint": f"https://push.example/{guardian}",
                            "p256dh": "x",
                            "auth": "x",
                        }
                    )
            for number in range(STUDENTS_PER_SCHOOL):
                if number % CLASS_SIZE == 0:
                    classroom = len(rows[Classroom]) + 1
                    rows[Classroom].append(
                        {
                            "id": classroom,
                            "school_year_id": school,
                            "name": f"6A{classroom}",
                            "grade_level": 6,
                        }
                    )
                student_id += 1
                rows[Student].append(
                    {
                        "id": student_id,
                        "school_id": school,
                        "student_code": f"HS{student_id}",
                        "family_name": "Nguyễn",
                        "middle_name": "Văn",
                        "given_name": f"Em{student_id}",
                        "date_of_birth": date(2015, 1, 1),
                        "gender": Gender.MALE,
                    }
                )
                rows[Enrollment].append({"classroom_id": classroom, "student_id": student_id})
                family = rng.sample(guardians, 2) if rng.random() < 0.7 else [rng.choice(guardians)]
                for guardian in family:
                    rows[Guardianship].append(
                        {
                            "student_id": student_id,
                            "user_id": guardian,
                            "relationship_kind": "mother",
                        }
                    )
                status = rng.choices(["present", "excused", "unexcused", "late"], [95, 2, 1, 2])[0]
                rows[AttendanceMark].append(
                    {
                        "classroom_id": classroom,
                        "student_id": student_id,
                        "day": DAY,
                        "session": "morning",
                        "status": status,
                        "note": "",
                        "recorded_by_id": teacher,
                        "updated_at": stamp,
                    }
                )
                for subject in rng.sample(subjects, 2):
                    rows[Grade].append(
                        {
                            "student_id": student_id,
                            "subject_id": subject,
                            "term_id": school,
                            "kind": "regular",
                            "slot": 1,
                            "score_tenths": rng.randint(40, 100),
                            "recorded_by_id": teacher,
                            "updated_at": stamp,
                        }
                    )
                if rng.random() < 0.01:
                    rows[HealthNote].append(
                        {
                            "student_id": student_id,
                            "category": "illness",
                            "is_urgent": False,
                            "text": "Ốm",
                            "observed_at": stamp,
                            "author_id": teacher,
                            "created_at": stamp,
                        }
                    )
                if rng.random() < 0.03:
                    rows[Comment].append(
                        {
                            "student_id": student_id,
                            "kind": "praise",
                            "text": "Giỏi",
                            "author_id": teacher,
                            "created_at": stamp,
                        }
                    )
        for model, batch in rows.items():
            for start in range(0, len(batch), 5000):
                db.session.execute(insert(model), batch[start : start + 5000])
        db.session.commit()
        print(
            f"made {SCHOOLS} schools, {student_id:,} students, {user_id:,} users, "
            f"{len(rows[Grade]):,} grades, {len(rows[PushSubscription]):,} devices"
        )
        db.engine.dispose()


def build_all(url: str, report) -> None:
    """Build every school's summaries for the day; report time, counts and peak memory."""
    from sqlalchemy import select

    from contactbook import create_app
    from contactbook.core.directory.models import School
    from contactbook.extensions import db
    from contactbook.modules.classbook.services.summaries import build_school_day

    app = create_app(config(url))
    with app.app_context():
        started = clock.perf_counter()
        built = 0
        for school in db.session.scalars(select(School).order_by(School.id)).all():
            built += build_school_day(school, DAY).built
        elapsed = clock.perf_counter() - started
        db.engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report.send((built, elapsed, peak_mb))


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'district.db'}" if target == "sqlite" else target
    fresh_database(url)
    context = multiprocessing.get_context("spawn")
    maker = context.Process(target=generate, args=(url,))
    maker.start()
    maker.join()
    ours, theirs = multiprocessing.Pipe()
    builder = context.Process(target=build_all, args=(url, theirs))
    builder.start()
    built, elapsed, peak_mb = ours.recv()
    builder.join()
    print(
        f"{make_url(url).get_backend_name()}: {built:,} summaries in {elapsed:.1f} s "
        f"({built / elapsed:,.0f}/s), peak memory of the build process {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()

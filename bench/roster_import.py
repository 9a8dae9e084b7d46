"""Roster import of a whole school: dry run and import time, and peak memory.

Run (from the project root):
  .venv/bin/python -m bench.roster_import sqlite
  .venv/bin/python -m bench.roster_import postgresql+psycopg://postgres@127.0.0.1:5432/contactbook_bench

A school of 3,000 pupils in 75 classes and 4,000 parents, written as an .xlsx export with a
title row, a mother's and a father's column (300 pupils share their mother with a sibling).
The school is made in one process; the upload, its dry run (reading the file, keeping its rows,
planning every row, rendering the dry run page), the confirmed import and a second dry run of
the same file run in a fresh one, so its peak memory is the import's own.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import sys
import tempfile
import time as clock
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from bench.daily_summary import config, fresh_database

PUPILS, CLASS_SIZE, SIBLINGS, FATHERS = 3000, 40, 300, 1300


def roster_file() -> bytes:
    """The school's export: 3,000 rows, 4,000 distinct parent phone numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("DS")
    sheet.append(["DANH SÁCH HỌC SINH"])
    sheet.append(["Mã HS", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp", "Họ tên mẹ", "SĐT mẹ",
                  "Họ tên cha", "SĐT cha"])  # fmt: skip
    for n in range(PUPILS):
        grade = 6 + n // 750
        room = f"{grade}A{(n % 750) // CLASS_SIZE + 1}"
        mother = n - 1 if n % 10 == 1 and n // 10 < SIBLINGS else n
        father = [f"Trần Văn Bố {n}", f"0913{n:06d}"] if n < FATHERS else [None, None]
        born = date(2014 - (grade - 6), 1, 1) + timedelta(days=n % 360)
        sheet.append([f"HS{n:05d}", f"Nguyễn Thị Học Sinh {n}", born, "Nữ" if n % 2 else "Nam",
                      room, f"Lê Thị Mẹ {mother}", f"0912{mother:06d}", *father])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def generate(url: str) -> tuple[int, int]:
    """The school, its year under way, 75 classes and its admin; returns (school, admin) ids."""
    from contactbook import create_app
    from contactbook.core.directory import (
        Classroom,
        District,
        Membership,
        School,
        SchoolLevel,
        SchoolYear,
        User,
    )  # fmt: skip
    from contactbook.core.platform import Role
    from contactbook.extensions import db

    fresh_database(url)
    app = create_app(config(url))
    with app.app_context():
        db.create_all()
        today = date.today()
        school = School(code="S1", name="THCS Bench", level=SchoolLevel.LOWER_SECONDARY)
        school.district = District(code="D1", name="Huyện Bench")
        year = SchoolYear(
            school=school, name="Năm học", starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=200),
        )  # fmt: skip
        rooms = {f"{6 + n // 750}A{(n % 750) // CLASS_SIZE + 1}" for n in range(PUPILS)}
        year.classrooms = [Classroom(name=name, grade_level=int(name[0])) for name in rooms]
        admin = User(username="admin", display_name="Admin", password_hash=None)
        admin.memberships = [Membership(role=Role.SCHOOL_ADMIN, school=school)]
        db.session.add_all([school, admin])
        db.session.commit()
        return school.id, admin.id


def run(url: str, school_id: int, admin_id: int, data: bytes, results) -> None:
    """Upload, dry run, import and dry run again, timed, in this fresh process."""
    from flask import render_template

    from contactbook import create_app
    from contactbook.core.directory import School, User
    from contactbook.extensions import db
    from contactbook.modules.schooladmin.services import roster
    from contactbook.modules.schooladmin.services.roster_plan import plan_for_display

    app = create_app(config(url))
    with app.test_request_context("/", method="POST"):
        admin, school = db.session.get(User, admin_id), db.session.get(School, school_id)
        timings = {}

        def dry_run(label: str) -> int:
            start = clock.perf_counter()
            upload = roster.check_upload(admin, school, "ds.xlsx", data)
            plan = roster.dry_run(admin, upload)
            html = render_template(
                "schooladmin/roster/dry_run.html", roster_import=upload, school=school,
                year=plan.school_year, **plan_for_display(plan),
            )  # fmt: skip
            timings[label] = (clock.perf_counter() - start, dict(plan.counts), len(html))
            return upload.id

        first = dry_run("dry run")
        start = clock.perf_counter()
        counts = roster.confirm(admin, roster.import_or_404(admin, first))
        timings["import"] = (clock.perf_counter() - start, counts, 0)
        dry_run("dry run again")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.send((timings, peak_mb))


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}" if target == "sqlite" else target
        school_id, admin_id = generate(url)
        data = roster_file()
        print(f"{url.split(':')[0]}: file of {len(data) / 1024:.0f} KiB, {PUPILS} rows")
        context = multiprocessing.get_context("spawn")
        ours, theirs = multiprocessing.Pipe()
        child = context.Process(target=run, args=(url, school_id, admin_id, data, theirs))
        child.start()
        timings, peak_mb = ours.recv()
        child.join()
        for label, (seconds, counts, html) in timings.items():
            page = f", page {html / 1024:.0f} KiB" if html else ""
            print(f"  {label}: {seconds:.2f} s {counts}{page}")
        print(f"  peak memory of the importing process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

"""`flask db upgrade` from an empty database builds exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from contactbook import create_app
from contactbook.extensions import db
from tests.conftest import TEST_DATABASE_URL, base_config, is_postgres


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """An empty database: a new file, or a new PostgreSQL database beside the test one."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"contactbook_migrations_{os.getpid()}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url) -> Iterator[Flask]:
    app = create_app(base_config(empty_database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_matches_the_models(fresh_app):
    runner = fresh_app.test_cli_runner()
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output

    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    # Tables of outside modules whose models another test imported come with their own branch.
    core_models = {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if mapper.class_.__module__.startswith("contactbook.")
    }
    assert core_models <= tables
    assert "alembic_version" in tables


def test_check_notices_a_database_that_differs_from_the_models(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_entries"))
    assert runner.invoke(args=["db", "check"]).exit_code != 0


BEFORE_CODES = "f07826890453"
# Rows as the app stored them before subject codes and grade revisions: the minimum around
# one grade that was entered (8,0), changed (8,5), and one unread notification on its topic,
# still to be sent.
OLD_ROWS = """
INSERT INTO districts (id, code, name) VALUES (1, 'D', 'Huyện');
INSERT INTO schools (id, district_id, code, name, level, timezone, daily_summary_time)
    VALUES (1, 1, 'S', 'Trường', 'lower_secondary', 'Asia/Ho_Chi_Minh', '17:00:00');
INSERT INTO users
    (id, username, password_hash, display_name, language, is_active, sign_in_count, created_at)
    VALUES (1, 'tung', 'x', 'Thầy Tùng', 'vi', true, 0, '2026-11-16 01:00:00');
INSERT INTO school_years (id, school_id, name, starts_on, ends_on)
    VALUES (1, 1, '2026-2027', '2026-09-05', '2027-05-31');
INSERT INTO terms (id, school_year_id, kind, starts_on, ends_on, is_closed)
    VALUES (1, 1, 'hk1', '2026-09-05', '2027-01-15', false);
INSERT INTO students
    (id, school_id, student_code, family_name, middle_name, given_name, date_of_birth, gender)
    VALUES (1, 1, 'HS1', 'Nguyễn', 'Bảo', 'Ngọc', '2015-03-02', 'female');
INSERT INTO subjects (id, school_id, grade_level, name, periods_per_year, assessment)
    VALUES (1, 1, 6, 'Toán', 140, 'score'), (2, 1, 6, 'Cờ vua', 35, 'comment');
INSERT INTO classbook_grades
    (id, student_id, subject_id, term_id, kind, slot, score_tenths, recorded_by_id,
     created_at, updated_at)
    VALUES (7, 1, 1, 1, 'regular', 1, 85, 1, '2026-11-16 01:00:00', '2026-11-17 01:00:00');
INSERT INTO audit_entries (actor_id, school_id, action, object_type, object_id, "before", "after",
                           created_at)
    VALUES (1, 1, 'classbook.grade', 'Grade', '7', 'null',
            '{"score_tenths": 80, "rating": null}', '2026-11-16 01:00:00'),
           (1, 1, 'classbook.grade', 'Grade', '7', '{"score_tenths": 80, "rating": null}',
            '{"score_tenths": 85, "rating": null}', '2026-11-17 01:00:00'),
           (1, 1, 'classbook.attendance', 'AttendanceMark', '7', 'null',
            '{"status": "late", "note": ""}', '2026-11-17 01:00:00');
INSERT INTO notifications (id, user_id, event, urgency, topic, data, created_at)
    VALUES (1, 1, 'classbook.grade_changed', 'normal', 'grade-7', '{}', '2026-11-17 01:00:00');
INSERT INTO deliveries
    (notification_id, channel, status, attempts, next_attempt_at, last_error, created_at)
    VALUES (1, 'email', 'pending', 0, '2026-11-17 01:00:00', '', '2026-11-17 01:00:00');
"""


def test_upgrade_keeps_grade_history_and_codes_subjects(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", BEFORE_CODES]).exit_code == 0
    with fresh_app.app_context(), db.engine.begin() as connection:
        for statement in OLD_ROWS.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output

    with fresh_app.app_context(), db.engine.connect() as connection:
        history = connection.execute(
            text(
                "SELECT grade_id, changed_by_id, before_score_tenths, before_rating,"
                " after_score_tenths, after_rating FROM classbook_grade_revisions ORDER BY id"
            )
        ).all()
        codes = connection.execute(text("SELECT name, code FROM subjects ORDER BY id")).all()
        topics = connection.scalars(text("SELECT topic FROM notifications")).all()
        deliveries = connection.scalar(text("SELECT count(*) FROM deliveries"))
    assert [tuple(row) for row in history] == [
        (7, 1, None, None, 80, None),
        (7, 1, 80, None, 85, None),
    ]
    assert [tuple(row) for row in codes] == [("Toán", "toan"), ("Cờ vua", "subject_2")]
    assert topics == ["classbook.grade-7"]
    assert deliveries == 1, "copying the notifications table keeps what it still has to send"

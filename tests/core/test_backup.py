"""`flask backup` of a running app holds every row and file; `flask restore` puts them back."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from tests.conftest import TEST_DATABASE_URL, is_postgres

FILES = {
    "messaging/uploads/3f/9a1c.jpg": b"\xff\xd8\xff\xe0 a pupil's drawing",
    "messaging/uploads/7b/02de.pdf": b"%PDF-1.7 a doctor's note",
    "vapid_private.pem": b"-----BEGIN PRIVATE KEY-----\n",
}


@pytest.fixture
def target_url(tmp_path) -> str:
    """An empty second database to restore into, of the same kind as the test database."""
    if not is_postgres():
        return f"sqlite:///{tmp_path / 'restored.db'}"
    url = make_url(TEST_DATABASE_URL)
    target = url.set(database=f"{url.database}_restore")
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    empty = create_engine(target)
    with empty.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    empty.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture
def school_data(app, make_school, make_classroom, make_student, make_user, tmp_path):
    """A small school with a class, pupils and a parent, and files in its own instance folder."""
    app.instance_path = str(tmp_path / "server" / "instance")
    school = make_school()
    room = make_classroom(school)
    parent = make_user()
    for _ in range(3):
        make_student(room, school, guardians=(parent,))
    for name, data in FILES.items():
        path = Path(app.instance_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def every_row(app: Flask) -> dict[str, list[tuple]]:
    """Each table's rows in primary-key order."""
    with app.app_context():
        with db.engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }


class Writer(threading.Thread):
    """Records audit entries one commit at a time, as a busy app would, until stopped."""

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.committed = 0
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        with self.app.app_context():
            while not self.stop.is_set():
                db.session.add(
                    AuditEntry(
                        action="test.write", object_type="test", object_id=str(self.committed)
                    )
                )
                db.session.commit()
                with self.progress:
                    self.committed += 1
                    self.progress.notify_all()
            db.session.remove()

    def wait_for(self, count: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.committed >= count, timeout=60)


def test_a_backup_taken_while_the_app_writes_restores_every_row_and_file(
    app, another_app, school_data, target_url, tmp_path
):
    archive = tmp_path / "backups" / "school.tar.gz"
    archive.parent.mkdir()
    writer = Writer(app)
    writer.start()
    try:
        writer.wait_for(5)
        before = every_row(app)
        made = app.test_cli_runner().invoke(args=["backup", str(archive)])
        writer.wait_for(writer.committed + 5)
    finally:
        writer.stop.set()
        writer.join()
    assert made.exit_code == 0, made.output
    assert f"{len(FILES)} files" in made.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    after = every_row(app)

    restored_app = another_app(SQLALCHEMY_DATABASE_URI=target_url)
    restored_app.instance_path = str(tmp_path / "new-server" / "instance")
    done = restored_app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert done.exit_code == 0, done.output
    restored = every_row(restored_app)

    for name, rows in before.items():
        if name != AuditEntry.__tablename__:
            assert restored[name] == rows, name
    assert sum(map(len, before.values())) > 10, "the school's rows were there to be copied"
    entries = restored[AuditEntry.__tablename__]
    assert entries[: len(before[AuditEntry.__tablename__])] == before[AuditEntry.__tablename__]
    assert entries == after[AuditEntry.__tablename__][: len(entries)], "one consistent moment"
    assert len(entries) < len(after[AuditEntry.__tablename__]), "writes went on after it"
    for name, data in FILES.items():
        assert (Path(restored_app.instance_path) / name).read_bytes() == data


def test_restore_refuses_a_database_with_rows_unless_forced(
    app, another_app, school_data, target_url, tmp_path
):
    archive = tmp_path / "school.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    restored_app = another_app(SQLALCHEMY_DATABASE_URI=target_url)
    restored_app.instance_path = str(tmp_path / "elsewhere")
    runner = restored_app.test_cli_runner()
    assert runner.invoke(args=["restore", str(archive)]).exit_code == 0
    copy = every_row(restored_app)

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "The database is not empty" in refused.output
    assert "--force" in refused.output
    forced = runner.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert every_row(restored_app) == copy


def test_restore_refuses_what_is_not_a_backup(app, tmp_path):
    stray = tmp_path / "notes.tar.gz"
    stray.write_bytes(b"not an archive")
    refused = app.test_cli_runner().invoke(args=["restore", str(stray)])
    assert refused.exit_code == 1
    assert "is not a backup archive" in refused.output

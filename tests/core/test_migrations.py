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
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_check_notices_a_database_that_differs_from_the_models(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_entries"))
    assert runner.invoke(args=["db", "check"]).exit_code != 0

"""Settings come from the environment; production refuses weak ones."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from contactbook import create_app
from contactbook.config import SETTINGS
from contactbook.extensions import db
from tests.conftest import is_postgres


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """A clean environment whose instance folder is a temporary one."""
    for name in ("SECRET_KEY", "DATABASE_URL", "CONTACTBOOK_ENV", "CONTACTBOOK_MODULES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_defaults_put_the_database_and_a_generated_secret_in_instance(environment, tmp_path):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/instance/contactbook.db"
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(app.config["SECRET_KEY"]) >= 32
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_settings_come_from_the_environment(environment, tmp_path):
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.db")
    environment.setenv("SECRET_KEY", "k" * 40)
    environment.setenv("CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS", "1234")
    environment.setenv("CONTACTBOOK_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.db"
    assert app.config["SECRET_KEY"] == "k" * 40
    assert app.config["CONTACTBOOK_SQLITE_BUSY_TIMEOUT_MS"] == 1234
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize("secret", [None, "short"])
def test_production_refuses_a_missing_or_weak_secret_key(environment, secret):
    environment.setenv("CONTACTBOOK_ENV", "production")
    if secret:
        environment.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_cookies_are_secure_unless_debugging_or_told_otherwise(environment):
    environment.setenv("SECRET_KEY", "k" * 40)
    assert create_app().config["SESSION_COOKIE_SECURE"] is True
    environment.setenv("CONTACTBOOK_COOKIE_SECURE", "0")
    assert create_app().config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.skipif(is_postgres(), reason="SQLite connection settings; this run uses PostgreSQL")
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(app):
    with app.app_context():
        pragma = {
            name: db.session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}


def test_readme_documents_every_setting():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for _key, env_name, _default, _meaning in SETTINGS:
        assert f"| `{env_name}` |" in readme

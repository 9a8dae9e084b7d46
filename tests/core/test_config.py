"""Settings come from the environment; production refuses weak ones."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from contactbook import create_app
from contactbook.config import SETTINGS, ConfigError, secret_key_is_strong
from contactbook.core.delivery import vapid
from contactbook.extensions import db
from tests.conftest import VAPID_PEM, is_postgres

PROJECT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
CLEARED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "CONTACTBOOK_ENV",
    "CONTACTBOOK_MODULES",
    "FLASK_DEBUG",
    "WEB_CONCURRENCY",
    "CONTACTBOOK_RATELIMIT_STORAGE_URI",
    "CONTACTBOOK_SQLITE_IN_PRODUCTION",
    "CONTACTBOOK_VAPID_PRIVATE_KEY",
    "CONTACTBOOK_VAPID_PRIVATE_KEY_FILE",
    "CONTACTBOOK_VAPID_SUBJECT",
)


@pytest.fixture
def environment(tmp_path, monkeypatch):
    """A clean environment whose instance folder is a temporary one."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


@pytest.fixture
def production(environment, tmp_path):
    """A production environment that starts: every setting as the README asks."""
    settings = {
        "CONTACTBOOK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{tmp_path}/production.db",
        "CONTACTBOOK_SQLITE_IN_PRODUCTION": "1",
        "CONTACTBOOK_VAPID_SUBJECT": "mailto:it@school.example",
        "CONTACTBOOK_VAPID_PRIVATE_KEY": VAPID_PEM,
    }
    for name, value in settings.items():
        environment.setenv(name, value)
    return environment


def flask_command(*args: str, app: str = "wsgi") -> subprocess.CompletedProcess:
    """Run `flask --app wsgi ARGS` as an operator would, with this test's environment."""
    return subprocess.run(
        [str(FLASK), "--app", app, *args],
        cwd=PROJECT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


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


def test_production_starts_with_the_settings_the_readme_asks_for(production):
    app = create_app()
    assert app.config["CONTACTBOOK_ENV"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value", "sentence"),
    [
        ("SECRET_KEY", None, "SECRET_KEY is missing or guessable"),
        ("SECRET_KEY", "short", "SECRET_KEY is missing or guessable"),
        ("SECRET_KEY", "a" * 32, "SECRET_KEY is missing or guessable"),
        ("SECRET_KEY", "k" * 40, "SECRET_KEY is missing or guessable"),
        ("SECRET_KEY", "abcdefghijklmnopqrstuvwxyz0123456789", "SECRET_KEY is missing"),
        ("SECRET_KEY", "Password123" * 4, "SECRET_KEY is missing or guessable"),
        ("CONTACTBOOK_VAPID_SUBJECT", None, "CONTACTBOOK_VAPID_SUBJECT is the example"),
        ("FLASK_DEBUG", "1", "Debug mode is on"),
        ("CONTACTBOOK_SQLITE_IN_PRODUCTION", None, "DATABASE_URL is SQLite; use PostgreSQL"),
        ("WEB_CONCURRENCY", "4", "Rate limits are kept in memory but WEB_CONCURRENCY=4"),
    ],
)
def test_production_refuses_each_unsafe_setting_in_one_sentence(production, name, value, sentence):
    if value is None:
        production.delenv(name)
    else:
        production.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app()
    [problem] = refused.value.problems
    assert problem.startswith(sentence)
    assert "\n" not in problem


def test_several_workers_may_share_rate_limits_in_redis(production):
    production.setenv("WEB_CONCURRENCY", "4")
    production.setenv("CONTACTBOOK_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert create_app().config["CONTACTBOOK_WEB_WORKERS"] == 4


def test_a_secret_key_made_as_the_readme_says_is_strong_and_a_guessable_one_is_not():
    assert all(secret_key_is_strong(secrets.token_urlsafe(48)) for _ in range(200))
    assert all(secret_key_is_strong(secrets.token_hex(32)) for _ in range(200))
    assert not secret_key_is_strong("correct horse battery staple")
    assert not secret_key_is_strong("0123456789" * 4)


@pytest.mark.parametrize("value", ["prod", "Production", "staging", ""])
def test_an_unknown_environment_name_is_refused_in_any_environment(environment, value):
    environment.setenv("CONTACTBOOK_ENV", value)
    with pytest.raises(ConfigError, match="CONTACTBOOK_ENV"):
        create_app()


def test_the_flask_command_refuses_in_one_line_per_problem_without_a_traceback(production):
    production.setenv("SECRET_KEY", "a" * 32)
    production.setenv("FLASK_DEBUG", "1")
    refused = flask_command("db", "upgrade")
    assert refused.returncode != 0
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 2, refused.stderr
    assert lines[0].startswith("Refused to start: SECRET_KEY is missing or guessable")
    assert "secrets.token_urlsafe(48)" in lines[0]
    assert lines[1].startswith("Refused to start: Debug mode is on (FLASK_DEBUG or --debug)")
    production.setenv("CONTACTBOOK_ENV", "prod")
    unknown = flask_command("db", "upgrade", app="contactbook:create_app")
    assert unknown.returncode != 0
    assert unknown.stderr.strip() == (
        "Refused to start: CONTACTBOOK_ENV='prod' is unknown; use development or production."
    )


def test_an_install_makes_its_key_and_database_before_the_app_serves(production, tmp_path):
    key_file = tmp_path / "keys" / "vapid.pem"
    production.delenv("CONTACTBOOK_VAPID_PRIVATE_KEY")
    production.setenv("CONTACTBOOK_VAPID_PRIVATE_KEY_FILE", str(key_file))
    with pytest.raises(ConfigError, match="flask push vapid"):
        create_app()
    worker = flask_command("notify", "worker", "--once")
    assert worker.returncode != 0
    assert "Traceback" not in worker.stderr
    assert "No VAPID key" in worker.stderr
    migrated = flask_command("db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    made = flask_command("push", "vapid")
    assert made.returncode == 0, made.stderr
    assert f"Wrote {key_file}." in made.stdout
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    public_key = made.stdout.split("Public key: ")[1].strip()
    assert vapid.public_key(create_app()) == public_key


def test_flask_demo_refuses_in_production(production):
    assert flask_command("db", "upgrade").returncode == 0
    refused = flask_command("demo")
    assert refused.returncode != 0
    assert "production refuses it" in refused.stderr
    assert "Traceback" not in refused.stderr


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

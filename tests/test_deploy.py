"""deploy/ as an operator installs it: gunicorn's settings load, and every service runs a
command that exists."""

from __future__ import annotations

import configparser
import json
import logging
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from flask import url_for
from gunicorn.config import Config
from gunicorn.glogging import Logger

from contactbook.config import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
INSTALLED_APP = Path("/srv/contactbook/app")
# The names nginx serves from the store itself (deploy/nginx/contactbook.conf).
HASHED_NAME = re.compile(r"^/pwa/.+\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def gunicorn_config(monkeypatch, **environment: str) -> Config:
    """Load deploy/gunicorn.conf.py the way gunicorn does: run it, then set each setting."""
    # Set first, so whatever the file sets in os.environ is undone after the test.
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "CONTACTBOOK_LOG_FORMAT",
        "CONTACTBOOK_ENV",
    ):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="2", GUNICORN_TIMEOUT="20"
    )
    assert (config.workers, config.threads, config.timeout) == (3, 2, 20)
    assert config.worker_class_str == "gthread"
    assert config.bind == ["127.0.0.1:8000"]
    assert config.accesslog is None, "the app logs each request itself"
    assert config.errorlog == "-"


def test_gunicorn_logs_json_in_production_without_doubling_the_apps_lines(monkeypatch, capsys):
    config = gunicorn_config(monkeypatch, CONTACTBOOK_ENV="production")
    root_handlers = logging.getLogger().handlers[:]
    try:
        log = Logger(config)
        log.info("Booting worker with pid: %s", 42)
        assert logging.getLogger().handlers == [], "the app's handler alone will write"
        assert logging.getLogger("gunicorn.access").handlers == [], "no second request line"
    finally:
        logging.getLogger().handlers[:] = root_handlers
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "Booting worker with pid: 42"
    assert line["logger"] == "gunicorn.error"


def test_gunicorn_keeps_plain_text_in_development(monkeypatch):
    config = gunicorn_config(monkeypatch, CONTACTBOOK_ENV="development")
    assert config.logconfig_dict == {}


def exec_start(unit: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(unit)
    return shlex.split(parser["Service"]["ExecStart"])


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.stem)
def test_each_service_runs_a_command_that_exists(unit, app):
    command = exec_start(unit)
    program = Path(command[0])
    assert program.parent == INSTALLED_APP / ".venv" / "bin"
    assert (PROJECT_DIR / ".venv" / "bin" / program.name).exists(), f"{program.name} is installed"
    if program.name == "flask":
        assert command[1:3] == ["--app", "wsgi"]
        result = app.test_cli_runner().invoke(args=[*command[3:], "--help"])
        assert result.exit_code == 0, result.output
    else:
        assert program.name == "gunicorn"
        config_file = command[command.index("--config") + 1]
        assert (PROJECT_DIR / config_file).is_file()
        assert command[-1] == "wsgi:app"
        assert "app = create_app()" in (PROJECT_DIR / "wsgi.py").read_text()


def test_there_is_a_service_for_each_process():
    commands = {" ".join(exec_start(unit)[1:]) for unit in UNITS}
    assert commands == {
        "--config deploy/gunicorn.conf.py wsgi:app",
        "--app wsgi notify worker",
        "--app wsgi scheduler run",
    }


def test_nginx_may_read_the_hashed_files_it_serves(monkeypatch, tmp_path, another_app):
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path))
    app = another_app()
    with app.test_request_context():
        url = url_for("pwa.static", filename="css/app.css")
    stored = tmp_path / "assets" / url.lstrip("/")
    assert HASHED_NAME.search(url), url
    assert stored.stat().st_mode & 0o777 == 0o644
    assert (
        "root /var/lib/contactbook/assets;" in (DEPLOY / "nginx" / "contactbook.conf").read_text()
    )


def test_a_web_worker_leaves_what_few_requests_need_unloaded(tmp_path):
    """Web workers store news and never send it: the sending libraries, zxcvbn's lists and
    openpyxl (some 40 MB) load only in the notify worker, on a new password and with the first
    spreadsheet."""
    script = (
        "import sys\n"
        "from contactbook import create_app\n"
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'web.db'}',"
        " 'SECRET_KEY': 'k' * 40})\n"
        "print(sorted(name for name in ('aiohttp', 'openpyxl', 'pywebpush', 'requests', 'zxcvbn')"
        " if name in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip().splitlines()[-1] == "[]"

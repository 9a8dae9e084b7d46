"""/healthz and /readyz as the proxy and the operator use them, with real processes beating."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import text

from contactbook.config import PROJECT_DIR
from contactbook.core.platform import scheduler
from contactbook.core.platform.health import STALE_AFTER
from contactbook.extensions import db
from tests.conftest import is_postgres
from tests.core.test_unreachable_database import closed_port

OLDER_REVISION = "613a3da2208e"


@pytest.fixture
def migrated(app):
    """The test database marked as migrated to the newest revision, as `flask db upgrade` does."""
    stamp = app.test_cli_runner().invoke(args=["db", "stamp", "head"])
    assert stamp.exit_code == 0, stamp.output
    yield app
    if is_postgres():
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))


def ready(client) -> dict:
    response = client.get("/readyz")
    body = response.get_json()
    assert (response.status_code == 200) == (body["status"] == "ready")
    assert response.status_code in (200, 503)
    return body


def wait_until_ready(client, seconds: float = 15.0) -> dict:
    deadline = time.monotonic() + seconds
    while (body := ready(client))["problems"] and time.monotonic() < deadline:
        time.sleep(0.2)
    return body


def test_healthz_answers_without_the_database(another_app):
    down = another_app(
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/x"
    ).test_client()
    response = down.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    not_ready = down.get("/readyz")
    assert not_ready.status_code == 503
    problems = not_ready.get_json()["problems"]
    assert list(problems) == ["database"]
    assert "Connection refused" in problems["database"]


def test_readyz_asks_for_migrations_first(client):
    body = ready(client)
    assert body["status"] == "not ready"
    assert body["problems"] == {"migrations": "none applied: run `flask db upgrade`"}


def test_readyz_names_an_old_schema(migrated, client):
    with migrated.app_context(), db.engine.begin() as connection:
        connection.execute(text(f"UPDATE alembic_version SET version_num = '{OLDER_REVISION}'"))
    problems = ready(client)["problems"]
    assert OLDER_REVISION in problems["migrations"]
    assert "flask db upgrade" in problems["migrations"]


def test_ready_once_the_worker_and_the_scheduler_have_been_seen(migrated, client):
    assert ready(client)["problems"] == {
        "notify worker": "never seen: is it running?",
        "scheduler": "never seen: is it running?",
    }

    worker = migrated.test_cli_runner().invoke(args=["notify", "worker", "--once"])
    assert worker.exit_code == 0, worker.output
    assert list(ready(client)["problems"]) == ["scheduler"]

    jobs = scheduler.start_in_thread(migrated)
    try:
        assert wait_until_ready(client) == {"status": "ready", "problems": {}}
    finally:
        jobs.shutdown()

    with time_machine.travel(STALE_AFTER + timedelta(minutes=1), tick=True):
        later = ready(client)["problems"]
    assert later == {
        "notify worker": "last seen 3 minutes ago",
        "scheduler": "last seen 3 minutes ago",
    }


# Default limits stick to the process's one limiter once set, so this runs in a process of its own.
RATE_LIMITED_APP = """
import sys
from contactbook import create_app
from tests.conftest import base_config
client = create_app({**base_config(sys.argv[1]), "RATELIMIT_DEFAULT": "2 per minute"}).test_client()
print([client.get("/signin").status_code for _ in range(3)][-1])
for path in ("/healthz", "/readyz"):
    print(sorted({client.get(path).status_code for _ in range(5)}))
"""


def test_health_checks_are_never_rate_limited(database_url):
    run = subprocess.run(
        [sys.executable, "-c", RATE_LIMITED_APP, database_url],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert run.stdout.split("\n")[:3] == ["429", "[200]", "[503]"], run.stdout + run.stderr

"""With the database gone, people get the app's own 503 page, scripts the JSON shape, and the
operator one log line; nothing here is mocked: the database really cannot be reached."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from flask.testing import FlaskClient

from contactbook.core.delivery.worker_process import run_forever
from contactbook.core.platform.module_contract import Role
from tests.conftest import assert_error


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["postgresql", "sqlite"])
def unreachable_url(request, tmp_path) -> str:
    """PostgreSQL on a closed port, or a SQLite file in a folder that does not exist."""
    if request.param == "postgresql":
        return f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/contactbook"
    return f"sqlite:///{tmp_path / 'gone' / 'contactbook.db'}"


@pytest.fixture
def cut_off(app, client, login, make_school, make_user, another_app, unreachable_url):
    """A signed-in parent's browser, now talking to an app whose database cannot be reached."""
    school = make_school()
    parent = make_user(Role.GUARDIAN, school, name="Chị Mai")
    assert login(parent.phone).status_code == 302
    down = another_app(SQLALCHEMY_DATABASE_URI=unreachable_url)
    browser: FlaskClient = down.test_client()
    for name in ("session", "lang"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            browser.set_cookie(name, cookie.value)
    return browser


def database_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "database unavailable" in r.getMessage()]


def test_a_signed_in_page_answers_the_apps_own_503_page(cut_off, caplog):
    caplog.set_level(logging.INFO)
    response = cut_off.get("/notifications")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Sổ liên lạc" in page, "the app's page, in the family's language"
    assert "Vui lòng thử lại sau ít phút" in page
    assert "Internal Server Error" not in page
    [line] = database_lines(caplog)
    assert line.levelno == logging.ERROR
    assert line.exc_info is None, "one clear line, no traceback"
    assert "Traceback" not in line.getMessage()


def test_the_api_answers_the_json_error_shape_with_503(cut_off, caplog):
    caplog.set_level(logging.INFO)
    response = cut_off.get("/api/core/push/key")
    assert_error(response, 503)
    assert response.headers["Retry-After"] == "30"
    assert len(database_lines(caplog)) == 1


def test_the_page_keeps_the_language_the_family_chose(cut_off):
    with cut_off.session_transaction() as session:
        session["lang"] = "en"
    response = cut_off.get("/notifications")
    assert response.status_code == 503
    assert "unavailable for a moment" in response.get_data(as_text=True)


def test_the_worker_logs_one_line_a_try_and_keeps_going(another_app, unreachable_url, caplog):
    caplog.set_level(logging.INFO)
    down = another_app(SQLALCHEMY_DATABASE_URI=unreachable_url)
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(down, stop))
    worker.start()
    deadline = time.monotonic() + 10
    while not database_lines(caplog) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive(), "stops when asked, database or not"
    lines = database_lines(caplog)
    assert lines, "the worker says why it sends nothing"
    assert all(r.exc_info is None for r in lines), "one clear line, no traceback"
    assert lines[0].getMessage().startswith("notify worker: database unavailable: ")

"""What the operator reads: one JSON line per request with its id, and what the worker and the
scheduler did."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
from flask import Flask

from contactbook.core.delivery import worker
from contactbook.core.platform.logging import AppLogHandler, log_format_of
from contactbook.core.platform.module_contract import Role, registry
from contactbook.core.platform.scheduler import in_app_context
from tests.core.test_delivery import deliveries, drain, send_test_to, subscribe
from tests.pushservice import Stall


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CONTACTBOOK_LOG_FORMAT": "json", "CONTACTBOOK_SEND_TIMEOUT_SECONDS": 1}


@pytest.fixture
def log_lines(app):
    """The lines the app's own handler writes, parsed: what the journal would hold."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, AppLogHandler)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school(), name="Chị Mai")


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "contactbook.request"]


def test_one_json_line_per_request_with_the_proxys_request_id(client, login, parent, log_lines):
    login(parent.phone)
    response = client.get("/notifications", headers={"X-Request-ID": "f3a9c2e5b10-42"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "f3a9c2e5b10-42"
    lines = request_lines(log_lines())
    assert len(lines) == 3, "sign-in page, sign-in, the page: one line each"
    line = lines[-1]
    assert line["request_id"] == "f3a9c2e5b10-42"
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/notifications", 200)
    assert line["user_id"] == parent.id
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert lines[0]["user_id"] is None, "nobody signed in yet"


@pytest.mark.parametrize("given", ["", "two words", "x" * 129, "id;rm -rf /", "ünïcode"])
def test_a_missing_or_malformed_request_id_is_replaced(client, log_lines, given):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    made = response.headers["X-Request-ID"]
    assert made != given and len(made) == 32 and made.isalnum()
    [line] = request_lines(log_lines())
    assert line["request_id"] == made


def test_every_line_of_a_request_carries_its_id(client, log_lines):
    # A page the app cannot find still logs, and a line logged while answering shares the id.
    client.get("/no-such-page", headers={"X-Request-ID": "req-7"})
    assert {line["request_id"] for line in log_lines()} == {"req-7"}


@pytest.mark.parametrize(
    ("environment", "setting", "expected"),
    [
        ("production", "", "json"),
        ("development", "", "text"),
        ("production", "text", "text"),
        ("development", "JSON", "json"),
    ],
)
def test_json_in_production_text_in_development_unless_chosen(environment, setting, expected):
    app = Flask(__name__)
    app.config.update(CONTACTBOOK_ENV=environment, CONTACTBOOK_LOG_FORMAT=setting)
    assert log_format_of(app) == expected


def test_an_unknown_log_format_is_refused():
    app = Flask(__name__)
    app.config.update(CONTACTBOOK_ENV="production", CONTACTBOOK_LOG_FORMAT="xml")
    with pytest.raises(ValueError, match="CONTACTBOOK_LOG_FORMAT"):
        log_format_of(app)


def test_the_worker_logs_sends_retries_and_timeouts(app, push_service, parent, log_lines):
    arrives, busy, silent = (push_service.new_device() for _ in range(3))
    for number, device in enumerate((arrives, busy, silent)):
        subscribe(app, parent, device, label=f"phone {number}")
    push_service.respond(busy, 503)
    push_service.respond(silent, Stall(seconds=3))
    send_test_to(app, parent)
    drain(app)
    lines = [line for line in log_lines() if line["logger"] == "contactbook.core.delivery.worker"]
    retries = [line for line in lines if "attempt 1" in line["message"]]
    assert {line["level"] for line in retries} == {"WARNING"}
    assert {line["outcome"] for line in retries} == {"pending"}
    [refused] = [line for line in retries if not line["timed_out"]]
    assert "HTTP 503" in refused["message"] and "retry at" in refused["message"]
    [timed_out] = [line for line in retries if line["timed_out"]]
    assert "Timeout" in timed_out["message"]
    [batch] = [line for line in lines if line["message"].startswith("sent a batch")]
    counts = [batch[key] for key in ("batch", "delivered", "retry", "timed_out", "dead")]
    assert counts == [3, 1, 2, 1, 0]


def test_the_worker_logs_reclaimed_leases(app, push_service, parent, log_lines):
    subscribe(app, parent, push_service.new_device())
    send_test_to(app, parent)
    with app.app_context():
        assert worker.claim() != [], "claimed by a worker that then dies"
    drain(app, later=worker.LEASE + timedelta(seconds=1))
    [line] = [line for line in log_lines() if line["message"].startswith("reclaimed")]
    assert line["level"] == "WARNING"
    assert line["delivery_ids"] == [deliveries(app)[0].id]
    assert "0:05:00" in line["message"]


def test_the_scheduler_logs_each_job_run(app, log_lines):
    job = registry(app).jobs["classbook.daily_summaries"]
    in_app_context(app, job.key, job.func)()
    lines = [line for line in log_lines() if line.get("job") == job.key]
    assert [line["message"].split(" in ")[0] for line in lines] == [
        f"job {job.key} started",
        f"job {job.key} finished",
    ]
    assert lines[-1]["duration_s"] >= 0


def test_a_failing_job_is_logged_and_still_raised(app, log_lines):
    def broken() -> None:
        raise RuntimeError("no summaries today")

    with pytest.raises(RuntimeError):
        in_app_context(app, "classbook.broken", broken)()
    [failed] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert failed["job"] == "classbook.broken"
    assert "no summaries today" in failed["message"]

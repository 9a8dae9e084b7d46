"""Idempotency-Key under retries: simultaneous repeats write once, the others get its answer."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from contactbook.modules.classbook.models import AttendanceMark, AuditAction
from tests.conftest import csrf_token_from
from tests.modules.classbook.conftest import SCHOOL_DAY, count_rows
from tests.together import run_together

THREADS = 10
# One round per status, each a change from the round before.
ROUND_STATUSES = ("unexcused", "late", "excused", "late", "unexcused")
MORNING_OF_SCHOOL_DAY = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def app_config(app_config) -> dict:
    """Answer a failing request with a 500, as production does, instead of raising in the test."""
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def on_school_day(time_machine):
    time_machine.move_to(MORNING_OF_SCHOOL_DAY)


def roll_call_url(world) -> str:
    return f"/api/classbook/classes/{world.room.id}/attendance"


def roll_call(world, status: str) -> dict:
    marks = [{"student_id": world.child.id, "status": status, "note": ""}]
    return {"day": SCHOOL_DAY.isoformat(), "session": "morning", "marks": marks}


def attendance_audit_entries(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.ATTENDANCE)
        )


def signed_in_clients(app, login, user, count: int) -> tuple[list[FlaskClient], str]:
    """One sign-in shared by several clients, like one phone sending a write twice at once."""
    first = app.test_client()
    login(user.phone, on=first)
    token = csrf_token_from(first, "/")
    cookie = first.get_cookie("session")
    clients = [first]
    for _ in range(count - 1):
        clone = app.test_client()
        clone.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        clients.append(clone)
    return clients, token


def send_together(clients, token, method, url, payload, key) -> list:
    """Release every client's request at the same moment; return the responses."""
    headers = {"X-CSRFToken": token, "Idempotency-Key": key}
    return run_together(
        [
            partial(client.open, url, method=method, json=payload, headers=headers)
            for client in clients
        ]
    )


def test_simultaneous_repeats_of_one_roll_call_write_it_once(
    app, login, school_class, on_school_day
):
    world = school_class
    clients, token = signed_in_clients(app, login, world.homeroom, THREADS)
    expected_audit = 0
    for round_number, status in enumerate(ROUND_STATUSES):
        responses = send_together(
            clients,
            token,
            "PUT",
            roll_call_url(world),
            roll_call(world, status),
            key=f"roll-call-{round_number}",
        )
        assert [r.status_code for r in responses] == [200] * THREADS, [
            r.get_data(as_text=True)[:200] for r in responses if r.status_code != 200
        ]
        originals = [r for r in responses if r.headers.get("Idempotent-Replayed") != "true"]
        assert len(originals) == 1, "exactly one request writes, the others replay its answer"
        assert {r.get_data() for r in responses} == {originals[0].get_data()}
        child = next(
            m for m in originals[0].get_json()["marks"] if m["student_id"] == world.child.id
        )
        assert child["status"] == status
        expected_audit += 3 if round_number == 0 else 1
        assert attendance_audit_entries(app) == expected_audit
        assert count_rows(app, AttendanceMark) == 3


def test_the_same_json_spaced_differently_is_the_same_request(
    app, client, login, school_class, on_school_day
):
    world = school_class
    login(world.homeroom.phone)
    headers = {
        "X-CSRFToken": csrf_token_from(client, "/"),
        "Idempotency-Key": "spacing-1",
        "Content-Type": "application/json",
    }
    mark = f'{{"student_id": {world.child.id}, "status": "late", "note": ""}}'
    compact = f'{{"day":"{SCHOOL_DAY}","session":"morning","marks":[{mark.replace(" ", "")}]}}'
    spaced = f'{{\n  "marks": [ {mark} ],\n  "session": "morning",\n  "day": "{SCHOOL_DAY}"\n}}'
    first = client.put(roll_call_url(world), data=compact, headers=headers)
    again = client.put(roll_call_url(world), data=spaced, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert attendance_audit_entries(app) == 3

    other = spaced.replace('"late"', '"excused"')
    assert client.put(roll_call_url(world), data=other, headers=headers).status_code == 422


def test_a_refused_request_leaves_its_key_for_the_corrected_one(
    app, login, write, school_class, on_school_day
):
    world = school_class
    login(world.homeroom.phone)
    refused = write("PUT", roll_call_url(world), roll_call(world, "asleep"), key="fix-1")
    assert refused.status_code == 422
    corrected = write("PUT", roll_call_url(world), roll_call(world, "late"), key="fix-1")
    assert corrected.status_code == 200
    assert "Idempotent-Replayed" not in corrected.headers
    assert count_rows(app, AttendanceMark) == 3


def test_a_late_retry_of_summary_settings_does_not_undo_a_newer_change(
    app, client, login, write, school_class
):
    world = school_class
    login(world.admin.phone)
    url = f"/api/classbook/schools/{world.school.id}/summary-settings"
    earlier = {"daily_summary_time": "18:00:00", "always_send_summary": False}
    later = {"daily_summary_time": "19:15:00", "always_send_summary": True}
    assert write("PUT", url, earlier, key="settings-1").status_code == 204
    assert write("PUT", url, later, key="settings-2").status_code == 204
    retry = write("PUT", url, earlier, key="settings-1")
    assert retry.status_code == 204
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.get_data() == b""
    page = client.get(f"/classbook/schools/{world.school.id}/summaries").get_data(as_text=True)
    assert 'value="19:15"' in page
    with app.app_context():
        changes = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.SUMMARY_SETTINGS)
        )
    assert changes == 2

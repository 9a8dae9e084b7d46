"""The whole run under one chosen clock: `--clock=ISO` or CONTACTBOOK_TEST_CLOCK.

The suite must pass whatever the hour, weekday or date; CI runs it a second time with the clock
set to a Sunday evening in Vietnam, when quiet hours hold pushes and no lessons take place, so a
test that leans on the wall clock fails there. The clock starts at the given moment and ticks on,
so timeouts and leases still pass; a test may still travel further with `time_machine`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

ENVIRONMENT_VARIABLE = "CONTACTBOOK_TEST_CLOCK"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=os.environ.get(ENVIRONMENT_VARIABLE) or None,
        help="start the clock of the whole run at this ISO time with offset, "
        f"e.g. 2026-11-29T22:30:00+07:00 (default: ${ENVIRONMENT_VARIABLE}, else the real time)",
    )


def chosen_start(config: pytest.Config) -> datetime | None:
    """The moment the run's clock starts at, or None for the real clock."""
    text = config.getoption("--clock")
    if not text:
        return None
    start = datetime.fromisoformat(text)
    if start.tzinfo is None:
        raise pytest.UsageError("--clock needs a UTC offset, e.g. 2026-11-29T22:30:00+07:00")
    return start


def pytest_report_header(config: pytest.Config) -> str | None:
    start = chosen_start(config)
    return f"clock: starts at {start.isoformat()}" if start else None


@pytest.fixture(scope="session", autouse=True)
def _run_clock(pytestconfig: pytest.Config) -> Iterator[None]:
    start = chosen_start(pytestconfig)
    if start is None:
        yield
        return
    with time_machine.travel(start, tick=True):
        yield

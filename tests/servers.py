"""Fixtures for the real local servers the app talks to: Web Push, SMTP and Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from tests.mailserver import MailServer
from tests.pushservice import PushService


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with PushService() as service:
        yield service


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


def redis_url(needed_for: str) -> str:
    """Redis on this machine, or a visible skip (a failure where CI requires it)."""
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        reason = f"{needed_for} need Redis at 127.0.0.1:6379"
        if os.environ.get("CONTACTBOOK_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url

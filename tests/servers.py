"""Fixtures for the real local servers our channels talk to: Web Push and SMTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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

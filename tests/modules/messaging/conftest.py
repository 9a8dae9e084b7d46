"""Fixtures of the messaging tests: uploads go to a folder of the test's own; each part's
world comes from its own file (announcements and leave: school_world.py; conversations: their
folder's conftest)."""

import pytest

from tests.modules.messaging.school_world import (  # noqa: F401
    phone_412,
    send,
    wednesday_morning,
    world,
)


@pytest.fixture
def app_config(app_config, tmp_path):
    return {
        **app_config,
        "MESSAGING_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MESSAGING_UPLOAD_MAX_BYTES": 200 * 1024,
        "MESSAGING_IMAGE_MAX_PIXELS": 4_000_000,
    }

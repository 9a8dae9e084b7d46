"""Fixtures of the messaging tests, each part's from its own file."""

from tests.modules.messaging.school_world import send, wednesday_morning, world  # noqa: F401

"""A real local SMTP server for tests (aiosmtpd), so mail is sent over a socket, not mocked."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage
from types import TracebackType
from typing import Any, cast

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Ask the OS for a free port on 127.0.0.1 (aiosmtpd's Controller needs a fixed one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    """aiosmtpd handler that hands each accepted message to the MailServer."""

    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.server._deliver(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        return "250 Message accepted for delivery"


class MailServer:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._condition = threading.Condition()
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        """Start aiosmtpd in its own thread on a free port."""
        self.port = free_port()
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, server_hostname="localhost"
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop the server and its event-loop thread."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until at least `count` messages arrived; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"mail server received {len(self.messages)} message(s) "
                        f"within {timeout}s, expected {count}"
                    )
                self._condition.wait(remaining)
            return list(self.messages)

    def _deliver(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> None:
        message = cast(EmailMessage, email.message_from_bytes(content, policy=email.policy.default))
        with self._condition:
            self.messages.append(message)
            self.envelopes.append((mail_from, rcpt_tos))
            self._condition.notify_all()

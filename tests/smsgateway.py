"""A real local HTTP SMS gateway for tests: keeps every message, and can hold requests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

HOLD_LIMIT = 30.0
"""A held request is answered after this many seconds even if the test never releases it."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        message = json.loads(self.rfile.read(length))
        status = self.server.gateway._take(message)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, gateway: SmsGateway) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.gateway = gateway


class SmsGateway:
    """An SMS gateway on 127.0.0.1: POST {"to", "text"}; 202 means it took the message.

    `hold()` makes the next requests wait until `release()`, so a test can act while a send is
    on the wire; `answer(503)` scripts the status of the next held or free request.
    """

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.attempts = 0
        self.waiting = threading.Event()
        self._open = threading.Event()
        self._open.set()
        self._answers: list[int] = []
        self._condition = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where the app should POST messages."""
        assert self._server is not None, "start the gateway first"
        return f"http://127.0.0.1:{self._server.server_port}/sms"

    def start(self) -> SmsGateway:
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SmsGateway:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def hold(self) -> None:
        """Keep the requests that arrive from now on waiting, until release()."""
        self.waiting.clear()
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses instead of 202."""
        with self._condition:
            self._answers.extend(statuses)

    def wait_until_held(self, timeout: float = 10.0) -> None:
        """Block until a request is waiting at the hold; fail the test otherwise."""
        if not self.waiting.wait(timeout):
            raise AssertionError(f"no SMS request reached the gateway within {timeout}s")

    def texts(self) -> list[str]:
        with self._condition:
            return [message["text"] for message in self.received]

    def _take(self, message: dict[str, str]) -> int:
        with self._condition:
            self.attempts += 1
        self.waiting.set()
        self._open.wait(HOLD_LIMIT)
        with self._condition:
            status = self._answers.pop(0) if self._answers else 202
            if 200 <= status < 300:
                self.received.append(message)
            return status

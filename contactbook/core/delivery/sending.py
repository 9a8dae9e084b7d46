"""The sender loop: one asyncio loop per process, in a thread of its own, sends for the worker.

Sending is mostly waiting on push services. One loop with one aiohttp session keeps every
service's keep-alive connections and has up to IN_FLIGHT sends waiting at once, at a fraction
of the cost of a thread per request. The worker hands it a batch and waits for the results;
the database stays in the worker's thread.

Web Push goes through a session of its own that connects only to the listed push services
(`channels/guarded.py`); email and SMS talk to servers the operator configured.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

import aiohttp

from contactbook.core.delivery.channels import Envelope, Outcome, SendResult, channels
from contactbook.core.delivery.channels.guarded import guarded_session
from contactbook.core.delivery.push_services import PushServices, push_services

log = logging.getLogger(__name__)

IN_FLIGHT = 32
# Channels whose addresses come from users' browsers, not from the operator.
GUARDED = frozenset({"webpush"})


class Sender:
    """Owns the loop thread and the session; submit() may be called from any thread."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="sender")
        self._thread.start()
        self._http = self._run(self._open())
        self._guarded: dict[PushServices, aiohttp.ClientSession] = {}

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def submit(
        self, parcels: Sequence[tuple[str, Envelope]], config: Mapping[str, Any]
    ) -> Future[list[SendResult]]:
        """Start sending each (channel, envelope) side by side and return at once; the
        future's results come in the same order. Any thread may call this."""
        return asyncio.run_coroutine_threadsafe(self._send_all(parcels, config), self._loop)

    async def _open(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT))

    async def _send_all(
        self, parcels: Sequence[tuple[str, Envelope]], config: Mapping[str, Any]
    ) -> list[SendResult]:
        room = asyncio.Semaphore(IN_FLIGHT)
        registry = channels()

        async def one(channel: str, envelope: Envelope) -> SendResult:
            async with room:
                try:
                    http = self._guarded_for(config) if channel in GUARDED else self._http
                    return await registry[channel](envelope, config, http)
                except Exception as error:  # noqa: BLE001 - one bad send must not stop the rest
                    log.exception("delivery of notification %s failed", envelope.notification_id)
                    return SendResult(Outcome.RETRY, f"unexpected: {type(error).__name__}: {error}")

        return list(await asyncio.gather(*(one(channel, env) for channel, env in parcels)))

    def _guarded_for(self, config: Mapping[str, Any]) -> aiohttp.ClientSession:
        """The guarded session for the app's push services (one per setting; on the loop)."""
        services = push_services(config)
        session = self._guarded.get(services)
        if session is None:
            session = self._guarded[services] = guarded_session(services, IN_FLIGHT)
        return session

    def close(self) -> None:
        """Close the connections and stop the loop (at exit, so nothing is left dangling)."""
        self._run(self._http.close())
        for session in self._guarded.values():
            self._run(session.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


_sender: Sender | None = None
_sender_lock = threading.Lock()


def sender() -> Sender:
    """The process's sender, started on first use."""
    global _sender
    with _sender_lock:
        if _sender is None:
            _sender = Sender()
            atexit.register(_sender.close)
        return _sender

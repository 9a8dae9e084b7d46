"""A push service fast enough to measure a sender: it checks, stores, and lets devices decrypt.

Real push services never decrypt: they check the VAPID token, store the encrypted message and
pass it on; the browser decrypts. This one does the same, with the tests' checks
(`tests.pushservice.RequestChecks`: JWT signature, aud, exp, sub, TTL, Urgency, Topic, size,
encoding) on every request, on aiohttp in a process of its own. When asked, each device
decrypts what it was sent with its private key, so every message is still proven readable.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection

from aiohttp import web

from tests.pushservice import Device, Rejected, RequestChecks, decrypt, make_device


@dataclass
class Tally:
    """What the devices found when they decrypted their messages."""

    received: int
    readable: int
    devices_with_duplicates: int
    rejections: list[str]
    sample: dict | None


class Sink:
    """Accepts pushes for its devices and keeps the encrypted bodies until collected."""

    def __init__(self, origin: str, devices: int) -> None:
        self.checks = RequestChecks(origin)
        self.devices: dict[str, Device] = {}
        for _ in range(devices):
            device = make_device(origin)
            self.devices[device.endpoint] = device
        self.stored: dict[str, list[bytes]] = defaultdict(list)
        self.rejections: list[str] = []

    async def push(self, request: web.Request) -> web.Response:
        endpoint = self.checks.origin + request.path
        body = await request.read()
        try:
            if endpoint not in self.devices:
                raise Rejected(404, f"no subscription at {request.path}")
            self.checks.check(request.headers, body)
        except Rejected as rejection:
            self.rejections.append(f"{rejection.status} {endpoint}: {rejection.reason}")
            return web.Response(status=rejection.status, text=rejection.reason)
        self.stored[endpoint].append(body)
        return web.Response(status=201)

    def collect(self) -> Tally:
        """Let every device decrypt what it holds, then start afresh."""
        received = readable = duplicated = 0
        sample = None
        for endpoint, bodies in self.stored.items():
            ids = []
            for body in bodies:
                received += 1
                try:
                    message = json.loads(decrypt(self.devices[endpoint], body))
                except (Rejected, ValueError):
                    continue
                readable += 1
                ids.append(message.get("id"))
                sample = sample or message
            duplicated += len(ids) != len(set(ids))
        tally = Tally(received, readable, duplicated, self.rejections[:5], sample)
        self.stored.clear()
        self.rejections.clear()
        return tally


def serve(devices: int, pipe: Connection) -> None:
    """Child process: serve on 127.0.0.1, send the subscriptions, then answer "collect"/"stop"."""
    asyncio.run(_serve(devices, pipe))


async def _serve(devices: int, pipe: Connection) -> None:
    listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
    sink = Sink(f"http://127.0.0.1:{listener.getsockname()[1]}", devices)
    app = web.Application()
    app.router.add_post("/push/{device}", sink.push)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, listener).start()
    pipe.send([device.subscription_info() for device in sink.devices.values()])
    loop = asyncio.get_running_loop()
    # Collecting runs on the serving loop, so no request is half-stored meanwhile.
    while await loop.run_in_executor(None, pipe.recv) == "collect":
        pipe.send(sink.collect())
    await runner.cleanup()

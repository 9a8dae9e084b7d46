"""Web Push fan-out: our worker against a naive pywebpush loop and the bare crypto floor.

Run: .venv/bin/python -m bench.push_fanout [N] [sqlite | postgresql+psycopg://...] [--workers W]
(from the project root; N defaults to 5000, the outbox to a fresh SQLite file, W to 1; each
worker is a process of its own, as `flask notify worker` would be)

The local push service (bench/pushsink.py) runs in a child process, so it does not compete
with the worker for this process's GIL. It checks every request's VAPID JWT and headers; after
each part of the run every device decrypts what it was sent, and the counts are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher, webpush
from sqlalchemy import insert, make_url, select

from bench.daily_summary import fresh_database
from bench.pushsink import serve

NAIVE_SAMPLE = 1000


def vapid_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def crypto_floor(subscriptions: list[dict], pem: str) -> float:
    """Messages per second for encryption plus a fresh VAPID signature, no network."""
    vapid = Vapid02.from_pem(pem.encode())
    data = json.dumps({"id": 1, "title": "Minh (6A) vắng không phép sáng 27/11"}).encode()
    started = time.perf_counter()
    for subscription in subscriptions:
        WebPusher(subscription).encode(data, content_encoding="aes128gcm")
        audience = subscription["endpoint"].split("/push/")[0]
        vapid.sign({"sub": "mailto:bench@example.invalid", "aud": audience, "exp": 2_000_000_000})
    return len(subscriptions) / (time.perf_counter() - started)


def naive_loop(subscriptions: list[dict], pem: str) -> float:
    """Messages per second for one pywebpush.webpush() call after another."""
    vapid = Vapid02.from_pem(pem.encode())
    data = json.dumps({"id": 1, "title": "Minh (6A) vắng không phép sáng 27/11"})
    started = time.perf_counter()
    for subscription in subscriptions:
        webpush(
            subscription,
            data,
            vapid_private_key=vapid,
            vapid_claims={"sub": "mailto:bench@example.invalid"},
            ttl=60,
        )
    return len(subscriptions) / (time.perf_counter() - started)


def service_ceiling(subscriptions: list[dict], pem: str, in_flight: int = 64) -> float:
    """Requests per second the push service absorbs when sending costs next to nothing:
    requests encrypted and signed beforehand, posted `in_flight` at a time."""
    vapid = Vapid02.from_pem(pem.encode())
    audience = subscriptions[0]["endpoint"].split("/push/")[0]
    claims = {
        "sub": "mailto:bench@example.invalid",
        "aud": audience,
        "exp": int(time.time()) + 3600,
    }
    headers = {
        "Authorization": vapid.sign(claims)["Authorization"],
        "TTL": "60",
        "Content-Encoding": "aes128gcm",
    }
    prepared = [
        (s["endpoint"], WebPusher(s).encode(b'{"id": 1}', content_encoding="aes128gcm")["body"])
        for s in subscriptions
    ]

    async def post_all() -> set[int]:
        room = asyncio.Semaphore(in_flight)
        async with aiohttp.ClientSession() as http:

            async def post(endpoint: str, body: bytes) -> int:
                async with room, http.post(endpoint, data=body, headers=headers) as response:
                    return response.status

            return set(await asyncio.gather(*(post(*request) for request in prepared)))

    started = time.perf_counter()
    statuses = asyncio.run(post_all())
    assert statuses == {201}, statuses
    return len(prepared) / (time.perf_counter() - started)


def bench_app(url: str, pem: str):
    from contactbook import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "b" * 40,
        "TESTING": True,
        "CONTACTBOOK_VAPID_PRIVATE_KEY": pem,
        # The push sink (bench/pushsink.py) listens on 127.0.0.1 over http.
        "CONTACTBOOK_PUSH_SERVICE_HOSTS": "127.0.0.1",
    }
    return create_app(config)


def fill_outbox(subscriptions: list[dict], pem: str, url: str) -> None:
    """A fresh database with one due push delivery per device."""
    from contactbook.core.delivery.models import Delivery, Notification, PushSubscription
    from contactbook.core.directory.models import User
    from contactbook.extensions import db

    fresh_database(url)
    with bench_app(url, pem).app_context():
        db.create_all()
        now = datetime.now(UTC)
        db.session.execute(
            insert(User),
            [
                {"id": n + 1, "username": f"u{n}", "password_hash": "x", "display_name": f"U{n}"}
                for n in range(len(subscriptions))
            ],
        )
        db.session.execute(
            insert(PushSubscription),
            [
                {
                    "id": n + 1,
                    "user_id": n + 1,
                    "endpoint": s["endpoint"],
                    "p256dh": s["keys"]["p256dh"],
                    "auth": s["keys"]["auth"],
                }
                for n, s in enumerate(subscriptions)
            ],
        )
        db.session.execute(
            insert(Notification),
            [
                {"id": n + 1, "user_id": n + 1, "event": "core.test", "data": {"name": "Minh"}}
                for n in range(len(subscriptions))
            ],
        )
        db.session.execute(
            insert(Delivery),
            [
                {
                    "notification_id": n + 1,
                    "channel": "webpush",
                    "subscription_id": n + 1,
                    "next_attempt_at": now,
                }
                for n in range(len(subscriptions))
            ],
        )
        db.session.commit()


def drain_worker(url: str, pem: str, start: Barrier, results: Queue) -> None:
    """Child process: one `flask notify worker`, ready before the start, draining after it."""
    from contactbook.core.delivery import worker
    from contactbook.core.delivery.sending import sender
    from contactbook.extensions import db

    with bench_app(url, pem).app_context():
        db.session.execute(select(1)).all()
        db.session.commit()
        sender()
        start.wait()
        sent = worker.drain()
        results.put((sent, time.monotonic()))


def our_workers(subscriptions: list[dict], pem: str, url: str, workers: int) -> tuple[float, int]:
    """Deliveries per second when `workers` worker processes drain the outbox at `url`."""
    fill_outbox(subscriptions, pem, url)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(workers + 1), context.Queue()
    processes = [
        context.Process(target=drain_worker, args=(url, pem, start, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    start.wait()
    started = time.monotonic()
    finished = [results.get() for _ in processes]
    for process in processes:
        process.join()
    sent = sum(count for count, _ in finished)
    return sent / (max(at for _, at in finished) - started), sent


def collected(pipe, what: str, expected: int) -> None:
    """Ask the push service's devices to decrypt what they got, and say so."""
    pipe.send("collect")
    tally = pipe.recv()
    print(
        f"  {what}: {tally.received} of {expected} received, {tally.readable} decrypted, "
        f"{tally.devices_with_duplicates} devices with duplicates, "
        f"rejections: {tally.rejections or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=5000, help="devices and messages")
    parser.add_argument("database", nargs="?", default="sqlite", help="sqlite or a PostgreSQL URL")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL)")
    options = parser.parse_args()
    count, workers = options.count, options.workers
    if options.database == "sqlite":
        if workers != 1:
            parser.error("on SQLite run one worker")
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    else:
        url = options.database
    pem = vapid_pem()
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=serve, args=(count, theirs))
    child.start()
    subscriptions = ours.recv()
    print(f"{count} devices on the local push service")
    print(f"crypto floor (encrypt + sign, no network): {crypto_floor(subscriptions, pem):,.0f}/s")
    ceiling = service_ceiling(subscriptions, pem)
    print(f"push service ceiling (pre-encrypted requests, 64 in flight): {ceiling:,.0f}/s")
    collected(ours, "ceiling", count)
    naive = naive_loop(subscriptions[:NAIVE_SAMPLE], pem)
    print(f"naive pywebpush.webpush() loop ({NAIVE_SAMPLE} messages): {naive:,.0f}/s")
    collected(ours, "naive loop", NAIVE_SAMPLE)
    rate, sent = our_workers(subscriptions, pem, url, workers)
    database = make_url(url).get_backend_name()
    print(f"our worker × {workers} ({sent} deliveries, {database} outbox): {rate:,.0f}/s")
    collected(ours, "worker", count)
    ours.send("stop")
    child.join()


if __name__ == "__main__":
    main()

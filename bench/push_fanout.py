"""Web Push fan-out: our worker against a naive pywebpush loop and the bare crypto floor.

Run: .venv/bin/python -m bench.push_fanout [N]   (from the project root; N defaults to 5000)

The local push service (tests/pushservice.py) runs in a child process, so it does not compete
with the worker for this process's GIL; it checks every VAPID JWT and decrypts every payload.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher, webpush
from sqlalchemy import insert

NAIVE_SAMPLE = 1000


def serve(devices: int, pipe) -> None:
    """Child process: a push service with `devices` subscriptions; reports counts when asked."""
    from tests.pushservice import PushService

    with PushService() as service:
        made = [service.new_device() for _ in range(devices)]
        pipe.send([device.subscription_info() for device in made])
        pipe.recv()  # "count"
        pipe.send((sum(len(d.received) for d in made), list(service.rejections[:5])))
        pipe.recv()  # "stop"


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


def service_ceiling(subscriptions: list[dict], pem: str, threads: int = 16) -> float:
    """Requests per second the verifying push service absorbs when sending costs nothing:
    the same pre-encrypted, pre-signed requests posted from `threads` keep-alive sessions."""
    vapid = Vapid02.from_pem(pem.encode())
    audience = subscriptions[0]["endpoint"].split("/push/")[0]
    claims = {
        "sub": "mailto:bench@example.invalid",
        "aud": audience,
        "exp": int(time.time()) + 3600,
    }
    authorization = vapid.sign(claims)["Authorization"]
    prepared = [
        (s["endpoint"], WebPusher(s).encode(b'{"id": 1}', content_encoding="aes128gcm")["body"])
        for s in subscriptions[:200]
    ]
    local = threading.local()
    headers = {"Authorization": authorization, "TTL": "60", "Content-Encoding": "aes128gcm"}

    def post(index: int) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        endpoint, body = prepared[index % len(prepared)]
        return local.session.post(endpoint, data=body, headers=headers, timeout=10).status_code

    count = len(subscriptions)
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        statuses = set(pool.map(post, range(count)))
    assert statuses == {201}, statuses
    return count / (time.perf_counter() - started)


def our_worker(subscriptions: list[dict], pem: str) -> tuple[float, int]:
    """Deliveries per second through notify's outbox rows and the worker, on SQLite."""
    from contactbook import create_app
    from contactbook.core import worker
    from contactbook.core.delivery_models import Delivery, PushSubscription
    from contactbook.core.models import Notification, User
    from contactbook.extensions import db

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "b" * 40,
            "TESTING": True,
            "CONTACTBOOK_VAPID_PRIVATE_KEY": pem,
        }
    )
    with app.app_context():
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
        started = time.perf_counter()
        sent = 0
        while done := worker.run_once():
            sent += done
        elapsed = time.perf_counter() - started
    return sent / elapsed, sent


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    pem = vapid_pem()
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=serve, args=(count, theirs))
    child.start()
    subscriptions = ours.recv()
    print(f"{count} devices on the local push service")
    print(f"crypto floor (encrypt + sign, no network): {crypto_floor(subscriptions, pem):,.0f}/s")
    ceiling = service_ceiling(subscriptions, pem)
    print(f"push service ceiling (pre-encrypted requests, 16 threads): {ceiling:,.0f}/s")
    naive = naive_loop(subscriptions[:NAIVE_SAMPLE], pem)
    print(f"naive pywebpush.webpush() loop ({NAIVE_SAMPLE} messages): {naive:,.0f}/s")
    rate, sent = our_worker(subscriptions, pem)
    print(f"our worker ({sent} deliveries, SQLite outbox): {rate:,.0f}/s")
    ours.send("count")
    received, rejections = ours.recv()
    print(
        f"push service received {received} (naive {NAIVE_SAMPLE} + worker {sent}); "
        f"rejections: {rejections or 'none'}"
    )
    ours.send("stop")
    child.join()


if __name__ == "__main__":
    main()

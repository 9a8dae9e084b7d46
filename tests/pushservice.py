"""A real local Web Push service for tests: checks VAPID and decrypts aes128gcm like a browser's."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import socket
import socketserver
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


@dataclass(frozen=True)
class Stall:
    """A scripted answer: keep the request waiting `seconds`, then hang up without a word."""

    seconds: float


Response = int | tuple[int, dict[str, str]] | Stall
Answer = tuple[int, dict[str, str], str]

MAX_BODY = 4096
"""Largest encrypted body accepted, as real push services (RFC 8030 section 7.2) allow."""

MAX_EXP_AHEAD = 24 * 60 * 60
URGENCIES = frozenset({"very-low", "low", "normal", "high"})
TOPIC_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def b64url_encode(data: bytes) -> str:
    """Encode base64url without padding, as browsers give subscription keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    """One push message the service accepted and decrypted; `headers` has lower-case names."""

    endpoint: str
    payload: bytes
    ttl: int
    urgency: str | None
    topic: str | None
    headers: dict[str, str]

    def json(self) -> Any:
        """Decode the payload as UTF-8 JSON, the usual notification shape."""
        return json.loads(self.payload.decode("utf-8"))


@dataclass
class Device:
    """A browser's push subscription: endpoint, public keys, and the private half to decrypt."""

    endpoint: str
    p256dh: str
    auth: str
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    received: list[Received] = field(default_factory=list)

    def subscription_info(self) -> dict[str, Any]:
        """Return the PushSubscription JSON shape that browsers send and pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Rejected(Exception):
    """A push request failed one of the service's checks."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _Server(ThreadingHTTPServer):
    """An HTTP server that can cut its keep-alive connections so stop() never waits on them."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, service: PushService) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.service = service
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup (socket.getfqdn), which can stall."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Wake handler threads idling on keep-alive connections so they can finish."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    """Answers POSTs to device endpoints the way RFC 8030/8291/8292 push services do."""

    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self._answer(411, "Content-Length required")
            return
        body = self.rfile.read(int(length))
        answer = self.server.service.handle_push(self.path, self.headers, body)
        if answer is None:
            self.close_connection = True
            return
        status, headers, text = answer
        self._answer(status, text, headers)

    def _answer(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class PushService:
    """A local push service on 127.0.0.1 that tests send real Web Push requests to."""

    def __init__(self) -> None:
        self.rejections: list[str] = []
        self.attempts: dict[str, int] = defaultdict(int)
        self._devices: dict[str, Device] = {}
        self._scripted: dict[str, deque[Response]] = defaultdict(deque)
        self._stopping = threading.Event()
        self._condition = threading.Condition()
        self._checks = RequestChecks("")
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> PushService:
        """Bind an OS-chosen port and serve in a background thread."""
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self._checks = RequestChecks(f"http://{host}:{port}")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="pushservice",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and join the threads (fast: 50 ms polling)."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.cut_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    @property
    def origin(self) -> str:
        """Where the service listens, e.g. http://127.0.0.1:40123; empty until started."""
        return self._checks.origin

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def new_device(self) -> Device:
        """Create a subscription the way a browser does: a P-256 key pair and an auth secret."""
        if not self.origin:
            raise RuntimeError("start the PushService before creating devices")
        device = make_device(self.origin)
        with self._condition:
            self._devices[device.endpoint] = device
        return device

    def respond(self, device: Device, *responses: Response) -> None:
        """Queue scripted answers (410, (429, {"Retry-After": "2"}), Stall(3), ...) used first."""
        with self._condition:
            self._scripted[device.endpoint].extend(responses)

    def wait_for(self, device: Device, count: int, timeout: float = 5.0) -> list[Received]:
        """Block until the device holds at least `count` messages; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(device.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"push device {device.endpoint} received {len(device.received)} "
                        f"message(s) within {timeout}s, expected {count}; "
                        f"rejections: {self.rejections}"
                    )
                self._condition.wait(remaining)
            return list(device.received)

    def handle_push(self, path: str, headers: Any, body: bytes) -> Answer | None:
        """Check and deliver one push request: (status, headers, text), or None to hang up."""
        endpoint = self.origin + path
        with self._condition:
            self.attempts[endpoint] += 1
            device = self._devices.get(endpoint)
            scripted = self._scripted.get(endpoint)
            response = scripted.popleft() if scripted else None
        if isinstance(response, Stall):
            self._stopping.wait(response.seconds)
            return None
        if response is not None:
            status, extra = response if isinstance(response, tuple) else (response, {})
            return status, dict(extra), f"scripted {status}"
        try:
            if device is None:
                raise Rejected(404, f"no subscription at {path}")
            received = self._check_and_decrypt(device, headers, body)
        except Rejected as rejection:
            with self._condition:
                self.rejections.append(f"{rejection.status} {endpoint}: {rejection.reason}")
            return rejection.status, {}, rejection.reason
        with self._condition:
            device.received.append(received)
            self._condition.notify_all()
        return 201, {"Location": f"{self.origin}/message/{uuid.uuid4().hex}"}, ""

    def _check_and_decrypt(self, device: Device, headers: Any, body: bytes) -> Received:
        ttl, urgency, topic = self._checks.check(headers, body)
        return Received(
            endpoint=device.endpoint,
            payload=decrypt(device, body),
            ttl=ttl,
            urgency=urgency,
            topic=topic,
            headers={name.lower(): value for name, value in headers.items()},
        )


def make_device(origin: str) -> Device:
    """A browser's subscription to a push service at `origin`: a P-256 key pair, an auth secret."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return Device(
        endpoint=f"{origin}/push/{uuid.uuid4().hex}",
        p256dh=b64url_encode(public),
        auth=b64url_encode(secrets.token_bytes(16)),
        private_key=private_key,
    )


def decrypt(device: Device, body: bytes) -> bytes:
    """Decrypt an aes128gcm body with the device's private key, as its browser would."""
    if not body:
        return b""
    try:
        return http_ece.decrypt(
            body,
            private_key=device.private_key,
            auth_secret=b64url_decode(device.auth),
            version="aes128gcm",
        )
    except Exception as error:
        raise Rejected(400, f"cannot decrypt aes128gcm body: {error}") from error


class RequestChecks:
    """What a push service checks before it accepts a message for `origin`'s devices."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self._verified: set[tuple[str, str]] = set()

    def check(self, headers: Any, body: bytes) -> tuple[int, str | None, str | None]:
        """Check VAPID, TTL, Urgency, Topic, size and encoding; return (ttl, urgency, topic)."""
        self._check_vapid(headers.get("Authorization"))
        ttl_text = headers.get("TTL")
        if ttl_text is None:
            raise Rejected(400, "TTL header missing")
        if not ttl_text.strip().isdigit():
            raise Rejected(400, f"TTL header is not a non-negative integer: {ttl_text!r}")
        urgency = headers.get("Urgency")
        if urgency is not None and urgency not in URGENCIES:
            raise Rejected(400, f"Urgency must be one of {sorted(URGENCIES)}: {urgency!r}")
        topic = headers.get("Topic")
        if topic is not None and not TOPIC_PATTERN.match(topic):
            raise Rejected(400, f"Topic must be 1-32 base64url characters: {topic!r}")
        if len(body) > MAX_BODY:
            raise Rejected(413, f"body of {len(body)} bytes exceeds {MAX_BODY}")
        if body and headers.get("Content-Encoding") != "aes128gcm":
            encoding = headers.get("Content-Encoding")
            raise Rejected(400, f"Content-Encoding must be aes128gcm, got {encoding!r}")
        return int(ttl_text), urgency, topic

    def _check_vapid(self, authorization: str | None) -> None:
        """Verify an RFC 8292 `vapid t=<JWT>, k=<key>` header: signature, aud, exp and sub."""
        if not authorization:
            raise Rejected(401, "Authorization header missing")
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise Rejected(401, f"Authorization scheme must be vapid, got {scheme!r}")
        values: dict[str, str] = {}
        for part in params.split(","):
            name, _, value = part.strip().partition("=")
            values[name.strip().lower()] = value.strip()
        token, key_text = values.get("t"), values.get("k")
        if not token or not key_text:
            raise Rejected(401, "Authorization needs both t= and k=")
        try:
            header_part, claims_part, signature_part = token.split(".")
            header = json.loads(b64url_decode(header_part))
            claims = json.loads(b64url_decode(claims_part))
            signature = b64url_decode(signature_part)
            public_key = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), b64url_decode(key_text)
            )
        except (ValueError, binascii.Error) as error:
            raise Rejected(401, f"malformed VAPID token or key: {error}") from error
        if not isinstance(header, dict) or header.get("alg") != "ES256":
            raise Rejected(401, "JWT alg must be ES256")
        if len(signature) != 64:
            raise Rejected(403, "JWT signature must be 64 bytes (r||s)")
        # A sender reuses one token for many messages: its signature needs checking once.
        if (token, key_text) not in self._verified:
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            try:
                public_key.verify(
                    der, f"{header_part}.{claims_part}".encode("ascii"), ec.ECDSA(hashes.SHA256())
                )
            except InvalidSignature as error:
                raise Rejected(403, "JWT signature does not verify with k") from error
            self._verified.add((token, key_text))
        if not isinstance(claims, dict):
            raise Rejected(403, "JWT claims must be an object")
        if claims.get("aud") != self.origin:
            raise Rejected(403, f"JWT aud {claims.get('aud')!r} is not {self.origin!r}")
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise Rejected(403, f"JWT exp must be an integer: {exp!r}")
        if exp <= now:
            raise Rejected(403, "JWT has expired")
        if exp > now + MAX_EXP_AHEAD:
            raise Rejected(403, "JWT exp is more than 24 hours ahead")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
            raise Rejected(403, f"JWT sub must be a mailto: or https: URI: {sub!r}")

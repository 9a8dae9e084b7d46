"""The browser tests' local server behaves when the browser walks away mid-answer."""

from __future__ import annotations

import gc
import socket
import struct
import time
import warnings
from urllib.parse import urlsplit

from flask import url_for

from tests.browser import serving


def ask_and_reset(address: str, path: str, wait: float) -> None:
    """Send a GET and reset the connection `wait` seconds later, as a browser leaving does."""
    parts = urlsplit(address)
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        time.sleep(wait)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_static_file_left_mid_answer_is_closed(app):
    with app.test_request_context():
        icon = url_for("pwa.static", filename="icons/icon-192.png")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with serving(app) as address:
            for attempt in range(40):
                ask_and_reset(address, icon, attempt / 4000)
            time.sleep(0.3)
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []

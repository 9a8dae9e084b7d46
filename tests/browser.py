"""Browser fixtures: the app served on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PHONE = {"width": 412, "height": 915}
# The narrowest phone a page must still fit without scrolling sideways.
SMALL_PHONE = {"width": 320, "height": 640}

# Headless Chromium has no vendor push service to subscribe with; this stands the tests' local
# push service in for it, as the phone's browser would: subscribe() hands back that device.
LOCAL_PUSH_SERVICE = """
(() => {
  const device = %s;
  let subscribed = null;
  PushManager.prototype.getSubscription = async () => subscribed;
  PushManager.prototype.subscribe = async (options) => {
    window.subscribedWithKey = Array.from(new Uint8Array(options.applicationServerKey));
    subscribed = { endpoint: device.endpoint, toJSON: () => device };
    return subscribed;
  };
})();
"""


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CONTACTBOOK_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser) -> Iterator:
    """A fresh phone-sized browser profile in Vietnamese."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    yield context
    context.close()


RESPONSE_KEY = "tests.browser.response"


class ClosingRequestHandler(WSGIRequestHandler):
    """Closes an answer the browser walked away from.

    Werkzeug's server skips closing it when the connection resets while it drains the request,
    which leaves a static file open until the garbage collector warns about it.
    """

    def connection_dropped(self, error: BaseException, environ=None) -> None:
        response = (environ or {}).get(RESPONSE_KEY)
        if response is not None and hasattr(response, "close"):
            response.close()


def keeping_response(app):
    """Wrap a WSGI app so that the request handler can find the answer it is sending."""

    def application(environ, start_response):
        response = app(environ, start_response)
        environ[RESPONSE_KEY] = response
        return response

    return application


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve the app on a free port of 127.0.0.1 while the block runs; yield its address."""
    server = make_server(
        "127.0.0.1", 0, keeping_response(app), threaded=True, request_handler=ClosingRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    with serving(app) as address:
        yield address


def sign_in_on(context, live_server: str, identifier: str, password: str):
    """Open a page and sign in through the real form, as a person would; return the page."""
    page = context.new_page()
    page.goto(f"{live_server}/signin")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(identifier)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")
    return page

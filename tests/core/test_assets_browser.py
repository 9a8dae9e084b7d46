"""In Chromium: modules found through the import map, and the offer to install the app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from contactbook.core.platform.module_contract import Role
from tests.browser import PHONE, sign_in_on
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
HASHED = re.compile(r"^/pwa/.+\.[0-9a-f]{12}\.\w+$")
# What Chromium hands the page when the app may be installed; prompt() would show its dialog.
OFFER_TO_INSTALL = """() => {
  const offer = new Event("beforeinstallprompt", { cancelable: true });
  window.prompted = 0;
  offer.prompt = async () => { window.prompted += 1; return { outcome: "accepted" }; };
  offer.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
  window.dispatchEvent(offer);
  return offer.defaultPrevented;
}"""
APPLE_HINT = "chạm Chia sẻ, rồi Thêm vào Màn hình chính"


@pytest.fixture
def iphone(browser) -> Iterator:
    """Safari on an iPhone, as far as the page can tell."""
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True, user_agent=IPHONE
    )
    yield context
    context.close()


@pytest.fixture
def parent(make_school, make_user):
    return make_user(Role.GUARDIAN, make_school())


def test_modules_import_each_other_by_plain_name_and_load_hashed(live_server, phone, parent):
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))

    page.goto(f"{live_server}/notifications")
    # The settings form's script (apiform.js) imports "./api.js" and saves through it.
    # After saving it reloads the page.
    with (
        page.expect_navigation(),
        page.expect_response(lambda response: response.request.method == "PUT") as saved,
    ):
        page.locator("form.stack").get_by_role("button", name="Lưu").click()
    assert saved.value.status == 204
    modules = [path for path in requested if path.startswith("/pwa/js/")]
    # The plain name resolves to the module the page already has: no new request.
    imported = page.evaluate("import('/pwa/js/api.js').then((module) => typeof module.send)")

    assert imported == "function"
    assert [path for path in requested if path.startswith("/pwa/js/")] == modules
    files = [path for path in requested if path.startswith("/pwa/")]
    assert any(path.startswith("/pwa/js/api.") for path in files), files
    assert all(HASHED.match(path) for path in files), files
    assert errors == []


def test_install_button_appears_when_the_browser_offers_to_install(live_server, phone, parent):
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    install = page.get_by_role("button", name="Cài ứng dụng")
    assert page.locator("#install").is_hidden()
    assert page.get_by_text(APPLE_HINT).is_hidden(), "no iPhone hint on Android"

    assert page.evaluate(OFFER_TO_INSTALL), "the browser's own mini bar is held back"
    install.wait_for()
    assert page.get_by_text("Ứng dụng trên điện thoại").is_visible()
    box = install.bounding_box()
    assert box and box["height"] >= 44
    install.tap()

    assert page.evaluate("window.prompted") == 1
    page.locator("#install").wait_for(state="hidden")


def test_the_offer_stays_on_the_pages_where_it_helps(live_server, phone, parent):
    page = sign_in_on(phone, live_server, parent.phone, PASSWORD)
    page.goto(f"{live_server}/notifications")
    page.evaluate(OFFER_TO_INSTALL)
    page.get_by_role("button", name="Cài ứng dụng").wait_for()

    page.goto(f"{live_server}/inbox")
    page.evaluate(OFFER_TO_INSTALL)
    assert page.locator("#install").count() == 0


def test_an_iphone_is_told_how_to_add_the_app_to_its_home_screen(live_server, iphone, parent):
    page = sign_in_on(iphone, live_server, parent.phone, PASSWORD)
    page.get_by_text(APPLE_HINT).wait_for()
    assert page.get_by_role("button", name="Cài ứng dụng").is_hidden()
    page.goto(f"{live_server}/notifications")
    page.get_by_text(APPLE_HINT).wait_for()

    # Opened from the home screen, the app is installed: nothing to say.
    iphone.add_init_script(
        script="Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true });"
    )
    page.reload()
    page.locator("#push").wait_for()
    assert page.locator("#install").is_hidden()

"""Static files: named by their content, compressed, cached for good, within each page's budget."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
import pytest
from flask import url_for

from contactbook.core.platform import pwa
from contactbook.extensions import db
from tests.core.test_security_headers import (  # noqa: F401 (fixtures)
    ROLES,
    get_routes,
    on_a_school_morning,
    walk,
    world,
)

SOURCE = pwa.PWA_DIR
YEAR = 365 * 24 * 3600
JS_BUDGET = 40 * 1024
CSS_BUDGET = 25 * 1024
# Swagger UI, a developer's tool, brings its own 1.4 MB bundle; it is no page of the app.
OUTSIDE_THE_BUDGET = {"api_docs.docs_page"}
STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s+(?:[\w*{}\s,$]+\s+from\s+)?["']([^"']+)["']""", re.MULTILINE
)


class PageFiles(HTMLParser):
    """The scripts, stylesheets, other /pwa/ links and the import map of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.links: list[str] = []
        self.import_map: dict[str, str] = {}
        self._in_import_map = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and names.get("type") == "importmap":
            self._in_import_map = True
        elif tag == "script" and names.get("src"):
            self.scripts.append(names["src"])
        elif tag == "link" and names.get("rel") == "stylesheet":
            self.stylesheets.append(names["href"])
        elif tag == "link" and (names.get("href") or "").startswith("/pwa/"):
            self.links.append(names["href"])

    def handle_data(self, data: str) -> None:
        if self._in_import_map:
            self.import_map = json.loads(data)["imports"]
            self._in_import_map = False


def files_of(html: str) -> PageFiles:
    parser = PageFiles()
    parser.feed(html)
    return parser


def get(client, url: str, **kwargs):
    """GET and close: WhiteNoise hands the file itself to the server, open until then."""
    with client.get(url, **kwargs) as response:
        response.get_data()
    return response


def path_of(url: str) -> str:
    return urlsplit(url).path


def hashed(name: str) -> str:
    """The name a file of pwa/ must be served under: its content's SHA-256, 12 hex digits."""
    digest = hashlib.sha256((SOURCE / name).read_bytes()).hexdigest()[:12]
    stem, _, extension = name.rpartition("/")[2].partition(".")
    return f"/pwa/{name.rpartition('/')[0]}/{stem}.{digest}.{extension}"


def test_pages_name_each_file_by_its_content_and_it_is_kept_for_good(client):
    page = files_of(get(client, "/signin").get_data(as_text=True))
    urls = [path_of(url) for url in page.scripts + page.stylesheets + page.links]
    assert {"/pwa/js/app.js", "/pwa/css/app.css", "/pwa/icons/icon.svg"} <= {
        re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in urls
    }
    for url in urls:
        name = re.sub(r"\.[0-9a-f]{12}\.", ".", url).removeprefix("/pwa/")
        assert url == hashed(name)
        response = get(client, url)
        assert response.status_code == 200, url
        assert response.data == (SOURCE / name).read_bytes(), url
        assert response.headers["Cache-Control"] == f"max-age={10 * YEAR}, public, immutable"
        # Served before the app sees the request, and still under the site's policy: an
        # SVG can hold a script.
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_service_worker_learns_every_file_and_its_hashed_url(app, client):
    shipped = {
        path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*") if path.is_file()
    } - {"sw.js", "manifest.webmanifest"}
    assets = app.extensions["pwa_assets"]
    assert set(assets) == shipped
    for name, url in assets.items():
        assert url == hashed(name)
        assert get(client, url).data == (SOURCE / name).read_bytes(), name


@pytest.mark.parametrize(
    ("accepted", "encoding"),
    [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br, zstd", "br"), ("", None)],
)
def test_files_come_compressed_as_the_browser_accepts(client, accepted, encoding):
    source = (SOURCE / "css/app.css").read_bytes()
    response = get(client, hashed("css/app.css"), headers={"Accept-Encoding": accepted})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](response.data)
    assert body == source
    if encoding:
        assert len(response.data) < len(source) / 3


def test_a_plain_name_serves_the_current_file_checked_on_every_use(client):
    response = get(client, "/pwa/js/app.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert brotli.decompress(response.data) == (SOURCE / "js/app.js").read_bytes()
    assert response.headers["Cache-Control"] == "max-age=0, public"
    again = get(client, "/pwa/js/app.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    ["/pwa/js/app.0123456789ab.js", "/pwa/js/nothing.js", "/pwa/css/", "/pwa/js/../../wsgi.py"],
)
def test_unknown_names_are_not_found(client, url):
    assert get(client, url).status_code == 404


@pytest.fixture
def source(tmp_path, monkeypatch) -> Path:
    """A copy of pwa/ to change, and an instance folder of the test's own for the store."""
    copy = tmp_path / "pwa"
    shutil.copytree(SOURCE, copy)
    monkeypatch.setattr(pwa, "PWA_DIR", copy)
    monkeypatch.setenv("CONTACTBOOK_INSTANCE_PATH", str(tmp_path / "instance"))
    return copy


def test_a_page_from_before_a_change_still_finds_its_files(another_app, source):
    """A page rendered before a deploy (or kept offline) names the files of its day."""
    before = another_app().extensions["pwa_assets"]["js/api.js"]
    old = (source / "js/api.js").read_bytes()
    (source / "js/api.js").write_bytes(old + b"// changed\n")

    app = another_app()
    client = app.test_client()
    after = app.extensions["pwa_assets"]["js/api.js"]
    assert after != before
    for url, content in ((before, old), (after, old + b"// changed\n")):
        response = get(client, url)
        assert response.data == content, url
        assert "immutable" in response.headers["Cache-Control"]
    assert get(client, "/pwa/js/api.js").data == old + b"// changed\n"
    with app.test_request_context():
        assert url_for("pwa.static", filename="js/api.js") == after


def test_in_debug_mode_an_edit_shows_on_the_next_page_without_a_restart(another_app, source):
    app = another_app(DEBUG=True)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    before = files_of(get(client, "/signin").get_data(as_text=True)).import_map["/pwa/js/app.js"]
    (source / "js/app.js").write_bytes((source / "js/app.js").read_bytes() + b"// edited\n")

    page = files_of(get(client, "/signin").get_data(as_text=True))
    after = page.import_map["/pwa/js/app.js"]
    assert after != before
    assert after in [path_of(url) for url in page.scripts]
    assert get(client, after).data.endswith(b"// edited\n")


def test_the_installed_app_opens_on_home_in_its_own_window(client):
    manifest = get(client, "/manifest.webmanifest").get_json(force=True)
    assert manifest["display"] == "standalone"
    # One identity, so an installed app keeps its notification permission across updates.
    assert manifest["id"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["start_url"].startswith(manifest["scope"])


def page_weight(client, html: str) -> tuple[int, int, list[str]]:
    """Bytes of JavaScript (with every statically imported module, once) and of CSS a page
    makes the browser load, uncompressed, and the stylesheets it blocks on."""
    page = files_of(html)
    loaded: dict[str, int] = {}
    waiting = [path_of(url) for url in page.scripts]
    while waiting:
        url = waiting.pop()
        url = page.import_map.get(url, url)
        if url in loaded:
            continue
        source = get(client, url).get_data(as_text=True)
        loaded[url] = len(source.encode())
        waiting.extend(urljoin(url, found) for found in STATIC_IMPORT.findall(source))
    styles = [path_of(url) for url in page.stylesheets]
    css = sum(len(get(client, url).data) for url in styles)
    return sum(loaded.values()), css, styles


def test_a_page_weighs_its_scripts_with_the_modules_they_import(client):
    js, css, _ = page_weight(client, get(client, "/signin").get_data(as_text=True))
    # The sign-in page runs app.js, which imports the offline queue's modules and install.js.
    imported = (
        "js/app.js",
        "js/offline.js",
        "js/api.js",
        "js/outbox.js",
        "js/queue.js",
        "js/install.js",
    )
    assert js == sum(len((SOURCE / name).read_bytes()) for name in imported)
    assert css == len((SOURCE / "css/app.css").read_bytes())


@pytest.mark.parametrize("role", [*ROLES, None])
def test_every_page_keeps_within_its_script_and_style_budget(app, client, login, world, role):  # noqa: F811
    if role:
        assert login(world.users[role].phone).status_code == 302
    urls = get_routes(app, world.arguments)
    pages = {
        endpoint: response.get_data(as_text=True)
        for endpoint, response in walk(client, urls).items()
        if response.status_code == 200
        and response.mimetype == "text/html"
        and endpoint not in OUTSIDE_THE_BUDGET
    }
    assert len(pages) >= 3
    for endpoint, html in pages.items():
        js, css, stylesheets = page_weight(client, html)
        assert js <= JS_BUDGET, f"{endpoint}: {js} bytes of JavaScript"
        assert 0 < css <= CSS_BUDGET, f"{endpoint}: {css} bytes of CSS"
        # One small stylesheet blocks the first paint; nothing else does.
        assert [re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in stylesheets] == [
            "/pwa/css/app.css"
        ], endpoint

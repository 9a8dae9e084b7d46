"""pwa/'s files under names that change with their content, compressed, cached for good.

At start-up every file of pwa/ is copied once into a store in the instance folder under a name
holding a hash of its content (`js/app.js` -> `js/app.3f2a9c1b2d4e.js`), next to its gzip and
brotli forms; a file already there is not written again, so a restart costs a hash per file
and developers have no build step. WhiteNoise serves the store: a hashed name with a ten-year,
immutable cache (a change is a new name), the plain name of the current file revalidated on
every use, each as brotli or gzip when the browser accepts it. Copies from earlier starts stay
in the store, so a page rendered before a deploy still finds its files; deleting the store is
safe at any time.

`url_for('pwa.static', filename=...)` hands out the hashed name, and an import map in every
page lets ES modules import each other by their plain names (`import "./api.js"`). The map is
an inline script, allowed by its hash in the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from wsgiref.headers import Headers

from flask import Flask
from markupsafe import Markup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from contactbook.core.platform import security_headers

PREFIX = "/pwa/"
HASH_LENGTH = 12
# Served by views of their own (the worker with its version filled in, the manifest typed).
OWN_ROUTES = frozenset({"sw.js", "manifest.webmanifest"})
STORE_FOLDER = "assets"


@dataclass(frozen=True)
class Assets:
    """What pages and the service worker need to name the current files."""

    urls: dict[str, str]  # "js/app.js" -> "/pwa/js/app.3f2a9c1b2d4e.js"
    stored: dict[str, Path]  # "js/app.js" -> its hashed copy in the store

    @cached_property
    def import_map(self) -> str:
        """The import map's JSON: every module's plain URL -> its hashed URL."""
        imports = {PREFIX + name: url for name, url in self.urls.items() if name.endswith(".js")}
        # "<" never appears in a path; escaping it keeps the map inert inside <script>.
        return json.dumps({"imports": imports}, sort_keys=True).replace("<", "\\u003c")

    @cached_property
    def import_map_source(self) -> str:
        """The CSP source that allows exactly this import map: 'sha256-…' of its text."""
        digest = hashlib.sha256(self.import_map.encode()).digest()
        return f"'sha256-{base64.b64encode(digest).decode()}'"


def init_app(app: Flask, source: Path) -> None:
    """Store the hashed copies, serve them, hand them to url_for, the pages and the worker."""
    shelf = Shelf(app, source, Path(app.instance_path) / STORE_FOLDER / PREFIX.strip("/"))
    app.wsgi_app = shelf.server  # type: ignore[method-assign]

    @app.url_defaults
    def hashed_url(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "pwa.static":
            return
        if url := shelf.assets.urls.get(values.get("filename", "")):
            values["filename"] = url.removeprefix(PREFIX)

    @app.context_processor
    def import_map() -> dict:
        tag = f'<script type="importmap">{shelf.assets.import_map}</script>'
        # The map is JSON of pwa/'s own file names with "<" escaped (Assets.import_map): it
        # cannot end the script, so marking the tag safe lets no page data through.
        return {"asset_import_map": Markup(tag)}  # noqa: S704 - see above  # nosec B704

    if app.debug:
        # `flask run --debug` restarts on Python changes only: an edit in pwa/ shows on the
        # next page load without one.
        app.before_request(shelf.refresh)


class Shelf:
    """The current build of pwa/ and the WhiteNoise in front of the app that serves the store."""

    def __init__(self, app: Flask, source: Path, store: Path) -> None:
        self.app = app
        self.source = source
        self.store = store
        self.server = WhiteNoise(
            app.wsgi_app,
            max_age=0,
            allow_all_origins=False,
            immutable_file_test=lambda path, url: is_hashed(url),
            add_headers_function=self._add_headers,
        )
        self.stamp = _stamp(source)
        self._load()

    def refresh(self) -> None:
        """Build again if a file of pwa/ changed since the last build."""
        if (stamp := _stamp(self.source)) != self.stamp:
            self.stamp = stamp
            self._load()

    def _load(self) -> None:
        """Every stored copy by its hashed name, the current ones also by their plain names;
        anything else (an unknown name) falls through to the app's 404."""
        self.assets = build(self.source, self.store)
        self.app.extensions["pwa_assets"] = self.assets.urls
        script_src = f"'self' {self.assets.import_map_source}"
        security_headers.allow_everywhere(self.app, script_src=script_src)
        self.headers = security_headers.file_headers(self.app)
        self.server.add_files(str(self.store), prefix=PREFIX)
        for name, path in self.assets.stored.items():
            self.server.add_file_to_dictionary(PREFIX + name, str(path))

    def _add_headers(self, headers: Headers, path: str, url: str) -> None:
        for name, value in self.headers.items():
            headers[name] = value


def build(source: Path, store: Path) -> Assets:
    """Copy each file of `source` into `store` under its hashed name, with its compressed forms."""
    compressor = Compressor(quiet=True)
    urls: dict[str, str] = {}
    stored: dict[str, Path] = {}
    for path in sorted(source.rglob("*")):
        name = path.relative_to(source).as_posix()
        if not path.is_file() or name in OWN_ROUTES:
            continue
        data = path.read_bytes()
        hashed = hashed_name(name, data)
        target = store / hashed
        if not target.exists():
            _store(target, data, compressor)
        urls[name] = PREFIX + hashed
        stored[name] = target
    return Assets(urls=urls, stored=stored)


def hashed_name(name: str, data: bytes) -> str:
    """`js/app.js` -> `js/app.<first 12 hex digits of its SHA-256>.js`."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, _, file = name.rpartition("/")
    stem, dot, extension = file.partition(".")
    hashed = f"{stem}.{digest}{dot}{extension}"
    return f"{folder}/{hashed}" if folder else hashed


def is_hashed(url: str) -> bool:
    """Whether a URL names one content for ever (a name `build` gave), so may be kept for good."""
    file = url.rpartition("/")[2]
    parts = file.split(".")
    return (
        len(parts) >= 2
        and len(parts[1]) == HASH_LENGTH
        and all(char in "0123456789abcdef" for char in parts[1])
    )


def _store(target: Path, data: bytes, compressor: Compressor) -> None:
    """Write the compressed forms first and the file last, each atomically: once the file is
    there, so is everything served with it, even when two workers start at the same moment."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if compressor.should_compress(target.name):
        packed = compressor.compress_brotli(data)
        if compressor.is_compressed_effectively("Brotli", str(target), len(data), packed):
            _write(target.with_name(target.name + ".br"), packed)
            packed = compressor.compress_gzip(data)
            if compressor.is_compressed_effectively("Gzip", str(target), len(data), packed):
                _write(target.with_name(target.name + ".gz"), packed)
    _write(target, data)


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    # Public files, readable by the web server in front, which may serve them (deploy/nginx).
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _stamp(source: Path) -> list[tuple[str, int, int]]:
    return [
        (path.as_posix(), stat.st_mtime_ns, stat.st_size)
        for path in sorted(source.rglob("*"))
        if path.is_file() and (stat := path.stat())
    ]

"""Serves pwa/: the service worker at /sw.js, the manifest, static files, and the offline page.

A signed-in user's page (or API data) answers with `X-Contactbook-User: <id>`: the service
worker keeps a copy of such pages for offline use and shows one only to the user it was made for.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_login import current_user

from contactbook.core.platform import assets
from contactbook.core.platform.public_routes import public
from contactbook.core.platform.records import utcnow
from contactbook.core.platform.security_headers import cacheable

PWA_DIR = Path(__file__).resolve().parents[3] / "pwa"
STATIC_MAX_AGE = 3600
USER_HEADER = "X-Contactbook-User"
KEPT_TYPES = frozenset({"text/html", "application/json"})

bp = Blueprint("pwa", __name__, static_folder=str(PWA_DIR), static_url_path="/pwa")


def init_app(app: Flask) -> None:
    """Version the shell once at start-up and let every page name that version."""
    app.extensions["pwa_version"] = _version_of(PWA_DIR)
    app.register_blueprint(bp)
    app.after_request(mark_user_page)
    assets.init_app(app, PWA_DIR)

    @app.context_processor
    def pwa_version() -> dict:
        # When the page was made: a copy kept for offline use says how old it is.
        return {"pwa_version": app.extensions["pwa_version"], "page_made_at": _made_at}


def _version_of(folder: Path) -> str:
    """Hash every shipped file, so any change installs a new worker with fresh caches."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _made_at() -> str:
    """Now, in the app's time zone and the reader's language, for a page's offline copy."""
    return format_datetime(utcnow(), "short")


def mark_user_page(response: Response) -> Response:
    """Name the user a successful page or API read was made for, so the service worker may keep
    it for that user's offline use (and never show it to another)."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and response.mimetype in KEPT_TYPES
        and current_user.is_authenticated
    ):
        response.headers[USER_HEADER] = str(current_user.id)
    return response


@bp.get("/sw.js")
@public
@cacheable
def service_worker() -> ResponseReturnValue:
    """The service worker, from the site root so it may control every page; always revalidated."""
    version = current_app.extensions["pwa_version"]
    assets = json.dumps(current_app.extensions.get("pwa_assets", {}))
    source = (PWA_DIR / "sw.js").read_text()
    body = source.replace("__VERSION__", version).replace("__ASSETS__", assets)
    return (
        body,
        200,
        {
            "Content-Type": "text/javascript; charset=utf-8",
            "Cache-Control": "no-cache",
            "Service-Worker-Allowed": "/",
        },
    )


@bp.get("/manifest.webmanifest")
@public
@cacheable
def manifest() -> ResponseReturnValue:
    """The web app manifest, with the content type browsers need to offer installing."""
    # Read whole, not streamed: a browser that drops the connection early leaves no file open.
    response = Response(
        (PWA_DIR / "manifest.webmanifest").read_bytes(), mimetype="application/manifest+json"
    )
    response.cache_control.max_age = STATIC_MAX_AGE
    response.cache_control.public = True
    return response


@bp.get("/offline")
@public
def offline() -> ResponseReturnValue:
    """The page the service worker keeps and shows when the network cannot reach a page."""
    return render_template("core/offline.html")

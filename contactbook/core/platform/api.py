"""The JSON API root: one flask-smorest Api per app, its OpenAPI spec and interactive docs.

The docs page loads Swagger UI 5 (which reads OpenAPI 3.1) from the files the installed
flask-swagger-ui package ships, not a CDN, so it works on a school network with no internet and
leaks no page views. It is our own page rather than flask-smorest's, whose inline script the
Content-Security-Policy would block.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Flask, current_app, render_template, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_smorest import Api

from contactbook.core.platform.errors import ErrorOut
from contactbook.core.platform.fields import decimal_as_json
from contactbook.core.platform.public_routes import public
from contactbook.core.platform.security_headers import cacheable, content_security_policy

DOCS_ASSETS = "/api/docs/assets/"
SWAGGER_UI_FILES = Path(flask_swagger_ui.__file__).parent / "dist"

docs = Blueprint("api_docs", __name__)


@docs.get("/api/docs")
@public
@content_security_policy(img_src="'self' data:")  # Swagger UI's icons are data: URLs in its CSS
def docs_page() -> ResponseReturnValue:
    """The interactive API docs, for people writing scripts or apps against the API."""
    return render_template(
        "core/api_docs.html",
        title=current_app.config["API_TITLE"],
        spec_url=url_for("api-docs.openapi_json"),
        assets=DOCS_ASSETS,
    )


@docs.get(f"{DOCS_ASSETS}<path:filename>")
@public
@cacheable
def docs_asset(filename: str) -> ResponseReturnValue:
    """Swagger UI's own files, served from the installed package so no CDN is needed."""
    return send_from_directory(SWAGGER_UI_FILES, filename, max_age=86400)


def init_app(app: Flask) -> Api:
    """Create the app's Api; its error handler is replaced by platform/errors.py afterwards."""
    app.register_blueprint(docs)
    api = Api()
    api.ERROR_SCHEMA = ErrorOut
    api.init_app(app)
    api.ma_plugin.converter.add_attribute_function(decimal_as_json)
    return api


def api_of(app: Flask) -> Api:
    """The app's one Api, for core parts and modules to register their API blueprints on."""
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]

"""The JSON API root: one flask-smorest Api per app, its OpenAPI spec and interactive docs.

The docs page loads Swagger UI from the installed swagger-ui-bundle package, not a CDN, so it
works on a school network with no internet and leaks no page views.
"""

from __future__ import annotations

from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api
from swagger_ui_bundle import swagger_ui_path

DOCS_ASSETS = "/api/docs/assets/"

assets = Blueprint("api_docs_assets", __name__)


@assets.get(f"{DOCS_ASSETS}<path:filename>")
def docs_asset(filename: str):
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


def init_app(app: Flask) -> Api:
    """Create the app's Api; its error handler is replaced by core/errors.py afterwards."""
    app.config.setdefault("OPENAPI_SWAGGER_UI_PATH", "docs")
    app.config.setdefault("OPENAPI_SWAGGER_UI_URL", DOCS_ASSETS)
    app.register_blueprint(assets)
    return Api(app)


def api_of(app: Flask) -> Api:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]

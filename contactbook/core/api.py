"""The JSON API root: one flask-smorest Api per app, serving the OpenAPI spec under /api."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask) -> Api:
    """Create the app's Api; its error handler is replaced by core/errors.py afterwards."""
    return Api(app)


def api_of(app: Flask) -> Api:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]

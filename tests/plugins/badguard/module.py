"""A module guarding a page with a permission nobody declares, so start-up must refuse it."""

from __future__ import annotations

from flask import Blueprint

from contactbook.core.directory import permission_required
from contactbook.core.platform import Module

pages = Blueprint("badguard", __name__)


@pages.get("/")
@permission_required("badguard.typo.view")
def index() -> str:
    return "<h1>Bad guard</h1>"


module = Module(name="badguard", title="Bad guard", blueprints=(pages,))

"""A module whose menu entry names a permission nobody declares, so start-up must refuse it."""

from __future__ import annotations

from flask import Blueprint

from contactbook.core.platform import MenuItem, Module

pages = Blueprint("badmenu", __name__)


@pages.get("/")
def index() -> str:
    return "<h1>Bad menu</h1>"


module = Module(
    name="badmenu",
    title="Bad menu",
    blueprints=(pages,),
    menu=(MenuItem("Bad menu", "badmenu.index", "badmenu.typo.view"),),
)

"""A module linking the sign-in page to a page strangers cannot open, so start-up must refuse it."""

from __future__ import annotations

from flask import Blueprint

from contactbook.core.platform import Module, PublicLink

pages = Blueprint("shutlink", __name__)


@pages.get("/help")
def help_page() -> str:
    return "<h1>Help behind the sign-in</h1>"


module = Module(
    name="shutlink",
    title="Shut link",
    blueprints=(pages,),
    signin_links=(PublicLink("Help", "shutlink.help_page"),),
)

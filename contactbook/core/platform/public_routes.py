"""Which routes a stranger may use; every other route needs a signed-in reader.

Default deny: a route whose author forgot `login_required` (a new blueprint, an API view that
reads its arguments before checking who asks) is closed to the signed-out, not open. A view
opens itself with `public`; routes the app does not write itself (static files, the API's
spec) are named here. The gate that refuses the rest lives with the sign-in
(`core.directory.guards`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask

View = TypeVar("View", bound=Callable[..., Any])
PUBLIC = "contactbook_public"
# flask-smorest's OpenAPI document, made by the library, and Flask's own static files.
OUTSIDE_PUBLIC_ENDPOINTS = frozenset({"static", "api-docs.openapi_json"})


def public(view: View) -> View:
    """Open a view to readers who are not signed in (sign-in, invites, password resets).

    Put it under the route decorator. Anything the view shows or changes is then for anyone
    on the internet: it must check what it is given by itself.
    """
    setattr(view, PUBLIC, True)
    return view


def is_public(app: Flask, endpoint: str) -> bool:
    """Whether strangers may reach this endpoint: a `public` view or a static file."""
    if endpoint in OUTSIDE_PUBLIC_ENDPOINTS or endpoint.endswith(".static"):
        return True
    return bool(getattr(app.view_functions.get(endpoint), PUBLIC, False))

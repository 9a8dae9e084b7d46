"""Security headers on every response: a CSP without inline code, no sniffing, no framing, HSTS.

Pages and API answers carry children's personal data, so they get `Cache-Control: no-store`:
no browser, proxy or back button keeps a copy. Static files (the PWA shell, Swagger UI) hold
nothing personal and keep the caching their views give them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, request

View = TypeVar("View", bound=Callable)

# Every source is this site: no inline scripts, styles or handlers, no plugins, no <base>
# rewriting links, no framing by other sites (clickjacking), forms post only here.
CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# A year; browsers heed it only over HTTPS, which production serves through its proxy.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
CSP_ATTRIBUTE = "content_security_policy"
CACHEABLE_ATTRIBUTE = "is_cacheable"
REVALIDATED_ATTRIBUTE = "is_revalidated"
APP_POLICY = "csp_everywhere"


def init_app(app: Flask) -> None:
    """Add the headers to every response the app sends, error pages and redirects included."""
    app.after_request(add_security_headers)


def cacheable(view: View) -> View:
    """Let browsers and the service worker cache what a view serves: files with no personal data."""
    setattr(view, CACHEABLE_ATTRIBUTE, True)
    return view


def revalidated(view: View) -> View:
    """Let the reader's browser alone keep what a view serves, asking again on every use: for
    views answering conditional GETs (304 when nothing changed)."""
    setattr(view, REVALIDATED_ATTRIBUTE, True)
    return view


def allow_everywhere(app: Flask, **sources: str) -> None:
    """Widen the policy for every response, e.g. script_src with the hash of the one inline
    script every page has (the import map)."""
    app.extensions.setdefault(APP_POLICY, {}).update(_directives(sources))


def file_headers(app: Flask) -> dict[str, str]:
    """The headers of every response that concern files too (an SVG can hold a script): for
    static files served before the app sees the request."""
    headers = {
        "Content-Security-Policy": _policy_text(app, view=None),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        # For browsers that predate the policy's frame-ancestors.
        "X-Frame-Options": "DENY",
    }
    if app.config["CONTACTBOOK_ENV"] == "production":
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers


def content_security_policy(**sources: str) -> Callable[[View], View]:
    """Widen the policy for one view, e.g. img_src="'self' data:" for a page that needs it."""

    def mark(view: View) -> View:
        setattr(view, CSP_ATTRIBUTE, _directives(sources))
        return view

    return mark


def add_security_headers(response: Response) -> Response:
    """Set the policy, nosniff, referrer and framing rules, HSTS in production, and caching."""
    view = _current_view()
    response.headers.update(file_headers(current_app))
    response.headers["Content-Security-Policy"] = _policy_text(current_app, view)
    if getattr(view, REVALIDATED_ATTRIBUTE, False) and response.status_code in (200, 304):
        response.headers["Cache-Control"] = "private, no-cache"
    elif not _is_static_file(view):
        response.headers["Cache-Control"] = "no-store"
    return response


def _directives(sources: dict[str, str]) -> dict[str, str]:
    return {name.replace("_", "-"): value for name, value in sources.items()}


def _policy_text(app: Flask, view: Callable | None) -> str:
    policy = {
        **CONTENT_SECURITY_POLICY,
        **app.extensions.get(APP_POLICY, {}),
        **getattr(view, CSP_ATTRIBUTE, {}),
    }
    return "; ".join(f"{name} {sources}" for name, sources in policy.items())


def _current_view() -> Callable | None:
    endpoint = request.endpoint
    return current_app.view_functions.get(endpoint) if endpoint else None


def _is_static_file(view: Callable | None) -> bool:
    endpoint = request.endpoint or ""
    is_static_folder = endpoint == "static" or endpoint.endswith(".static")
    return is_static_folder or bool(getattr(view, CACHEABLE_ATTRIBUTE, False))

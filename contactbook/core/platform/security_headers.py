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


def init_app(app: Flask) -> None:
    """Add the headers to every response the app sends, error pages and redirects included."""
    app.after_request(add_security_headers)


def cacheable(view: View) -> View:
    """Let browsers and the service worker cache what a view serves: files with no personal data."""
    setattr(view, CACHEABLE_ATTRIBUTE, True)
    return view


def content_security_policy(**sources: str) -> Callable[[View], View]:
    """Widen the policy for one view, e.g. img_src="'self' data:" for a page that needs it."""

    def mark(view: View) -> View:
        setattr(
            view, CSP_ATTRIBUTE, {name.replace("_", "-"): value for name, value in sources.items()}
        )
        return view

    return mark


def add_security_headers(response: Response) -> Response:
    """Set the policy, nosniff, referrer and framing rules, HSTS in production, and caching."""
    view = _current_view()
    policy = {**CONTENT_SECURITY_POLICY, **getattr(view, CSP_ATTRIBUTE, {})}
    response.headers["Content-Security-Policy"] = "; ".join(
        f"{name} {sources}" for name, sources in policy.items()
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    # For browsers that predate the policy's frame-ancestors.
    response.headers["X-Frame-Options"] = "DENY"
    if current_app.config["CONTACTBOOK_ENV"] == "production":
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if not _is_static_file(view):
        response.headers["Cache-Control"] = "no-store"
    return response


def _current_view() -> Callable | None:
    endpoint = request.endpoint
    return current_app.view_functions.get(endpoint) if endpoint else None


def _is_static_file(view: Callable | None) -> bool:
    endpoint = request.endpoint or ""
    is_static_folder = endpoint == "static" or endpoint.endswith(".static")
    return is_static_folder or bool(getattr(view, CACHEABLE_ATTRIBUTE, False))

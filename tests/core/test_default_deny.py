"""Default deny: every route of every module answers strangers with the sign-in, unless it is
on the public list below; a route added without a policy is closed, not open."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint, Flask

from contactbook.core.platform.public_routes import is_public
from tests.conftest import csrf_token_from

EVERY_MODULE = ["classbook", "schooladmin", "messaging", "dispatch"]
# What a stranger may reach: signing in (and its second step), joining with a printed code,
# resetting a password, the app shell a phone installs, the health probes, the language switch
# and the API's docs.
PUBLIC = {
    "api-docs.openapi_json",
    "api_docs.docs_asset",
    "api_docs.docs_page",
    "auth.signin",
    "health.healthz",
    "health.readyz",
    "i18n.switch_language",
    "pwa.manifest",
    "pwa.offline",
    "pwa.service_worker",
    "pwa.static",
    "schooladmin_invites.join",
    "schooladmin_invites.redeem",
    "schooladmin_passwords.forgot",
    "schooladmin_passwords.reset_by_code",
    "schooladmin_passwords.reset_by_link",
    "static",
    "two_step.code",
}
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
METHODS_TRIED = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "MODULES": EVERY_MODULE}


def url_of(rule) -> str:
    """The rule's path with an id in every argument (a file name where it wants a path)."""
    return ARGUMENT.sub(lambda m: "a.txt" if m.group(1) in ("filename", "path") else "1", rule.rule)


def is_sent_to_sign_in(response) -> bool:
    if response.status_code == 401:
        return True
    return response.status_code in (302, 303) and "/signin" in response.headers["Location"]


def test_the_public_routes_are_exactly_the_listed_ones(app: Flask):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC <= endpoints, "a listed public route no longer exists"
    assert {endpoint for endpoint in endpoints if is_public(app, endpoint)} == PUBLIC


def test_every_other_route_and_method_sends_a_stranger_to_sign_in(app: Flask):
    cases = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in PUBLIC:
            cases += [(rule, method) for method in sorted(rule.methods & METHODS_TRIED)]
    let_through = []
    for rule, method in cases:
        # A fresh stranger each time, holding a valid CSRF token and sending a JSON body, so
        # neither the token check nor the body's validation is what turns them away.
        client = app.test_client()
        token = csrf_token_from(client)
        response = client.open(
            url_of(rule), method=method, headers={"X-CSRFToken": token}, json={"id": 1}
        )
        if not is_sent_to_sign_in(response):
            let_through.append(f"{method} {rule.rule}: {response.status_code}")
    print(f"{len(cases)} route and method pairs tried signed out")
    tried_paths = " ".join(rule.rule for rule, _method in cases)
    assert all(f"/{module}/" in tried_paths for module in EVERY_MODULE)
    assert let_through == []


def test_the_api_refuses_a_stranger_in_its_error_shape(client):
    response = client.post("/api/core/push/subscriptions", json={"endpoint": "not a url"})
    assert response.status_code == 401
    assert "errors" in response.get_json()


def test_a_route_added_without_a_policy_is_closed_to_strangers(app, client, login, make_user):
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.get("/forgotten/records")
    def records() -> str:
        return "every child's records"

    app.register_blueprint(forgotten)
    refused = client.get("/forgotten/records")
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/signin")

    make_user(phone="0912345678")
    login("0912345678")
    assert client.get("/forgotten/records").get_data(as_text=True) == "every child's records"

"""The JSON API fuzzed in process from its own OpenAPI document, signed in as each demo role:
no server error, no answer that breaks its documented schema, no bad input accepted.

schemathesis makes requests for every operation from `/api/openapi.json`, both valid ones and
ones that break the schema (wrong types, missing fields, values out of range), and checks each
answer. The examples are few per operation and drawn the same way on every run
(`derandomize`), so CI stays within a minute or two per role and a failure can be repeated.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from contactbook.core.demo.seed import DEMO_SIGN_INS
from tests.conftest import csrf_token_from

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    negative_data_rejection,
]
EXAMPLES_PER_OPERATION = 5
EVERY_MODULE = ["classbook", "schooladmin", "messaging", "dispatch"]
PAGE_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "MODULES": EVERY_MODULE}


def signed_in_cookie(app, identifier: str, password: str) -> tuple[str, str]:
    """Sign in through the form; the session cookie and the CSRF token its pages carry."""
    client = app.test_client()
    token = csrf_token_from(client)
    answer = client.post(
        "/signin", data={"identifier": identifier, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 302
    page_token = PAGE_TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
    return client.get_cookie("session").value, page_token


@pytest.mark.parametrize(("role", "identifier", "password"), DEMO_SIGN_INS)
def test_the_api_holds_against_generated_requests(app, role, identifier, password):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    cookie, token = signed_in_cookie(app, identifier, password)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    cases = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE
        ) | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case) -> None:
            nonlocal cases
            cases += 1
            response = case.call(headers={"X-CSRFToken": token}, cookies={"session": cookie})
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except Exception as failure:  # noqa: BLE001 - every failure is reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")

    print(f"{role}: {cases} generated requests over {len(list(schema.get_all_operations()))}")
    assert cases > 100
    assert failures == [], "\n\n".join(failures)

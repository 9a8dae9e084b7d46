"""The API's OpenAPI document is valid and true, so schema-based clients and fuzzers can use it."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from contactbook.core.platform.module_contract import Role
from tests.conftest import csrf_token_from

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def follow(spec: dict, node: dict) -> dict:
    """Follow local $refs ("#/components/...") to the object they name."""
    while "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_is_valid_openapi(spec):
    validate(spec)


def test_every_operation_documents_its_success(spec):
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS and not any(code[0] == "2" for code in operation.get("responses", {}))
    ]
    assert undocumented == []


def test_errors_look_as_documented(spec, client, login, make_school, make_user):
    login(make_user(Role.GUARDIAN, make_school()).phone)
    token = csrf_token_from(client, "/")
    documented = follow(spec, spec["paths"]["/api/core/preferences"]["put"]["responses"]["422"])
    schema = follow(spec, documented["content"]["application/json"]["schema"])
    answers = [
        client.put(
            "/api/core/preferences", json={"quiet_start": "25:00"}, headers={"X-CSRFToken": token}
        ),
        client.put(
            "/api/core/preferences", json={"events": {"x.y": "now"}}, headers={"X-CSRFToken": token}
        ),
        client.post("/api/core/inbox/1/read", headers={"X-CSRFToken": token}),
    ]
    assert [answer.status_code for answer in answers] == [422, 422, 404]
    for answer in answers:
        OAS31Validator(schema).validate(answer.get_json())

"""Dispatch as a module: its branch creates exactly its tables, and an app without it has none
of it, neither loaded nor routed."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from babel.messages.pofile import read_po
from dispatch_world import CHECKOUT, PLUGIN
from openapi_spec_validator import validate
from sqlalchemy import inspect

from contactbook import create_app
from contactbook.core.platform import registry
from contactbook.extensions import db
from tests.conftest import base_config

MIGRATIONS = PLUGIN / "contactbook_dispatch" / "migrations"
TABLES = {"dispatch_documents", "dispatch_recipients"}


def revisions() -> list:
    found = []
    for path in sorted(MIGRATIONS.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"dispatch_revision_{path.stem}", path)
        revision = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(revision)
        found.append(revision)
    return found


def run(step: str) -> None:
    """Run every revision's upgrade (or, last first, downgrade) as Alembic would."""
    chosen = revisions() if step == "upgrade" else list(reversed(revisions()))
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        for revision in chosen:
            getattr(revision, step)()


def differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_the_branch_is_the_modules_own():
    first, *_later = revisions()
    assert first.down_revision is None
    assert first.branch_labels == ("dispatch",)
    assert first.depends_on is None


def test_the_branch_creates_what_the_models_describe_and_removes_it(app):
    with app.app_context():
        dispatch_tables = [db.metadata.tables[name] for name in sorted(TABLES)]
        db.metadata.drop_all(db.engine, tables=dispatch_tables)
        assert TABLES.isdisjoint(inspect(db.engine).get_table_names())
        run("upgrade")
        assert TABLES <= set(inspect(db.engine).get_table_names())
        assert differences() == []
        run("downgrade")
        assert TABLES.isdisjoint(inspect(db.engine).get_table_names())
        run("upgrade")


@pytest.fixture
def app_without_dispatch(database_url):
    """The app as shipped: dispatch installed (advertised) but not listed."""
    app = create_app(base_config(database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_an_app_without_it_has_none_of_it(app_without_dispatch):
    client = app_without_dispatch.test_client()
    assert client.get("/dispatch/").status_code == 404
    assert client.get("/api/dispatch/documents").status_code == 404
    with app_without_dispatch.app_context():
        found = registry()
        assert "dispatch" not in found.modules
        assert not [key for key in found.permissions if key.startswith("dispatch.")]
        assert not [item for item in found.menu if item.endpoint.startswith("dispatch")]
        assert not [key for key in found.jobs if key.startswith("dispatch.")]


def test_installed_but_not_listed_nothing_of_it_is_imported(database_url):
    """In a fresh interpreter, as a server starts: the package is never imported."""
    probe = (
        "import sys\n"
        "from importlib.metadata import entry_points\n"
        "from contactbook import create_app\n"
        "from tests.conftest import base_config\n"
        "assert entry_points(group='contactbook.modules', name='dispatch')\n"
        f"create_app(base_config({database_url!r}))\n"
        "print(sorted(name for name in sys.modules if name.startswith('contactbook_dispatch')))\n"
    )
    paths = [str(CHECKOUT), *[entry for entry in sys.path if "stand_in_site" in entry], str(PLUGIN)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=Path(CHECKOUT)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_it_imports_only_cores_public_rooms_and_extensions():

    allowed = {
        "contactbook.core.platform",
        "contactbook.core.directory",
        "contactbook.core.delivery",
        "contactbook.extensions",
    }
    for path in (PLUGIN / "contactbook_dispatch").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if name.startswith("contactbook.") or name == "contactbook":
                    assert name in allowed, f"{path} imports {name}"


def test_settings_come_from_the_environment(database_url, monkeypatch):
    monkeypatch.setenv("CONTACTBOOK_DISPATCH_REMIND_AFTER_DAYS", "5")
    monkeypatch.setenv("CONTACTBOOK_DISPATCH_UPLOAD_MAX_BYTES", "2048")
    app = create_app({**base_config(database_url), "MODULES": ["dispatch"]})
    assert app.config["DISPATCH_REMIND_AFTER_DAYS"] == 5
    assert app.config["DISPATCH_UPLOAD_MAX_BYTES"] == 2048
    assert app.config["DISPATCH_UPLOAD_FOLDER"].endswith("dispatch/files")
    with app.app_context():
        db.engine.dispose()


def test_every_message_has_a_vietnamese_translation():
    path = PLUGIN / "contactbook_dispatch" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    untranslated = [message.id for message in catalog if message.id and not message.string]
    assert len(catalog) > 50
    assert untranslated == []


def test_its_api_is_in_the_valid_openapi_document(client):
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    ours = {path for path in spec["paths"] if path.startswith("/api/dispatch/")}
    assert "/api/dispatch/documents/{document_id}/confirmation" in ours
    for path in ("/api/dispatch/documents", "/api/dispatch/documents/{document_id}/reply"):
        assert list(spec["paths"][path]["post"]["requestBody"]["content"]) == [
            "multipart/form-data"
        ]

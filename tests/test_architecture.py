"""Layering: modules talk through core, never to each other; core never reaches into a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "contactbook"
MODULES = sorted(p.name for p in (PACKAGE / "modules").iterdir() if (p / "module.py").exists())


def imported_names(folder: Path) -> set[tuple[Path, str]]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((path, node.module))
            elif isinstance(node, ast.Import):
                found.update((path, alias.name) for alias in node.names)
    return found


def test_there_are_built_in_modules_to_check():
    assert "classbook" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_a_module_imports_only_core_extensions_and_itself(name):
    own = f"contactbook.modules.{name}"
    for path, imported in imported_names(PACKAGE / "modules" / name):
        if imported.startswith("contactbook."):
            allowed = ("contactbook.core", "contactbook.extensions", own)
            assert imported.startswith(allowed), f"{path} imports {imported}"


def test_core_never_imports_a_module():
    for path, imported in imported_names(PACKAGE / "core"):
        assert not imported.startswith("contactbook.modules"), f"{path} imports {imported}"

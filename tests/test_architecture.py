"""Layering: modules talk through core's rooms, never to each other; core's rooms stack.

Core is four rooms, each importing only those below it: demo, delivery, directory, platform.
A module imports the rooms' public names (`from contactbook.core.delivery import notify`),
never a file inside a room, and core never reaches into a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "contactbook"
MODULES = sorted(p.name for p in (PACKAGE / "modules").iterdir() if (p / "module.py").exists())
# Top to bottom: a room may import the rooms after it, never those before it.
ROOMS = ("demo", "delivery", "directory", "platform")
PUBLIC_ROOMS = tuple(f"contactbook.core.{room}" for room in ROOMS if room != "demo")


def imported_names(folder: Path) -> set[tuple[Path, str]]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((path, node.module))
            elif isinstance(node, ast.Import):
                found.update((path, alias.name) for alias in node.names)
    return found


def room_of(module_name: str) -> str | None:
    parts = module_name.split(".")
    if parts[:2] == ["contactbook", "core"] and len(parts) > 2 and parts[2] in ROOMS:
        return parts[2]
    return None


def test_there_are_built_in_modules_to_check():
    assert "classbook" in MODULES


def test_core_is_only_its_rooms():
    loose = sorted(
        path.name
        for path in (PACKAGE / "core").iterdir()
        if path.suffix == ".py" and path.name != "__init__.py"
    )
    # Folders holding Python files: a checkout may keep a moved file's __pycache__ behind.
    folders = sorted(
        path.name
        for path in (PACKAGE / "core").iterdir()
        if path.is_dir() and any(path.glob("*.py"))
    )
    assert loose == []
    assert folders == sorted(ROOMS)


@pytest.mark.parametrize("name", MODULES)
def test_a_module_imports_only_core_rooms_extensions_and_itself(name):
    own = f"contactbook.modules.{name}"
    for path, imported in imported_names(PACKAGE / "modules" / name):
        if imported.startswith("contactbook.") and not imported.startswith(own):
            allowed = (*PUBLIC_ROOMS, "contactbook.extensions")
            assert imported in allowed, f"{path} imports {imported}: use a room's public names"


def test_core_never_imports_a_module():
    for path, imported in imported_names(PACKAGE / "core"):
        assert not imported.startswith("contactbook.modules"), f"{path} imports {imported}"


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_below_it(room):
    above = set(ROOMS[: ROOMS.index(room)])
    for path, imported in imported_names(PACKAGE / "core" / room):
        assert room_of(imported) not in above, f"{path} imports {imported}"

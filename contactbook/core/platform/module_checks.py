"""What start-up reads in a module's own code: where it lives, its tables, what it imports.

The loader (`module_contract.load_modules`) refuses a module that breaks the contract before the
app serves a page; these helpers look at the module's package for it. They answer with
sentences, and the loader stops with them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

from sqlalchemy import Table

from contactbook.extensions import db

BUILTIN_PACKAGE = "contactbook.modules"
CORE = "contactbook.core"


def package_of(entry_point: EntryPoint) -> str:
    """The package an installed module's entry point lives in, its code loaded.

    `news = news:module` names a top-level package, `news = news_module:module` a top-level
    file, `news = acme_news.module:module` a file in a package: the package is the entry
    point's module when that is a package, else the package holding it, else the lone file.
    """
    source = importlib.import_module(entry_point.module)
    if hasattr(source, "__path__"):
        return source.__name__
    return source.__package__ or source.__name__


def package_root(entry_point: EntryPoint) -> str:
    """Where an installed module's code lives, read from its entry point without importing it.

    Used to recognise imports of *other* installed modules, which must not be loaded just to
    be checked against.
    """
    parent = entry_point.module.rpartition(".")[0]
    return parent or entry_point.module


def is_inside(name: str, package: str) -> bool:
    """Whether a dotted name is the package or something in it."""
    return name == package or name.startswith(f"{package}.")


def tables_of(package: str) -> list[str]:
    """The tables a module's package defines, whichever of its files defines them.

    Its `models` is imported if it has one; then every class mapped on the app's models under
    it counts, and every mapped class and `Table` found in the package's loaded files (but
    not the table of a class mapped elsewhere, such as core's `User.__table__`).
    """
    source = sys.modules[package]
    if hasattr(source, "__path__"):
        try:
            importlib.import_module(f"{package}.models")
        except ModuleNotFoundError as error:
            if error.name != f"{package}.models":
                raise
    found: dict[str, None] = {}
    others = set()
    for mapper in db.Model.registry.mappers:
        if is_inside(mapper.class_.__module__, package):
            found[mapper.local_table.name] = None
        else:
            others.add(mapper.local_table)
    for name, loaded in list(sys.modules.items()):
        if loaded is None or not is_inside(name, package):
            continue
        for value in vars(loaded).values():
            if isinstance(value, Table) and value not in others:
                found[value.name] = None
            elif _is_mapped_here(value, package):
                found[value.__table__.name] = None
    return list(found)


def _is_mapped_here(value: object, package: str) -> bool:
    """A mapped class defined in the package (not one it imported from core)."""
    return (
        inspect.isclass(value)
        and is_inside(value.__module__, package)
        and isinstance(getattr(value, "__table__", None), Table)
    )


def foreign_imports(package: str, others: Iterable[str]) -> list[str]:
    """`file imports name` for each import of a built-in module or another installed one.

    The package's source files are parsed, not run: an import inside a function counts as much
    as one at the top, and nothing is imported to find out. A few small files parse in
    milliseconds, once at start-up.
    """
    # A root holding this module or core (an entry point in `contactbook` itself) is no other's.
    roots = [other for other in others if not any(is_inside(p, other) for p in (package, CORE))]
    forbidden = [BUILTIN_PACKAGE, *roots]
    return [
        f"{path.name} imports {name}"
        for path, name in _imports(package)
        if not is_inside(name, package) and any(is_inside(name, bad) for bad in forbidden)
    ]


def _imports(package: str) -> Iterator[tuple[Path, str]]:
    """(file, absolute module name) for every import statement in the package's files."""
    source = sys.modules[package]
    if hasattr(source, "__path__"):
        files = [
            (path, _containing(package, Path(folder), path))
            for folder in source.__path__
            for path in Path(folder).rglob("*.py")
        ]
    else:
        files = [(Path(inspect.getfile(source)), package)]
    for path, here in files:
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(here, node.level, node.module)
                yield path, base
                yield from ((path, f"{base}.{alias.name}") for alias in node.names)


def _containing(package: str, folder: Path, path: Path) -> str:
    """The dotted name of the package a file of the module sits in."""
    return ".".join((package, *path.parent.relative_to(folder).parts))


def _absolute(here: str, level: int, module: str | None) -> str:
    """Resolve `from ..x import y`, written in package `here`, to an absolute name."""
    if level == 0:
        return module or ""
    parts = here.split(".")
    anchor = parts[: len(parts) - (level - 1)]
    return ".".join([*anchor, module] if module else anchor)

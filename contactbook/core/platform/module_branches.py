"""A module's own Alembic branch: the loader's check of it, and whose each table is.

A module's tables change with the module, not with core. Hung on core's history, a module's
revision would have to be rewritten at core's next migration, and once the module was turned
off core's `alembic_version` would name a revision core cannot find. So a module ships a branch
of its own: its first revision has no `down_revision` and carries the module's name as branch
label, no revision names one of core's, and its version is kept in `<name>_alembic_version`.
The helpers here know nothing of the app, so the loader and `migrations/env.py` can both use
them; `module_migrations.py` builds the `flask db` commands on them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError

CORE_VERSION_TABLE = "alembic_version"
VERSION_TABLE_SUFFIX = "_alembic_version"


def version_table(name: str) -> str:
    """The table keeping a module's version, so core's `alembic_version` never holds it."""
    return f"{name}{VERSION_TABLE_SUFFIX}"


def is_version_table(table: str) -> bool:
    """Whether a table only records how far core's or a module's migrations went."""
    return table == CORE_VERSION_TABLE or table.endswith(VERSION_TABLE_SUFFIX)


def modules_with_versions(table_names: Iterable[str]) -> set[str]:
    """Name the modules whose branch a database holds, turned on or not, from its tables."""
    return {
        table.removesuffix(VERSION_TABLE_SUFFIX)
        for table in table_names
        if is_version_table(table) and table != CORE_VERSION_TABLE
    }


def owner(table: str, modules: Iterable[str]) -> str | None:
    """The module among `modules` a table belongs to by its name, or None for core's."""
    return next((name for name in modules if table.startswith(f"{name}_")), None)


def revisions_of(path: str) -> ScriptDirectory:
    """The module's revisions alone: core's history is not in sight, so none may lean on it."""
    return ScriptDirectory(path, version_locations=[path])


def branch_problem(name: str, path: str) -> str | None:
    """Say in one sentence what keeps a module's branch from running beside core's, or None.

    Checked when the module loads, so a broken branch stops start-up instead of `flask db
    upgrade` failing half-way with Alembic's "Can't locate revision" or "Multiple head
    revisions".
    """
    if not Path(path).is_absolute() or not Path(path).is_dir():
        return f"migrations {path!r} is not the absolute path of a directory."
    script = revisions_of(path)
    try:
        with warnings.catch_warnings():
            # Alembic only warns that a revision names one it cannot find, then fails later.
            warnings.simplefilter("error", UserWarning)
            revisions = list(script.walk_revisions())
    except (UserWarning, RevisionError, KeyError) as error:
        # A `depends_on` naming a missing revision fails with the bare KeyError of its id.
        detail = f"{error.args[0]} is not among them" if isinstance(error, KeyError) else error
        return f"its revisions must form a branch of their own, naming none of core's ({detail})."
    for revision in revisions:
        if name not in revision.branch_labels:
            return (
                f"revision {revision.revision} is not on the branch labelled {name!r}: "
                f"its first revision needs branch_labels = ({name!r},)."
            )
    if len(script.get_heads()) > 1:
        return f"its branch has several heads ({', '.join(script.get_heads())}): merge them."
    return None

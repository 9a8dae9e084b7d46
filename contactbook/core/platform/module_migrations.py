"""`flask db` for core and for every enabled module's own branch (see module_branches.py).

Flask-Migrate knows one history, core's. Each module ships its own branch, kept apart from
core's so that core's next migration never needs a module and a module turned off never blocks
core; these commands run them together: `upgrade` brings core to its head and then each
enabled module's branch to its own, `check` compares core's tables and each enabled module's,
`migrate --module` writes a module's next revision, `remove-module` takes a module's tables out
of a database, and `<module>@<revision>` moves one module's branch alone. `migrations/env.py`
asks `schema_filters` which tables a run covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click
import flask_migrate
from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from flask_migrate import cli as migrate_cli
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, Table

from contactbook.core.platform.module_branches import (
    modules_with_versions,
    owner,
    revisions_of,
    version_table,
)
from contactbook.core.platform.module_contract import Module, ModuleError, registry, resolve_module

MODULE_ATTRIBUTE = "contactbook_module"
CORE_PACKAGE = "contactbook."


def branch_modules(app: Flask | None = None) -> list[Module]:
    """The enabled modules that ship a branch, in the order MODULES lists them."""
    return [module for module in registry(app).modules.values() if module.migrations]


def module_config(module: Module, directory: str | None = None, **options: Any) -> Config:
    """Alembic's config for one module: core's env.py, the module's revisions and version table."""
    config = current_app.extensions["migrate"].migrate.get_config(directory, **options)
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(module.migrations).replace("%", "%%"))
    config.attributes[MODULE_ATTRIBUTE] = module.name
    return config


def schema_filters(
    app: Flask, db: SQLAlchemy, module_name: str | None, database_tables: Iterable[str]
) -> dict[str, Any]:
    """What one Alembic run covers: core's tables, or one module's, and where its version is.

    Core's run leaves out the tables of every module with a branch, whether it is enabled or
    only has tables left in the database (known by their `<name>_alembic_version`), and the
    tables mapped by code outside contactbook that no enabled module claims: a module turned
    off, whose models a test imported, must not look like a change to core. An enabled module
    that ships tables but no branch stays in core's run, so `check` says its tables are missing.
    """
    if module_name is not None:

        def mine(table: str) -> bool:
            return owner(table, [module_name]) == module_name and table != version_table(
                module_name
            )

        return {
            "version_table": version_table(module_name),
            "include_name": _table_names(mine),
            "include_object": _model_tables(mine),
        }
    modules = {module.name for module in branch_modules(app)} | modules_with_versions(
        database_tables
    )
    enabled = [name for name in registry(app).modules if name != "core"]
    turned_off = {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if not mapper.class_.__module__.startswith(CORE_PACKAGE)
        and owner(mapper.local_table.name, enabled) is None
    }

    def core(table: str) -> bool:
        return owner(table, modules) is None

    return {
        "include_name": _table_names(core),
        "include_object": _model_tables(lambda table: core(table) and table not in turned_off),
    }


def _table_names(keep: Callable[[str], bool]) -> Callable[..., bool]:
    """Alembic's `include_name`: which of the database's tables it reads."""
    return lambda name, type_, parent_names: type_ != "table" or keep(name)


def _model_tables(keep: Callable[[str], bool]) -> Callable[..., bool]:
    """Alembic's `include_object`: which of the models' tables it compares."""
    return lambda obj, name, type_, reflected, compare_to: (
        type_ != "table" or reflected or keep(name)
    )


def _run(step: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run an Alembic command the way Flask-Migrate does: an error is one line and exit 1."""
    flask_migrate.catch_errors(step)(*args, **kwargs)


def _module_named(revision: str | None) -> Module | None:
    """The enabled module a `<module>@<revision>` target names, if it names one."""
    label, at, _ = (revision or "").partition("@")
    if not at:
        return None
    return next((module for module in branch_modules() if module.name == label), None)


def _extend(
    original: click.Command, callback: Callable[..., None], *params: click.Option
) -> click.Command:
    """Flask-Migrate's command with our callback and any extra options, help first-line kept."""
    return click.Command(
        original.name,
        params=[*original.params, *params],
        callback=with_appcontext(callback),
        help=callback.__doc__,
        short_help=(callback.__doc__ or "").split("\n")[0],
    )


def upgrade(
    directory: str | None, sql: bool, tag: str | None, x_arg: tuple[str, ...], revision: str
) -> None:
    """Upgrade core, then every enabled module's branch, to the newest revision.

    `<module>@<revision>` (say `news@head`) upgrades that module's branch alone.
    """
    directory, x_arg = directory or g.directory, x_arg or g.x_arg
    if module := _module_named(revision):
        _run(command.upgrade, module_config(module, directory, x_arg=x_arg), revision, sql, tag)
        return
    flask_migrate.upgrade(directory, revision, sql, tag, x_arg)
    if revision in {"head", "heads"}:
        for module in branch_modules():
            config = module_config(module, directory, x_arg=x_arg)
            _run(command.upgrade, config, "heads", sql, tag)


def downgrade(
    directory: str | None, sql: bool, tag: str | None, x_arg: tuple[str, ...], revision: str
) -> None:
    """Revert core to a previous version; `<module>@<revision>` reverts that module's branch."""
    directory, x_arg = directory or g.directory, x_arg or g.x_arg
    if module := _module_named(revision):
        _run(command.downgrade, module_config(module, directory, x_arg=x_arg), revision, sql, tag)
        return
    flask_migrate.downgrade(directory, revision, sql, tag, x_arg)


def check(directory: str | None) -> None:
    """Check that core's tables and every enabled module's match the models."""
    directory = directory or g.directory
    flask_migrate.check(directory)
    for module in branch_modules():
        _run(command.check, module_config(module, directory))


def current(directory: str | None, verbose: bool) -> None:
    """Show core's revision, then each enabled module's."""
    directory = directory or g.directory
    flask_migrate.current(directory, verbose)
    for module in branch_modules():
        click.echo(f"{module.name}:")
        _run(command.current, module_config(module, directory), verbose=verbose)


def migrate(
    directory: str | None,
    message: str | None,
    sql: bool,
    head: str,
    splice: bool,
    branch_label: str | None,
    version_path: str | None,
    rev_id: str | None,
    x_arg: tuple[str, ...],
    module: str | None,
) -> None:
    """Autogenerate core's next revision, or with --module the named module's.

    A module's first revision starts its branch and carries its name as label.
    """
    directory, x_arg = directory or g.directory, x_arg or g.x_arg
    if module is None:
        flask_migrate.migrate(
            directory, message, sql, head, splice, branch_label, version_path, rev_id, x_arg
        )
        return
    found = next((item for item in branch_modules() if item.name == module), None)
    if found is None:
        raise click.ClickException(
            f"Module {module!r} is not enabled or declares no migrations directory."
        )
    started = bool(revisions_of(str(found.migrations)).get_heads())
    config = module_config(found, directory, x_arg=x_arg, opts=["autogenerate"])
    _run(
        command.revision,
        config,
        message,
        autogenerate=True,
        sql=sql,
        head=f"{module}@head" if started else "base",
        branch_label=None if started else module,
        version_path=found.migrations,
        rev_id=rev_id,
    )


@click.command("remove-module")
@click.argument("name")
@with_appcontext
def remove_module(name: str) -> None:
    """Drop a module's tables: its branch down to base, then its version table.

    Run it before uninstalling the module, whose revisions know how to drop its tables; the
    module need not be enabled.
    """
    module = registry().modules.get(name)
    if module is None:
        try:
            module, _ = resolve_module(name)
        except ModuleError as error:
            raise click.ClickException(
                f"Module {name!r} is not installed: its revisions are needed to remove its tables."
            ) from error
    if not isinstance(module, Module) or not module.migrations:
        raise click.ClickException(f"Module {name!r} declares no migrations directory.")
    _run(command.downgrade, module_config(module), "base")
    db = current_app.extensions["migrate"].db
    with db.engine.begin() as connection:
        Table(version_table(name), MetaData()).drop(connection, checkfirst=True)
    click.echo(f"Removed the tables of module {name!r}.")


MODULE_OPTION = click.Option(
    ["--module"], default=None, help="Write the next revision of this enabled module's branch."
)


def init_app(app: Flask) -> None:
    """Put our `flask db` in place of Flask-Migrate's: the same commands, modules included."""
    original = migrate_cli.db
    replaced = {
        "upgrade": _extend(original.commands["upgrade"], upgrade),
        "downgrade": _extend(original.commands["downgrade"], downgrade),
        "check": _extend(original.commands["check"], check),
        "current": _extend(original.commands["current"], current),
        "migrate": _extend(original.commands["migrate"], migrate, MODULE_OPTION),
        "remove-module": remove_module,
    }
    group = click.Group(
        "db",
        commands={**original.commands, **replaced},
        params=original.params,
        callback=original.callback,
        help=original.help,
    )
    app.cli.add_command(group)

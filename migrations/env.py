"""Alembic environment: migrates the app's database using its models' metadata.

One environment serves core's history and every module's own branch: `flask db` (see
contactbook/core/platform/module_migrations.py) names the module in the config's attributes,
and the run then keeps that module's version in its own table and compares only its tables.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import Connection, inspect

from contactbook.core.platform.module_branches import version_table
from contactbook.core.platform.module_migrations import MODULE_ATTRIBUTE, schema_filters
from contactbook.core.platform.records import UtcDateTime

config = context.config
# The app has set up its own loggers (JSON in production); leave them working.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
# None when migrating core; a module's name when migrating that module's branch.
module_name = config.attributes.get(MODULE_ATTRIBUTE)


def render_item(type_, obj, autogen_context):
    """Write project column types as plain SQLAlchemy types, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def skip_empty_revisions(context_, revision, directives):
    """Make `flask db migrate` write nothing when the models did not change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def configure_args() -> dict:
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("process_revision_directives", skip_empty_revisions)
    args.setdefault("render_item", render_item)
    args.setdefault("render_as_batch", True)
    args.setdefault("compare_type", True)
    return args


def run_migrations_offline() -> None:
    url = target_db.engine.url.render_as_string(hide_password=False)
    version = {"version_table": version_table(module_name)} if module_name else {}
    context.configure(url=url, target_metadata=target_db.metadata, literal_binds=True, **version)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with target_db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        connection.rollback()  # reading the names began a transaction Alembic must own
        filters = schema_filters(current_app, target_db, module_name, tables)
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            **{**configure_args(), **filters},
        )
        with foreign_keys_off_on_sqlite(connection):
            with context.begin_transaction():
                context.run_migrations()


@contextmanager
def foreign_keys_off_on_sqlite(connection: Connection) -> Iterator[None]:
    """Let SQLite batch migrations copy a table that others refer to, then check every reference.

    A batch migration copies a table and drops the old one; with foreign keys on, that drop
    would cascade to the rows referring to it, or fail. The pragma only works outside a
    transaction, so it goes to the driver's connection directly.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"The migration left references to missing rows: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

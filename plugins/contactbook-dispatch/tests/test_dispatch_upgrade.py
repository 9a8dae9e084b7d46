"""`flask db upgrade` with dispatch: its branch is added to a database already in use, and
turning the module off again never blocks core."""

from __future__ import annotations

from sqlalchemy import inspect, text

from contactbook import create_app
from contactbook.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import empty_database_url  # noqa: F401  (a fixture)

WITHOUT = ["classbook", "schooladmin", "messaging"]
WITH = [*WITHOUT, "dispatch"]


def cli(database_url: str, modules: list[str], *args: str):
    app = create_app({**base_config(database_url), "MODULES": modules})
    try:
        return app.test_cli_runner().invoke(args=["db", *args])
    finally:
        with app.app_context():
            db.engine.dispose()


def tables(database_url: str) -> set[str]:
    app = create_app({**base_config(database_url), "MODULES": WITHOUT})
    with app.app_context():
        found = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    return found


def test_the_module_joins_a_database_in_use_and_leaves_it(empty_database_url):  # noqa: F811
    url = empty_database_url
    assert cli(url, WITHOUT, "upgrade").exit_code == 0
    app = create_app({**base_config(url), "MODULES": WITHOUT})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO districts (id, code, name) VALUES (1, 'D', 'Huyện')")
            )
        db.engine.dispose()

    upgrade = cli(url, WITH, "upgrade")
    assert upgrade.exit_code == 0, upgrade.output
    assert {"dispatch_documents", "dispatch_recipients"} <= tables(url)
    check = cli(url, WITH, "check")
    assert check.exit_code == 0, check.output

    for step in ("upgrade", "check"):
        without = cli(url, WITHOUT, step)
        assert without.exit_code == 0, without.output
    with app.app_context():
        with db.engine.connect() as connection:
            district = connection.execute(text("SELECT name FROM districts")).scalar()
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        db.engine.dispose()
    assert district == "Huyện"
    assert not [version for (version,) in versions if version.startswith("dispatch")]

"""A module's tables come with its own Alembic branch, run by `flask db` beside core's.

The test module `tests/plugins/noticeboard` is installed by entry point, as pip would; its first
revision makes its notices (with a reference to core's schools), its second lets one be pinned.
Every command is run as a user runs it: the `flask db` command line of an app whose module list
includes the module, or not.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import Result
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from contactbook import create_app
from contactbook.config import PROJECT_DIR
from contactbook.core.platform.module_contract import ModuleError
from contactbook.extensions import db
from tests.conftest import TEST_DATABASE_URL, base_config, is_postgres

CORE_HEAD = ScriptDirectory(str(PROJECT_DIR / "migrations")).get_current_head()
NOTICES_CREATED = "9ee029c9232d"
NOTICES_PINNED = "347907a4bb45"
BUILT_IN = ["classbook", "schooladmin", "messaging"]
WITH_BOARD = [*BUILT_IN, "noticeboard"]
# A year of data, in miniature: a district, a school and a teacher.
CORE_ROWS = """
INSERT INTO districts (id, code, name) VALUES (1, 'D', 'Huyện');
INSERT INTO schools (id, district_id, code, name, level, timezone, daily_summary_time)
    VALUES (1, 1, 'S', 'Trường', 'lower_secondary', 'Asia/Ho_Chi_Minh', '17:00:00');
INSERT INTO users
    (id, username, password_hash, display_name, language, is_active, sign_in_count, created_at)
    VALUES (1, 'tung', 'x', 'Thầy Tùng', 'vi', true, 0, '2026-11-16 01:00:00');
"""


@pytest.fixture
def site(tmp_path, monkeypatch) -> Callable[[dict[str, str]], Path]:
    """Install modules the way pip does, by entry point; returns the folder on sys.path."""
    folder = tmp_path / "site"
    dist_info = folder / "contactbook_test_plugins-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: contactbook-test-plugins\nVersion: 1.0\n"
    )
    monkeypatch.syspath_prepend(str(folder))

    def install(entry_points: dict[str, str]) -> Path:
        lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
        (dist_info / "entry_points.txt").write_text(f"[contactbook.modules]\n{lines}")
        importlib.invalidate_caches()
        return folder

    install({"noticeboard": "tests.plugins.noticeboard.module:module"})
    return install


@pytest.fixture
def new_database(tmp_path, site) -> Iterator[Callable[[str], str]]:
    """Empty databases: new files, or new PostgreSQL databases beside the test one."""
    made: list[str] = []
    admin = (
        create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT") if is_postgres() else None
    )

    def make(label: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / f'{label}.db'}"
        name = f"contactbook_module_migrations_{label}_{os.getpid()}"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(new_database) -> str:
    return new_database("modules")


@pytest.fixture
def app_with(database_url) -> Iterator[Callable[[list[str]], Flask]]:
    """Apps on the one database, each with its module list, as after a change of settings."""
    made: list[Flask] = []

    def make(modules: list[str], url: str = database_url) -> Flask:
        made.append(create_app({**base_config(url), "MODULES": modules}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def flask_db(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["db", *args])


def succeeds(app: Flask, *args: str) -> None:
    result = flask_db(app, *args)
    assert result.exit_code == 0, f"flask db {' '.join(args)}: {result.output}"


def tables(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def query(app: Flask, sql: str) -> list[tuple]:
    with app.app_context(), db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def execute(app: Flask, statements: str) -> None:
    with app.app_context(), db.engine.begin() as connection:
        for statement in statements.split(";"):
            if statement.strip():
                connection.execute(text(statement))


def core_with_data(app_with) -> Flask:
    """A database in use before the module came: core at its head, a school and a teacher."""
    app = app_with(BUILT_IN)
    succeeds(app, "upgrade")
    execute(app, CORE_ROWS)
    return app


def test_upgrade_from_empty_builds_core_and_the_module(app_with):
    app = app_with(WITH_BOARD)
    succeeds(app, "upgrade")
    succeeds(app, "check")

    assert {"schools", "noticeboard_notices", "noticeboard_alembic_version"} <= tables(app)
    assert query(app, "SELECT version_num FROM alembic_version") == [(CORE_HEAD,)]
    assert query(app, "SELECT version_num FROM noticeboard_alembic_version") == [(NOTICES_PINNED,)]


def test_module_added_to_a_database_in_use_keeps_its_data(app_with):
    core_with_data(app_with)
    app = app_with(WITH_BOARD)
    succeeds(app, "upgrade")
    succeeds(app, "check")

    execute(app, "INSERT INTO noticeboard_notices (school_id, title) VALUES (1, 'Họp phụ huynh')")
    assert query(app, "SELECT name FROM schools") == [("Trường",)]
    assert query(app, "SELECT username FROM users") == [("tung",)]
    assert query(app, "SELECT school_id, title, pinned FROM noticeboard_notices") == [
        (1, "Họp phụ huynh", False)
    ]


def test_a_module_turned_off_never_blocks_core(app_with):
    core_with_data(app_with)
    board = app_with(WITH_BOARD)
    succeeds(board, "upgrade")
    execute(board, "INSERT INTO noticeboard_notices (school_id, title) VALUES (1, 'Nghỉ lễ')")

    app = app_with(BUILT_IN)
    succeeds(app, "upgrade")
    succeeds(app, "check")
    # Core's history moves on its own: back one revision and up again.
    succeeds(app, "downgrade")
    succeeds(app, "upgrade")
    succeeds(app, "check")
    succeeds(app, "current")

    # Turned on again, the module finds its notices where it left them.
    succeeds(board, "upgrade")
    succeeds(board, "check")
    assert query(board, "SELECT title FROM noticeboard_notices") == [("Nghỉ lễ",)]


def test_readyz_asks_for_the_upgrade_of_a_module_just_turned_on(app_with):
    core_with_data(app_with)
    board = app_with(WITH_BOARD)
    problems = board.test_client().get("/readyz").get_json()["problems"]
    assert problems == {
        "migrations": f"module noticeboard at nothing, code at {NOTICES_PINNED}: "
        "run `flask db upgrade`"
    }

    succeeds(board, "upgrade")
    assert "migrations" not in board.test_client().get("/readyz").get_json()["problems"]


def test_removing_a_module_drops_its_tables_and_keeps_cores(app_with):
    core_with_data(app_with)
    board = app_with(WITH_BOARD)
    succeeds(board, "upgrade")
    execute(board, "INSERT INTO noticeboard_notices (school_id, title) VALUES (1, 'Nghỉ lễ')")

    app = app_with(BUILT_IN)
    succeeds(app, "remove-module", "noticeboard")
    succeeds(app, "check")
    assert not {name for name in tables(app) if name.startswith("noticeboard_")}
    assert query(app, "SELECT name FROM schools") == [("Trường",)]
    assert query(app, "SELECT version_num FROM alembic_version") == [(CORE_HEAD,)]


def test_removing_a_module_that_is_not_installed_says_so(app_with):
    result = flask_db(app_with(BUILT_IN), "remove-module", "nowhere")
    assert result.exit_code != 0
    assert "Module 'nowhere' is not installed" in result.output


def test_a_modules_next_revision_applies_on_a_later_upgrade(app_with):
    core_with_data(app_with)
    app = app_with(WITH_BOARD)
    # The module's first release shipped only its first revision.
    succeeds(app, "upgrade", f"noticeboard@{NOTICES_CREATED}")
    execute(app, "INSERT INTO noticeboard_notices (school_id, title) VALUES (1, 'Nghỉ lễ')")
    assert flask_db(app, "check").exit_code != 0, "the models already have `pinned`"

    succeeds(app, "upgrade")
    succeeds(app, "check")
    assert query(app, "SELECT title, pinned FROM noticeboard_notices") == [("Nghỉ lễ", False)]
    assert query(app, "SELECT version_num FROM noticeboard_alembic_version") == [(NOTICES_PINNED,)]

    succeeds(app, "downgrade", "noticeboard@-1")
    assert query(app, "SELECT version_num FROM noticeboard_alembic_version") == [(NOTICES_CREATED,)]
    assert query(app, "SELECT version_num FROM alembic_version") == [(CORE_HEAD,)]


def test_check_notices_a_missing_module_table(app_with):
    app = app_with(WITH_BOARD)
    succeeds(app, "upgrade")
    execute(app, "DROP TABLE noticeboard_notices")
    assert flask_db(app, "check").exit_code != 0


def test_a_backup_restores_into_a_new_database_migrated_with_the_module(
    app_with, new_database, tmp_path
):
    core_with_data(app_with)
    board = app_with(WITH_BOARD)
    board.instance_path = str(tmp_path / "server")
    succeeds(board, "upgrade")
    execute(board, "INSERT INTO noticeboard_notices (school_id, title) VALUES (1, 'Nghỉ lễ')")
    archive = tmp_path / "school.tar.gz"
    made = board.test_cli_runner().invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output

    server = app_with(WITH_BOARD, new_database("restored"))
    server.instance_path = str(tmp_path / "new-server")
    succeeds(server, "upgrade")
    done = server.test_cli_runner().invoke(args=["restore", str(archive)])
    assert done.exit_code == 0, done.output
    assert query(server, "SELECT title FROM noticeboard_notices") == [("Nghỉ lễ",)]
    succeeds(server, "check")


DRAFTS_MODULE = """
from pathlib import Path

from contactbook.core.platform import Module

module = Module(
    name="drafts", title="Drafts", migrations=str(Path(__file__).resolve().parent / "migrations")
)
"""
DRAFTS_MODELS = """
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.extensions import db


class Draft(db.Model):
    __tablename__ = "drafts_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    text: Mapped[str] = mapped_column(String(500))
"""


def test_migrate_writes_a_modules_first_revision_from_its_models(app_with, site):
    package = site({"drafts": "contactbook_drafts.module:module"}) / "contactbook_drafts"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text(DRAFTS_MODULE)
    (package / "models.py").write_text(DRAFTS_MODELS)
    app = app_with([*BUILT_IN, "drafts"])
    succeeds(app, "upgrade")
    assert flask_db(app, "check").exit_code != 0, "the module's table is not there yet"

    succeeds(app, "migrate", "--module", "drafts", "-m", "notes")
    (revision,) = (package / "migrations").glob("*_notes.py")
    assert "branch_labels = ('drafts',)" in revision.read_text()
    assert "down_revision = None" in revision.read_text()
    succeeds(app, "upgrade")
    succeeds(app, "check")
    assert "drafts_notes" in tables(app)

    succeeds(app, "migrate", "--module", "drafts", "-m", "nothing changed")
    assert len(list((package / "migrations").glob("*.py"))) == 1


def test_check_notices_an_enabled_modules_tables_without_a_branch(app_with, site):
    package = site({"loose": "contactbook_loose.module:module"}) / "contactbook_loose"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text(
        "from contactbook.core.platform import Module\n"
        "module = Module(name='loose', title='Loose')\n"
    )
    (package / "models.py").write_text(DRAFTS_MODELS.replace("drafts_", "loose_"))
    app = app_with([*BUILT_IN, "loose"])
    succeeds(app, "upgrade")
    assert flask_db(app, "check").exit_code != 0, "upgrade made no table for it"
    assert "loose_notes" not in tables(app)


HUNG_ON_CORE = f"""
revision = "b0b0b0b0b0b0"
down_revision = "{CORE_HEAD}"
branch_labels = ("broken",)
depends_on = None
"""
DEPENDS_ON_CORE = f"""
revision = "d0d0d0d0d0d0"
down_revision = None
branch_labels = ("broken",)
depends_on = "{CORE_HEAD}"
"""
FORKED = [
    'revision = "e0"\ndown_revision = None\nbranch_labels = ("broken",)\n',
    'revision = "e1"\ndown_revision = "e0"\nbranch_labels = None\n',
    'revision = "e2"\ndown_revision = "e0"\nbranch_labels = None\n',
]
UNLABELLED = """
revision = "c0c0c0c0c0c0"
down_revision = None
branch_labels = None
depends_on = None
"""


@pytest.mark.parametrize(
    ("name", "revisions", "message"),
    [
        (
            "contactbook_hung",
            [HUNG_ON_CORE],
            "its revisions must form a branch of their own, naming none of core's",
        ),
        (
            "contactbook_depending",
            [DEPENDS_ON_CORE],
            rf"its revisions must form a branch of their own, naming none of core's "
            rf"\({CORE_HEAD} is not among them\)",
        ),
        (
            "contactbook_unlabelled",
            [UNLABELLED],
            "revision c0c0c0c0c0c0 is not on the branch labelled 'broken'",
        ),
        ("contactbook_nowhere", None, "migrations '.*' is not the absolute path of a directory"),
        ("contactbook_forked", FORKED, "its branch has several heads"),
    ],
)
def test_start_up_refuses_a_branch_that_leans_on_core(database_url, site, name, revisions, message):
    package = site({"broken": f"{name}.module:module"}) / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text(
        "from contactbook.core.platform import Module\n"
        f"module = Module(name='broken', title='Broken', migrations={str(package / 'm')!r})\n"
    )
    if revisions is not None:
        (package / "m").mkdir()
        for number, revision in enumerate(revisions):
            (package / "m" / f"r{number}.py").write_text(revision)
    with pytest.raises(ModuleError, match=f"^Module 'broken': {message}"):
        create_app({**base_config(database_url), "MODULES": ["broken"]})


def test_the_flask_command_upgrades_and_checks_the_enabled_modules(database_url, site):
    folder = site({"noticeboard": "tests.plugins.noticeboard.module:module"})
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(PROJECT_DIR)]),
        "DATABASE_URL": database_url,
        "CONTACTBOOK_MODULES": ",".join(WITH_BOARD),
    }
    environment.pop("FLASK_APP", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
    for command in (["upgrade"], ["check"], ["current"]):
        done = subprocess.run(
            [*flask, *command], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert "noticeboard:" in done.stdout
    assert NOTICES_PINNED in done.stdout

"""`flask backup` and `flask restore`: the database and the stored files in one archive.

A school's records and the files families sent (attachments, photos) are only worth keeping
together, so one archive holds both: a consistent copy of the database taken while the app
runs (SQLite's online backup API; pg_dump's single snapshot on PostgreSQL) and every file of the
instance folder except the database itself and the asset cache the app rebuilds.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and psql, with argument lists only  # nosec B404
import tarfile
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select, table
from sqlalchemy.engine import URL, make_url

from contactbook.core.platform.assets import STORE_FOLDER
from contactbook.core.platform.module_branches import is_version_table
from contactbook.core.platform.records import utcnow
from contactbook.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "instance"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
# Made again from the package on start-up: not worth keeping.
REBUILT_FOLDERS = (STORE_FOLDER,)


class BackupError(click.ClickException):
    """A backup or restore that cannot go on, said in one line to the operator."""


def database_kind(app: Flask) -> str:
    """sqlite or postgresql: which copy method the configured database needs."""
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend not in DUMPS:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {backend}.")
    return backend


def backup(app: Flask, archive: Path) -> dict[str, object]:
    """Write the database and the instance folder's files into one .tar.gz at `archive`.

    The archive appears whole or not at all (written beside it, then renamed), readable by its
    owner only: it holds every family's data and the server's keys.
    """
    kind = database_kind(app)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "database": kind,
        "created_at": utcnow().isoformat(),
    }
    archive = archive.resolve()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[kind]
        if kind == "sqlite":
            _copy_sqlite(_sqlite_path(app), dump)
        else:
            _pg_dump(app, dump)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            files = _stored_files(app, skip={archive, partial})
            manifest["files"] = len(files)
            listing = Path(work) / MANIFEST
            listing.write_text(json.dumps(manifest, indent=2))
            tar.add(listing, MANIFEST)
            tar.add(dump, DUMPS[kind])
            root = Path(app.instance_path)
            for path in files:
                tar.add(path, f"{FILES}/{path.relative_to(root).as_posix()}")
        partial.chmod(0o600)
        partial.replace(archive)
    return manifest


def restore(app: Flask, archive: Path, *, force: bool = False) -> dict[str, object]:
    """Put an archive's database and files back; a database that holds rows needs `force`.

    Run it with the web server, workers and scheduler stopped: the database is replaced under
    them.
    """
    kind = database_kind(app)
    with tempfile.TemporaryDirectory() as work, _open(archive) as tar:
        manifest = _manifest(tar)
        if manifest["database"] != kind:
            raise BackupError(
                f"{archive} holds a {manifest['database']} database; DATABASE_URL is {kind}."
            )
        if not force and (filled := _tables_with_rows(app)):
            raise BackupError(
                f"The database is not empty ({', '.join(filled[:3])}…); "
                "add --force to replace it with the backup."
            )
        tar.extractall(work, filter="data")
        dump = Path(work) / DUMPS[kind]
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if kind == "sqlite":
            _copy_sqlite(dump, _sqlite_path(app))
        else:
            _pg_restore(app, dump)
        saved = Path(work) / FILES
        if saved.is_dir():
            shutil.copytree(saved, app.instance_path, dirs_exist_ok=True)
    return manifest


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a backup archive: {error}") from error


def _manifest(tar: tarfile.TarFile) -> dict[str, object]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("The archive has no manifest.json: not made by `flask backup`.")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _tables_with_rows(app: Flask) -> list[str]:
    """The tables of the configured database that hold rows (the migration stamps aside)."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            return [
                name
                for name in sorted(names)
                if not is_version_table(name)
                and connection.execute(select(1).select_from(table(name)).limit(1)).first()
            ]


def _stored_files(app: Flask, *, skip: set[Path]) -> list[Path]:
    """Every file of the instance folder but the SQLite database, its journal and the cache."""
    root = Path(app.instance_path)
    if not root.is_dir():
        return []
    database_files: set[Path] = set()
    if database_kind(app) == "sqlite":
        database = _sqlite_path(app).resolve()
        database_files = {
            Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")
        }
    rebuilt = [root / folder for folder in REBUILT_FOLDERS]
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.resolve() not in database_files | skip
        and not any(path.is_relative_to(folder) for folder in rebuilt)
    )


def _sqlite_path(app: Flask) -> Path:
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return Path(database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page in one step: one consistent snapshot, WAL included."""
    target.parent.mkdir(parents=True, exist_ok=True)
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _pg_dump(app: Flask, dump: Path) -> None:
    """pg_dump's custom format: one repeatable-read snapshot while the app keeps writing."""
    url, environment = _libpq(app)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", url], environment)


def _pg_restore(app: Flask, dump: Path) -> None:
    """Replace what the dump holds, in one transaction: a failed restore leaves the old data."""
    url, environment = _libpq(app)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(dump),
        ],
        environment,
    )


def _libpq(app: Flask) -> tuple[str, dict[str, str]]:
    """The database address for libpq tools; the password goes in the environment, not argv."""
    url: URL = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _pg_tool(name: str) -> str:
    """Debian's client: on PATH (pg_wrapper picks the version), else the newest installed."""
    found = shutil.which(name) or next(
        iter(
            sorted(
                glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                key=lambda path: int(Path(path).parts[-3]),
                reverse=True,
            )
        ),
        None,
    )
    if not found:
        raise BackupError(f"{name} not found: apt-get install postgresql-client.")
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    """Run a PostgreSQL client: its path from _pg_tool, an argument list, never a shell."""
    done = subprocess.run(  # noqa: S603 - our own argument list, no shell  # nosec B603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[-1]}")


@click.command("backup")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(archive: Path) -> None:
    """Write the database and stored files to ARCHIVE (.tar.gz), while the app keeps running."""
    manifest = backup(current_app._get_current_object(), archive)  # type: ignore[attr-defined]
    click.echo(
        f"Wrote {archive}: the {manifest['database']} database and {manifest['files']} files."
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds rows.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Put ARCHIVE's database and files back (stop the web server, worker and scheduler first)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    manifest = restore(app, archive, force=force)
    click.echo(
        f"Restored {archive} (made {manifest['created_at']}): the database and "
        f"{manifest['files']} files. Run `flask db upgrade` if this release is newer."
    )


def init_app(app: Flask) -> None:
    """Offer `flask backup` and `flask restore`."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

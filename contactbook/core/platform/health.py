"""Health checks for the proxy and the operator: /healthz (the process answers) and /readyz.

/readyz says whether this install can do its work: the database answers, its schema is at the
newest migration (core's, and each enabled module's branch), and the notify worker and the
scheduler, which run as processes of their own, have been seen lately. Each of those writes a
heartbeat row (one per process kind, the newest wins) while it runs; a stale row means nobody
is sending notifications or running jobs.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import String, column, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.core.platform.database import conflict_insert
from contactbook.core.platform.errors import short_reason
from contactbook.core.platform.module_branches import revisions_of, version_table
from contactbook.core.platform.module_contract import Module, registry
from contactbook.core.platform.public_routes import public
from contactbook.core.platform.records import UtcDateTime, utcnow
from contactbook.extensions import db, limiter

WORKER = "notify-worker"
SCHEDULER = "scheduler"
# What /readyz expects to have been seen, as an operator would name it.
PROCESS_KINDS = {WORKER: "notify worker", SCHEDULER: "scheduler"}
BEAT_EVERY = timedelta(seconds=30)
# Four missed beats: a worker busy with a long batch or a slow database is not yet "gone".
STALE_AFTER = timedelta(minutes=2)

bp = Blueprint("health", __name__)


class Heartbeat(db.Model):
    """When a process of each kind last showed it was alive, and which one it was."""

    __tablename__ = "heartbeats"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    process: Mapped[str] = mapped_column(String(300))


def init_app(app: Flask) -> None:
    """Serve the two checks, open to anyone and never rate limited: the proxy polls them."""
    app.register_blueprint(bp)
    limiter.exempt(bp)


def beat(kind: str, now: datetime | None = None) -> bool:
    """Record that a process of this kind is alive, at most once per BEAT_EVERY per process.

    Commits on its own, so call it between units of work. Returns whether a row was written.
    """
    now = now or utcnow()
    last = current_app.extensions.setdefault("heartbeats", {})
    if kind in last and now - last[kind] < BEAT_EVERY:
        return False
    values = {"kind": kind, "seen_at": now, "process": f"{socket.gethostname()}:{os.getpid()}"}
    statement = conflict_insert(Heartbeat).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[Heartbeat.kind],
            set_={"seen_at": statement.excluded.seen_at, "process": statement.excluded.process},
        )
    )
    db.session.commit()
    last[kind] = now
    return True


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """The process is up and answering; asks nothing of the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
@public
def readyz() -> ResponseReturnValue:
    """Ready to serve: 200, or 503 naming every check that failed."""
    problems = readiness_problems()
    if problems:
        return jsonify(status="not ready", problems=problems), 503
    return jsonify(status="ready", problems={})


def readiness_problems(now: datetime | None = None) -> dict[str, str]:
    """What stands between this install and its work, by check; empty when ready."""
    now = now or utcnow()
    try:
        connection = db.engine.connect()
    except SQLAlchemyError as error:
        return {"database": f"unreachable: {short_reason(error)}"}
    with connection:
        problems = _migration_problems(connection)
        if problems:
            return problems
        seen = dict(connection.execute(select(Heartbeat.kind, Heartbeat.seen_at)).all())
    for kind, name in PROCESS_KINDS.items():
        if kind not in seen:
            problems[name] = "never seen: is it running?"
        elif now - seen[kind] > STALE_AFTER:
            minutes = int((now - seen[kind]).total_seconds() // 60)
            problems[name] = f"last seen {minutes} minutes ago"
    return problems


def _migration_problems(connection: Connection) -> dict[str, str]:
    """Compare the database's migration with the newest the code brings."""
    heads = set(_migration_heads())
    try:
        applied = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except DBAPIError:
        return {"migrations": "none applied: run `flask db upgrade`"}
    if applied != heads:
        return {
            "migrations": f"database at {', '.join(sorted(applied)) or 'nothing'}, "
            f"code at {', '.join(sorted(heads))}: run `flask db upgrade`"
        }
    for module in registry().modules.values():
        if module.migrations and (behind := _module_behind(connection, module)):
            return {"migrations": behind}
    return {}


def _module_behind(connection: Connection, module: Module) -> str | None:
    """Say how an enabled module's branch lags behind the revisions it ships, if it does."""
    found = current_app.extensions.setdefault("module_migration_heads", {})
    if module.name not in found:
        found[module.name] = set(revisions_of(str(module.migrations)).get_heads())
    # Built as a construct, not a string: SQLAlchemy quotes the table's name for the dialect.
    versions = select(column("version_num")).select_from(table(version_table(module.name)))
    try:
        applied = set(connection.scalars(versions))
    except DBAPIError:
        connection.rollback()
        applied = set()
    if applied == found[module.name]:
        return None
    return (
        f"module {module.name} at {', '.join(sorted(applied)) or 'nothing'}, "
        f"code at {', '.join(sorted(found[module.name]))}: run `flask db upgrade`"
    )


def _migration_heads() -> tuple[str, ...]:
    """The newest migration(s) in migrations/, read once per process."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    heads = app.extensions.get("migration_heads")
    if heads is None:
        directory = app.extensions["migrate"].directory
        heads = app.extensions["migration_heads"] = tuple(ScriptDirectory(directory).get_heads())
    return heads

"""One transaction per write: services wrap their work in `atomic()`, which commits once.

Nested `atomic()` blocks join the outermost one, so the API layer can put a service's rows and
the idempotency record of the request into the same commit. A file written for those rows (an
upload) goes with them: `write_file` removes it again when the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from contactbook.extensions import db

_depth: ContextVar[int] = ContextVar("atomic_depth", default=0)
_NEW_FILES_KEY = "contactbook_new_files"


@contextmanager
def atomic() -> Iterator[None]:
    """Commit when the outermost block ends; roll everything back if any block raises."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        yield
        if depth == 0:
            db.session.commit()
    except BaseException:
        if depth == 0:
            db.session.rollback()
        raise
    finally:
        _depth.reset(token)


def write_file(path: Path, data: bytes) -> None:
    """Write a file that belongs to the rows of the current transaction.

    A refused or failed write rolls its rows back; the file goes with them, so no file
    outlives the row naming it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    db.session.info.setdefault(_NEW_FILES_KEY, []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_new_files(session: Session) -> None:
    session.info.pop(_NEW_FILES_KEY, None)


@event.listens_for(Session, "after_rollback")
def _remove_new_files(session: Session) -> None:
    for path in session.info.pop(_NEW_FILES_KEY, []):
        path.unlink(missing_ok=True)

"""One transaction per write: services wrap their work in `atomic()`, which commits once.

Nested `atomic()` blocks join the outermost one, so the API layer can put a service's rows and
the idempotency record of the request into the same commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from contactbook.extensions import db

_depth: ContextVar[int] = ContextVar("atomic_depth", default=0)


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

"""Start several calls at the same moment in threads, as simultaneous requests or processes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask

from contactbook.extensions import db

T = TypeVar("T")


def run_together(calls: Sequence[Callable[[], T]], timeout: float = 60) -> list[T]:
    """Release every call at once; return their results in order, or raise the first error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    if errors:
        raise errors[0]
    return results


def in_app(flask_app: Flask, call: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """The call, made inside its own app context, as another worker process would make it."""

    def run() -> T:
        with flask_app.app_context():
            try:
                return call(*args, **kwargs)
            finally:
                db.session.remove()

    return run

"""The app on PostgreSQL with the demo and a crowd of signed-in teachers and parents."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.load import Browser, sign_in_all
from bench.people import (
    PASSWORD,
    Crowd,
    add_crowd,
    bench_app,
    count_marks,
    forget_roll_calls,
)
from bench.server import SECRET_KEY, Server, app_env, gunicorn, load_demo

PORT = 8733


@dataclass
class SignedIn:
    """The server, who is on it, and their browsers (teachers and parents in crowd order)."""

    server: Server
    crowd: Crowd
    teachers: list[Browser]
    parents: list[Browser]
    app: object

    def forget_roll_calls(self) -> None:
        """Start the next run with no marks in the crowd's classes."""
        forget_roll_calls(self.app, self.crowd)

    def marks(self) -> int:
        """The marks the crowd's classes hold now."""
        return count_marks(self.app, self.crowd)


@contextmanager
def signed_in_crowd(url: str, workdir: Path, teachers: int, parents: int) -> Iterator[SignedIn]:
    """Load the demo, add the crowd, serve the app and sign everybody in."""
    load_demo(url, workdir)
    app = bench_app(url, SECRET_KEY)
    crowd = add_crowd(app, teachers, parents)
    with gunicorn("wsgi:app", PORT, app_env(url, workdir), workdir / "gunicorn.log") as server:
        teacher_browsers = sign_in_all(server.url, [t.username for t in crowd.teachers], PASSWORD)
        parent_browsers = sign_in_all(
            server.url, [p.phone for p in crowd.parents], PASSWORD, writes=False
        )
        yield SignedIn(server, crowd, teacher_browsers, parent_browsers, app)

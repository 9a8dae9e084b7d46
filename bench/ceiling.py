"""The app's pages against the ceiling of a bare Flask "hello", under the same gunicorn, in one run.

  .venv/bin/python -m bench.ceiling [--seconds 20] [--postgres URL] [--databases sqlite,postgresql]

Serves bench/hello.py, then the app with the demo on SQLite and on PostgreSQL (the database
at URL is emptied first), each with 2 gunicorn workers (deploy/gunicorn.conf.py when present);
signs in the demo parent and teacher and runs wrk (2 threads x 16 connections) against hello,
the parent's child page, the parent's home and the teacher's home. Prints requests per second,
p50/p99 and the share of the ceiling in one table.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from bench.load import Browser, check_page, get, sign_in_all, wrk
from bench.server import DEFAULT_POSTGRES, app_env, database_url, gunicorn, load_demo
from contactbook.core.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS

CONNECTIONS = 16
PORT = 8731
CHILD_LINK = re.compile(r'href="(/classbook/children/\d+)"')


def measure(url: str, seconds: int, browser: Browser | None) -> dict:
    """wrk against one page as this browser, after checking it answers 200."""
    check_page(url, browser)
    headers = [f"Cookie: {browser.cookie}"] if browser else []
    return wrk(url, seconds=seconds, connections=CONNECTIONS, headers=headers)


def app_pages(kind: str, url: str, workdir: Path, seconds: int) -> list[tuple[str, dict]]:
    """Load the demo into the database, serve the app and time the three pages."""
    load_demo(url, workdir)
    env = app_env(url, workdir)
    with gunicorn("wsgi:app", PORT, env, workdir / "gunicorn.log") as server:
        who = {role: identifier for role, identifier, _ in DEMO_SIGN_INS}
        parent, teacher = sign_in_all(server.url, [who["parent"], who["teacher"]], DEMO_PASSWORD)
        _status, home = get(server.url + "/", parent)
        child = CHILD_LINK.search(home).group(1)
        return [
            (f"{kind}: parent, child page", measure(server.url + child, seconds, parent)),
            (f"{kind}: parent, home", measure(server.url + "/", seconds, parent)),
            (f"{kind}: teacher, home", measure(server.url + "/", seconds, teacher)),
        ]


def main() -> None:
    """Measure the ceiling, then the app on each database, and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--databases", default="sqlite,postgresql")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        with gunicorn("bench.hello:app", PORT, dict(os.environ), workdir / "hello.log") as hello:
            rows = [("hello (ceiling)", measure(hello.url + "/", options.seconds, None))]
        for kind in options.databases.split(","):
            target = "sqlite" if kind == "sqlite" else options.postgres
            rows += app_pages(kind, database_url(target, workdir), workdir, options.seconds)
    ceiling = rows[0][1]["per_second"]
    print(f"wrk {CONNECTIONS} connections, 2 threads, {options.seconds} s per page")
    print(f"{'page':<32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ceiling':>8}")
    for name, figures in rows:
        errors = figures["socket_errors"] + figures["http_errors"]
        print(
            f"{name:<32} {figures['per_second']:>8.0f} {figures['p50_ms']:>8.1f} "
            f"{figures['p99_ms']:>8.1f} {errors:>7} {figures['per_second'] / ceiling:>8.1%}"
        )


if __name__ == "__main__":
    main()

"""Where the time of the parent's child page goes, in process, with cProfile.

  .venv/bin/python -m bench.profile_child [count] [database url]

Loads the demo (SQLite in a temporary folder unless a URL is given; that database is emptied
first), signs the demo parent in through /signin with Flask's test client and opens their
first child's page `count` times (after two warm-up views), then `count` times more under
cProfile. Prints the median time of a view with and without the profiler, the SQL statements
of one view and the time inside the database driver, own time per library under cProfile
(SQLAlchemy, Jinja, Flask and Werkzeug, Babel, the app...), and the app's functions with the
most time inside them.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event, text

from contactbook import create_app
from contactbook.core.demo.seed import DEMO_PASSWORD, DEMO_SIGN_INS
from contactbook.extensions import db

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHILD_LINK = re.compile(r'href="(/classbook/children/\d+)"')
# Own time is credited to the first of these found in a function's file path.
LIBRARIES = (
    "sqlalchemy",
    "psycopg",
    "sqlite3",
    "jinja2",
    "flask_babel",
    "babel",
    "werkzeug",
    "flask_login",
    "flask_wtf",
    "flask",
    "marshmallow",
    "contactbook/templates",
    "contactbook",
)


def demo_app(url: str, **settings: object):
    """The app on a database holding just the demo, with any settings given."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "p" * 40, **settings})
    with app.app_context():
        if not url.startswith("sqlite"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
    result = app.test_cli_runner().invoke(args=["demo"])
    if result.exit_code:
        raise RuntimeError(result.output)
    return app


def library_of(filename: str) -> str:
    """The library a function's file belongs to, by its path."""
    for name in LIBRARIES:
        if f"/{name}/" in filename or filename.endswith(f"/{name}.py"):
            return name
    return "C built-ins" if filename == "~" else "python and other"


def main() -> None:
    """Profile the child page and print where its time goes."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(folder) / 'demo.db'}"
        app = demo_app(url)
        client = app.test_client()
        token = CSRF_TOKEN.search(client.get("/signin").get_data(as_text=True)).group(1)
        parent = dict((role, who) for role, who, _ in DEMO_SIGN_INS)["parent"]
        client.post(
            "/signin", data={"identifier": parent, "password": DEMO_PASSWORD, "csrf_token": token}
        )
        page = CHILD_LINK.search(client.get("/").get_data(as_text=True)).group(1)
        for _warm_up in range(2):
            assert client.get(page).status_code == 200
        with app.app_context():
            engine = db.engine
        sql = {"statements": 0, "seconds": 0.0}

        def before(conn, *_args) -> None:
            conn.info["bench_started"] = time.perf_counter()

        def after(conn, *_args) -> None:
            sql["statements"] += 1
            sql["seconds"] += time.perf_counter() - conn.info["bench_started"]

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        plain = []
        for _view in range(count):
            started = time.perf_counter()
            client.get(page)
            plain.append((time.perf_counter() - started) * 1000)
        profile = cProfile.Profile()
        timings = []
        for _view in range(count):
            started = time.perf_counter()
            profile.enable()
            response = client.get(page)
            profile.disable()
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())
    own = Counter()
    for (filename, _line, _name), row in stats.stats.items():
        own[library_of(filename)] += row[2]
    print(
        f"{page}, {count} views: median {statistics.median(plain):.1f} ms, "
        f"{statistics.median(timings):.1f} ms under cProfile"
    )
    print(
        f"SQL: {sql['statements'] / count / 2:.0f} statements a view, "
        f"{sql['seconds'] / count / 2 * 1000:.1f} ms a view inside the database driver"
    )
    print("own time by library:")
    for name, seconds in own.most_common(12):
        print(f"  {name:<24} {seconds / total:>6.1%}")
    print("the app's functions with the most time inside them (cumulative):")
    app_rows = [
        (row[3], f"{Path(filename).relative_to(Path.cwd())}:{line} {name}")
        for (filename, line, name), row in stats.stats.items()
        if "/contactbook/" in filename and "templates" not in filename
    ]
    for seconds, where in sorted(app_rows, reverse=True)[:20]:
        print(f"  {seconds / total:>6.1%}  {where}")


if __name__ == "__main__":
    main()

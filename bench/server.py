"""Run the app (or a bare Flask "hello") under gunicorn for the load benchmarks.

The database is made as an operator makes it: `flask db upgrade`, then `flask demo`, in a
child process with the same environment the server gets. Every server runs with the same
gunicorn settings: deploy/gunicorn.conf.py when the project has it, with the bind address and
the worker count given on the command line (which gunicorn lets win over the file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
WORKERS = 2
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/contactbook_bench"
SECRET_KEY = "bench-only secret key, never used anywhere else: 9f2c4e1a7b"


def database_url(kind: str, workdir: Path) -> str:
    """`sqlite` means a fresh file in workdir; anything else is taken as a database URL."""
    return f"sqlite:///{workdir / 'bench.db'}" if kind == "sqlite" else kind


def app_env(url: str, workdir: Path) -> dict[str, str]:
    """The environment of the app's processes: its own instance folder, database and key."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "CONTACTBOOK_INSTANCE_PATH": str(workdir),
        "CONTACTBOOK_RUN_WORKERS": "0",
        # Plain http on 127.0.0.1: a Secure cookie would never come back from the client.
        "CONTACTBOOK_COOKIE_SECURE": "0",
    }


def load_demo(url: str, workdir: Path) -> None:
    """Empty the database, migrate it to the head and load the demo, as `make run` does."""
    if not url.startswith("sqlite"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    env = app_env(url, workdir)
    for command in (["db", "upgrade"], ["demo"]):
        done = subprocess.run(
            [VENV_BIN / "flask", "--app", "wsgi", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


@dataclass
class Server:
    """A running gunicorn: its base URL and master process."""

    url: str
    process: subprocess.Popen

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each web worker in MB, read from /proc."""
        return [_rss_mb(pid) for pid in _children(self.process.pid)]


@contextmanager
def gunicorn(app_spec: str, port: int, env: dict[str, str], log: Path) -> Iterator[Server]:
    """Serve app_spec ("wsgi:app") on 127.0.0.1:port with WORKERS workers until the block ends."""
    config = ["-c", str(GUNICORN_CONF)] if GUNICORN_CONF.exists() else []
    command = [
        VENV_BIN / "gunicorn",
        *config,
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        app_spec,
    ]
    # deploy/gunicorn.conf.py (and the app) read the worker count from WEB_CONCURRENCY.
    env = {**env, "WEB_CONCURRENCY": str(WORKERS)}
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(server: Server, seconds: float = 60) -> None:
    """Return once the server answers anything on /signin or /; fail if it died or never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}")
        try:
            urllib.request.urlopen(server.url + "/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {server.url} within {seconds} s")


def _children(pid: int) -> list[int]:
    """The process ids whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    """VmRSS of a process in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

"""How the worker runs: `flask notify worker` in production, a thread beside `make run`.

The pipeline itself (claim, prepare, send, record) is in worker.py; this file only keeps it
going, sleeping when nothing is due and surviving a database hiccup.
"""

from __future__ import annotations

import logging
import os
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from contactbook.core.delivery import vapid
from contactbook.core.platform.errors import short_reason
from contactbook.extensions import db

log = logging.getLogger(__name__)

IDLE_SLEEP = 2.0
# The sending side (aiohttp, pywebpush and what they bring, some 20 MB) loads only in the
# process that sends: web workers store notifications and never import it.

cli = AppGroup("notify", help="Deliver notifications.")


def run_forever(app: Flask, stop: threading.Event) -> None:
    """Loop until stopped, sleeping when there is nothing due."""
    from contactbook.core.delivery.worker import BATCH, LEASE, drain

    log.info("notify worker started: batches of %d, a claim's lease lasts %s", BATCH, LEASE)
    while not stop.is_set():
        with app.app_context():
            try:
                done = drain(stop=stop)
            except OperationalError as error:
                # The database is down or restarting: one line a try, no traceback.
                log.error("notify worker: database unavailable: %s", short_reason(error))
                done = 0
            except Exception:  # noqa: BLE001 - keep the worker alive through database hiccups
                log.exception("notify worker pass failed")
                db.session.rollback()
                done = 0
            finally:
                db.session.remove()
        if not done:
            stop.wait(IDLE_SLEEP)


def start_in_thread(app: Flask) -> threading.Event:
    """Run the worker beside a development server; returns the event that stops it.

    Under the debug reloader only the serving child starts one, not the watching parent.
    """
    stop = threading.Event()
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return stop
    threading.Thread(target=run_forever, args=(app, stop), daemon=True, name="notify").start()
    return stop


@cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
def worker_command(once: bool) -> None:
    """Deliver notifications until stopped (or once)."""
    from contactbook.core.delivery.worker import drain

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    vapid.require_key(app)
    if once:
        click.echo(f"{drain()} deliveries attempted")
        return
    stop = threading.Event()
    try:
        run_forever(app, stop)
    except KeyboardInterrupt:
        stop.set()

"""APScheduler from the jobs modules declare; runs in `flask scheduler run`, not in web workers."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import AppGroup

from contactbook.core.platform import health
from contactbook.core.platform.module_contract import registry
from contactbook.core.platform.records import utcnow

cli = AppGroup("scheduler", help="Run the jobs that modules declare.")


OFF = "off"
HEARTBEAT_JOB = "core.heartbeat"

log = logging.getLogger(__name__)


def overrides(app: Flask) -> dict[str, str]:
    """CONTACTBOOK_JOBS="classbook.daily_summaries=*/10 * * * *,other.job=off" as a dict."""
    pairs = (item.partition("=") for item in app.config["CONTACTBOOK_JOBS"].split(","))
    return {key.strip(): cron.strip() for key, _, cron in pairs if key.strip()}


def add_jobs(app: Flask, scheduler: BaseScheduler) -> None:
    """Add each declared job under its stable key, so a restart replaces rather than duplicates."""
    timezone = app.config["CONTACTBOOK_TIMEZONE"]
    changed = overrides(app)
    for job in registry(app).jobs.values():
        cron = changed.get(job.key, job.cron)
        if cron == OFF:
            continue
        scheduler.add_job(
            in_app_context(app, job.key, job.func),
            CronTrigger.from_crontab(cron, timezone=timezone),
            id=job.key,
            name=job.key,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )


def add_heartbeat(app: Flask, scheduler: BaseScheduler) -> None:
    """Show /readyz a live scheduler: a beat at start and every BEAT_EVERY after."""
    scheduler.add_job(
        _beat_in_app_context(app),
        IntervalTrigger(seconds=health.BEAT_EVERY.total_seconds()),
        id=HEARTBEAT_JOB,
        name=HEARTBEAT_JOB,
        next_run_time=utcnow(),
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )


def in_app_context(app: Flask, key: str, func: Callable[[], None]) -> Callable[[], None]:
    """Wrap a job to run in an app context and log its start, end and duration."""

    def run() -> None:
        started = time.perf_counter()
        log.info("job %s started", key, extra={"job": key})
        try:
            with app.app_context():
                func()
        except Exception as error:
            seconds = round(time.perf_counter() - started, 3)
            log.error(
                "job %s failed after %s s: %r",
                key,
                seconds,
                error,
                extra={"job": key, "duration_s": seconds},
            )
            raise
        seconds = round(time.perf_counter() - started, 3)
        log.info("job %s finished in %s s", key, seconds, extra={"job": key, "duration_s": seconds})

    return run


def _beat_in_app_context(app: Flask) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            health.beat(health.SCHEDULER)

    return run


def start_in_thread(app: Flask) -> BackgroundScheduler | None:
    """Run the jobs beside a development server (only in the reloader's serving child)."""
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None
    scheduler = BackgroundScheduler(timezone=app.config["CONTACTBOOK_TIMEZONE"])
    add_jobs(app, scheduler)
    add_heartbeat(app, scheduler)
    scheduler.start()
    return scheduler


@cli.command("run")
def run_scheduler() -> None:
    """Run scheduled jobs in this process until stopped."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = BlockingScheduler(timezone=app.config["CONTACTBOOK_TIMEZONE"])
    add_jobs(app, scheduler)
    for job in scheduler.get_jobs():
        click.echo(f"{job.id}: {job.trigger}")
    add_heartbeat(app, scheduler)
    scheduler.start()

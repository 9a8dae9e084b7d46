"""Daily summaries: one digest per guardian per school day, built set-based for a whole school.

A summary is a row unique on (guardian, day), inserted with ON CONFLICT DO NOTHING: only the run
that inserts a row notifies, so reruns, restarts, catch-ups and a second scheduler send nothing
twice. A run that finds a family's summary already sent (an admin sent the day early) updates
it when the day's news changed since, and sends it again marked as an update; unchanged, it
sends nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from contactbook.core.delivery import notify_each
from contactbook.core.directory import (
    ClosedDay,
    School,
    User,
    access,
)
from contactbook.core.platform import Invalid, atomic, audit, conflict_insert, utcnow
from contactbook.extensions import db
from contactbook.modules.classbook.models import (
    AuditAction,
    DailySummary,
    SummaryRun,
)
from contactbook.modules.classbook.services.calendar import is_closed
from contactbook.modules.classbook.services.summary_news import (
    has_news,
    is_summary_day,
    summaries_for,
)

log = logging.getLogger(__name__)

# SummaryRun.note values, stored as they are and worded on screen with RUN_NOTES.
NOT_A_SCHOOL_DAY = "not a school day"
TOO_LATE = "skipped: too late"
RUN_NOTES = {NOT_A_SCHOOL_DAY: _l("not a school day"), TOO_LATE: _l("skipped: too late")}


def _insert_new(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Insert summaries that do not exist yet; return (id, guardian) of the ones inserted."""
    if not rows:
        return []
    statement = (
        conflict_insert(DailySummary)
        .on_conflict_do_nothing(index_elements=["guardian_id", "day"])
        .returning(DailySummary.id, DailySummary.guardian_id)
    )
    # Parameters as a list (executemany): SQLAlchemy batches them into multi-row VALUES itself.
    return [tuple(row) for row in db.session.execute(statement, rows)]


def _sent_earlier(school: School, day: date) -> dict[int, tuple[int, Any]]:
    """Guardian -> (summary id, lines) of the school's summaries already stored for the day.

    Locked on PostgreSQL, so of two runs at once only the first updates a summary; the
    second then reads the updated lines and finds nothing changed.
    """
    query = (
        select(DailySummary.id, DailySummary.guardian_id, DailySummary.lines)
        .where(DailySummary.school_id == school.id, DailySummary.day == day)
        .order_by(DailySummary.id)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()
    return {
        guardian: (summary_id, lines) for summary_id, guardian, lines in db.session.execute(query)
    }


def _update_changed(
    earlier: dict[int, tuple[int, Any]], wanted: dict[int, list[dict[str, Any]]]
) -> list[tuple[int, int]]:
    """Give summaries already sent the day's lines where those changed; return (id, guardian)."""
    changed = [
        (summary_id, guardian_id)
        for guardian_id, (summary_id, lines) in earlier.items()
        if guardian_id in wanted and lines != json.loads(json.dumps(wanted[guardian_id]))
    ]
    if changed:
        db.session.execute(
            update(DailySummary),
            [{"id": summary_id, "lines": wanted[guardian]} for summary_id, guardian in changed],
        )
    return changed


def topic_of(school: School, day: date) -> str:
    """One topic per school and day: an update replaces the unread summary it completes."""
    return f"classbook.summary-{school.id}-{day:%Y%m%d}"


def build_school_day(school: School, day: date) -> SummaryRun:
    """Build, store and queue one school's summaries for a day; safe to run any number of times.

    Families without a summary for the day get one if they have news; families who already
    have one get it again, updated, only when the day's news changed since.
    """
    run = SummaryRun(school_id=school.id, day=day, started_at=utcnow())
    with atomic():
        db.session.add(run)
        if not is_summary_day(school, day):
            run.note = NOT_A_SCHOOL_DAY
            return run
        wanted = summaries_for(school, day)
        earlier = _sent_earlier(school, day)
        rows = [
            {
                "guardian_id": guardian_id,
                "school_id": school.id,
                "day": day,
                "lines": lines,
                "created_at": utcnow(),
            }
            for guardian_id, lines in wanted.items()
            if guardian_id not in earlier
            and (school.always_send_summary or any(has_news(line) for line in lines))
        ]
        run.skipped = len(wanted) - len(earlier.keys() & wanted.keys()) - len(rows)
        inserted = _insert_new(rows)
        updated = _update_changed(earlier, wanted)
        _tell(school, day, wanted, inserted, is_update=False)
        _tell(school, day, wanted, updated, is_update=True)
        run.built = run.sent = len(inserted) + len(updated)
    log.info("summaries %s %s: %s built, %s skipped", school.code, day, run.built, run.skipped)
    return run


def _tell(
    school: School,
    day: date,
    wanted: dict[int, list[dict[str, Any]]],
    summaries: list[tuple[int, int]],
    is_update: bool,
) -> None:
    """Queue each family's summary; an update says so, and replaces the earlier one if unread."""
    if not summaries:
        return
    guardians = {
        user.id: user
        for user in db.session.scalars(
            select(User).where(User.id.in_([guardian for _id, guardian in summaries]))
        )
    }
    notify_each(
        "classbook.daily_summary",
        [
            (
                guardians[guardian_id],
                {"summary_id": summary_id, "day": day.isoformat(), "lines": wanted[guardian_id]}
                | ({"update": True} if is_update else {}),
            )
            for summary_id, guardian_id in summaries
        ],
        topic=topic_of(school, day),
    )


def send_now(actor: User, school: School, day: date) -> SummaryRun:
    """An admin's "send now": a past day, or today's news so far.

    Sending today early does not stand in for the scheduled run: at the school's hour that run
    still sends families what came after, as an update. A day still to come is refused.
    """
    access.require(actor, "classbook.summaries.manage", school)
    if day > school.today():
        raise Invalid({"day": [_("Summaries can be sent for today or an earlier day only.")]})
    return build_school_day(school, day)


def grace() -> timedelta:
    """How long after a school's hour a late run still builds the day; later, it is skipped."""
    return timedelta(hours=float(current_app.config["CONTACTBOOK_SUMMARY_GRACE_HOURS"]))


def run_due_summaries(now: datetime | None = None) -> list[SummaryRun]:
    """The scheduled job: build today's summaries for every school whose hour has come.

    Runs every few minutes. Within the grace period after a school's hour it builds (a rerun
    finds the rows already there); past it, a day that was never built is skipped with a log line.
    A run an admin started before the hour ("send now") does not count: the day is built again
    at the hour, so news entered after the early run still reaches families.
    """
    now = now or utcnow()
    runs = []
    for school in db.session.scalars(select(School).order_by(School.id)):
        local = now.astimezone(ZoneInfo(school.timezone))
        due = datetime.combine(local.date(), school.daily_summary_time, tzinfo=local.tzinfo)
        if local < due:
            continue
        already = db.session.scalar(
            select(SummaryRun.id).where(
                SummaryRun.school_id == school.id,
                SummaryRun.day == local.date(),
                SummaryRun.started_at >= due,
            )
        )
        if already:
            continue
        if local - due > grace():
            log.warning("summaries %s %s skipped: past the grace period", school.code, local.date())
            with atomic():
                run = SummaryRun(school_id=school.id, day=local.date(), note=TOO_LATE)
                db.session.add(run)
            runs.append(run)
            continue
        runs.append(build_school_day(school, local.date()))
    return runs


def mark_closed(actor: User, school: School, day: date, reason: str) -> None:
    """No lessons and no summary that day; marking it again changes nothing."""
    access.require(actor, "classbook.summaries.manage", school)
    with atomic():
        if is_closed(school.id, day):
            return
        row = ClosedDay(school_id=school.id, day=day, reason=reason)
        db.session.add(row)
        db.session.flush()
        audit.record(
            actor,
            AuditAction.DAY_CLOSED,
            row,
            school_id=school.id,
            after={"day": day.isoformat(), "reason": reason},
        )


def set_summary_settings(
    actor: User, school: School, daily_summary_time: time, always_send_summary: bool
) -> None:
    """Set when a school's summaries go out, and whether families with no news get one too."""
    access.require(actor, "classbook.summaries.manage", school)
    with atomic():
        before = {"time": str(school.daily_summary_time), "always": school.always_send_summary}
        school.daily_summary_time = daily_summary_time
        school.always_send_summary = always_send_summary
        audit.record(
            actor,
            AuditAction.SUMMARY_SETTINGS,
            school,
            school_id=school.id,
            before=before,
            after={"time": str(daily_summary_time), "always": always_send_summary},
        )


def summary_of(guardian: User, summary_id: int) -> DailySummary | None:
    """The guardian's own digest; None for a missing one or another family's, which look alike."""
    found = db.session.get(DailySummary, summary_id)
    if found is None or found.guardian_id != guardian.id:
        return None
    return found

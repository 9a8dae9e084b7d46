"""What a school admin reads on the summaries page: the last runs and the closed days."""

from __future__ import annotations

from sqlalchemy import select

from contactbook.core.directory import ClosedDay, School
from contactbook.extensions import db
from contactbook.modules.classbook.models import SummaryRun

RECENT_RUNS = 30


def recent_runs(school: School) -> list[SummaryRun]:
    """The school's last runs, newest first: enough to see what the scheduler did lately."""
    return list(
        db.session.scalars(
            select(SummaryRun)
            .where(SummaryRun.school_id == school.id)
            .order_by(SummaryRun.started_at.desc())
            .limit(RECENT_RUNS)
        )
    )


def closed_days(school: School) -> list[ClosedDay]:
    """Every day the school marked closed, latest first: no summary goes out on them."""
    return list(
        db.session.scalars(
            select(ClosedDay).where(ClosedDay.school_id == school.id).order_by(ClosedDay.day.desc())
        )
    )

"""What the contact book contributes to the app."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import Job, MenuItem, Module
from contactbook.modules.classbook.api import bp as api_bp
from contactbook.modules.classbook.cli import cli
from contactbook.modules.classbook.demo import add_records
from contactbook.modules.classbook.notifications import NOTIFICATIONS
from contactbook.modules.classbook.permissions import PERMISSIONS
from contactbook.modules.classbook.services.class_links import classroom_links, student_pages
from contactbook.modules.classbook.services.excused import excuse_recorded_absences
from contactbook.modules.classbook.services.school_reports import REPORTS
from contactbook.modules.classbook.services.summaries import run_due_summaries
from contactbook.modules.classbook.services.term_gaps import missing_grade_columns
from contactbook.modules.classbook.views import bp as pages_bp


def init_app(app: Flask) -> None:
    """Add `flask classbook ...` (term figures for grades saved before they were kept)."""
    app.cli.add_command(cli)


module = Module(
    name="classbook",
    title="Sổ liên lạc",
    blueprints=(pages_bp, api_bp),
    permissions=PERMISSIONS,
    menu=(
        MenuItem(
            _l("Roll call and grades"),
            "classbook.index",
            "classbook.attendance.record",
            icon="class",
            order=10,
            short_label=_l("Classes"),
        ),
        MenuItem(
            _l("My children"),
            "classbook.index",
            "classbook.children.view",
            icon="child",
            order=10,
            short_label=_l("Children"),
        ),
        MenuItem(
            _l("Classes of the school"),
            "classbook.index",
            "classbook.classes.oversee",
            icon="class",
            order=10,
            short_label=_l("Classes"),
        ),
    ),
    notifications=NOTIFICATIONS,
    # Every 5 minutes: each school's own hour is checked inside, in its own time zone.
    jobs=(Job("classbook.daily_summaries", run_due_summaries, "*/5 * * * *"),),
    demo=add_records,
    reports=REPORTS,
    term_close_checks=(missing_grade_columns,),
    absence_excused=excuse_recorded_absences,
    student_pages=student_pages,
    classroom_links=classroom_links,
    init_app=init_app,
)

"""The contact book's events and how each reads in an inbox or on a lock screen.

Words stay short and name the child; details stay behind sign-in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contactbook.core.platform import (
    NotificationType,
    RenderedNotification,
    Urgency,
    module_hooks,
)
from contactbook.modules.classbook.labels import SESSION_NAMES
from contactbook.modules.classbook.rules import short_grade

STATUS_WORDS = {
    "excused": _l("absent with leave"),
    "unexcused": _l("absent without leave"),
    "late": _l("late"),
}


def _child_url(data: dict[str, Any]) -> str:
    return (
        url_for("classbook.child", student_id=data["student_id"]) if "student_id" in data else "/"
    )


def render_attendance(data: dict[str, Any]) -> RenderedNotification:
    """ "Minh (6A) vắng không phép sáng 27/11": enough for a lock screen, nothing more."""
    return RenderedNotification(
        title=_(
            "%(name)s (%(classroom)s) %(status)s %(session)s %(day)s",
            name=data["student_name"].split()[-1],
            classroom=data["classroom"],
            status=STATUS_WORDS[data["status"]],
            session=str(SESSION_NAMES[data["session"]]).lower(),
            day=date.fromisoformat(data["day"]).strftime("%d/%m"),
        ),
        body=_("Tap to see the day in the contact book."),
        url=_child_url(data),
    )


def render_grade(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_(
            "%(name)s: new grade in %(subject)s", name=data["student_name"], subject=data["subject"]
        ),
        body=_("Open the grade book to see it."),
        url=_child_url(data),
    )


def render_grade_change(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_(
            "%(name)s: a grade in %(subject)s was changed",
            name=data["student_name"],
            subject=data["subject"],
        ),
        body=_("Open the grade book to see the change."),
        url=_child_url(data),
    )


def render_health_note(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_("%(name)s: health note from school", name=data["student_name"]),
        body=_("Please read it in the contact book."),
        url=_child_url(data),
    )


def render_comment(data: dict[str, Any]) -> RenderedNotification:
    title = (
        _("%(name)s was praised by a teacher", name=data["student_name"])
        if data["kind"] == "praise"
        else _("A teacher wrote about %(name)s", name=data["student_name"])
    )
    body = _("The teacher corrected this comment.") if data.get("corrected") else ""
    return RenderedNotification(title=title, body=body, url=_child_url(data))


def summary_line(line: dict[str, Any]) -> str:
    """ "Minh: có mặt, 2 điểm mới (Toán 8,5; Văn 7,0)": one child's day in one line.

    Lines other modules added (unread announcements) are worded by those modules.
    """
    if module_hooks.is_module_line(line):
        return module_hooks.render_summary_line(line)
    parts = []
    if line["absent"]:
        parts += [str(STATUS_WORDS[status]) for _session, status in line["absent"]]
    elif not line["late"]:
        parts.append(_("present"))
    if line["late"]:
        parts.append(str(STATUS_WORDS["late"]))
    if line["grades"]:
        parts.append(
            _(
                "%(count)d new grades (%(grades)s)",
                count=len(line["grades"]),
                grades=_grades(line["grades"]),
            )
        )
    # Summaries stored before corrections were told apart have no such key.
    if line.get("corrected"):
        parts.append(
            _(
                "%(count)d corrected grades (%(grades)s)",
                count=len(line["corrected"]),
                grades=_grades(line["corrected"]),
            )
        )
    if line["notes"]:
        parts.append(_("%(count)d health notes", count=line["notes"]))
    if line["praise"]:
        parts.append(_("praised by a teacher"))
    if line["concern"]:
        parts.append(_("a teacher's note"))
    return f"{line['name']}: {', '.join(parts)}"


def _grades(grades: list[list[Any]]) -> str:
    return "; ".join(
        f"{subject} {short_grade(tenths, rating)}" for subject, tenths, rating in grades
    )


def render_summary(data: dict[str, Any]) -> RenderedNotification:
    """The day's summary; sent again when news came after an early send, marked as an update."""
    day = date.fromisoformat(data["day"]).strftime("%d/%m")
    return RenderedNotification(
        title=_("Daily summary %(day)s (updated)", day=day)
        if data.get("update")
        else _("Daily summary %(day)s", day=day),
        body="\n".join(summary_line(line) for line in data["lines"]),
        url=url_for("classbook.summary", summary_id=data["summary_id"]),
    )


NOTIFICATIONS = (
    NotificationType(
        "classbook.absence_recorded", _l("Absences"), Urgency.NORMAL, render=render_attendance
    ),
    NotificationType("classbook.late_recorded", _l("Late arrivals"), render=render_attendance),
    NotificationType("classbook.grade_recorded", _l("New grades"), render=render_grade),
    NotificationType("classbook.grade_changed", _l("Changed grades"), render=render_grade_change),
    NotificationType("classbook.health_note_added", _l("Health notes"), render=render_health_note),
    NotificationType("classbook.comment_added", _l("Teachers' comments"), render=render_comment),
    NotificationType(
        "classbook.daily_summary", _l("Daily summary"), ttl_seconds=43200, render=render_summary
    ),
)

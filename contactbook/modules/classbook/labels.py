"""Words on screen for the contact book's stored values, translated when shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_SHORT = {
    "present": _l("Present"),
    "excused": _l("Excused (P)"),
    "unexcused": _l("Unexcused (K)"),
    "late": _l("Late arrival"),
}
# On the roll call buttons, where four must fit across a phone: teachers know P and K.
STATUS_BUTTONS = {
    "present": _l("Present"),
    "excused": _l("P"),
    "unexcused": _l("K"),
    "late": _l("Late"),
}
SESSION_NAMES = {"morning": _l("Morning"), "afternoon": _l("Afternoon")}
HEALTH_CATEGORIES = {
    "illness": _l("Illness"),
    "injury": _l("Injury"),
    "medication": _l("Medication given"),
    "temperature": _l("Temperature"),
    "nurse_visit": _l("Nurse visit"),
    "other": _l("Other"),
}
COMMENT_KINDS = {"praise": _l("Praise"), "concern": _l("Concern")}
# Monday first, as Vietnamese calendars are printed.
WEEKDAY_NAMES = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))
# One letter per marked day on the attendance calendar, so the colour is never the only sign.
STATUS_LETTERS = {"excused": _l("P"), "unexcused": _l("K"), "late": _l("L")}
TERM_NAMES = {"hk1": _l("Semester I"), "hk2": _l("Semester II")}


def template_labels() -> dict:
    return {
        "status_labels": STATUS_SHORT,
        "status_buttons": STATUS_BUTTONS,
        "session_names": SESSION_NAMES,
        "health_categories": HEALTH_CATEGORIES,
        "comment_kinds": COMMENT_KINDS,
        "term_names": TERM_NAMES,
        "weekday_names": WEEKDAY_NAMES,
    }

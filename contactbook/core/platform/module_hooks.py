"""Asking every loaded module at once: how modules meet through core instead of importing.

Each function gathers what the modules declared for one hook of the contract (see `Module`),
so the module asking never needs to know which other modules are loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from contactbook.core.platform.hook_data import ExcusedAbsence, ExpectedAbsence, PageLink, TermGap
from contactbook.core.platform.module_contract import registry

MODULE_KEY = "module"


def summary_lines(school: Any, day: date) -> dict[int, list[dict[str, Any]]]:
    """Guardian id -> every module's items for that family's daily summary of the day.

    Each item is tagged with the module that gave it, so `render_summary_line` can word it
    later in the reader's language: summaries store data, never words.
    """
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for module in registry().modules.values():
        if module.summary_lines is None:
            continue
        for guardian_id, items in module.summary_lines(school, day).items():
            found[guardian_id] += [{**item, MODULE_KEY: module.name} for item in items]
    return dict(found)


def is_module_line(item: dict[str, Any]) -> bool:
    """Whether a summary item came from a module's hook rather than from the summary's owner."""
    return MODULE_KEY in item


def render_summary_line(item: dict[str, Any]) -> str:
    """Word a module's summary item; an item of a module no longer loaded says nothing."""
    module = registry().modules.get(item.get(MODULE_KEY, ""))
    if module is None or module.render_summary_line is None:
        return ""
    return module.render_summary_line(item)


def expected_absences(classroom: Any, day: date) -> dict[int, ExpectedAbsence]:
    """Student id -> why and when the modules expect the pupil away from class that day."""
    found: dict[int, ExpectedAbsence] = {}
    for module in registry().modules.values():
        if module.expected_absences is None:
            continue
        for student_id, absence in module.expected_absences(classroom, day).items():
            earlier = found.get(student_id)
            found[student_id] = (
                absence
                if earlier is None
                else ExpectedAbsence(
                    earlier.sessions | absence.sessions, f"{earlier.reason}; {absence.reason}"
                )
            )
    return found


def excuse_absences(excused: ExcusedAbsence) -> None:
    """Tell every module that keeps absences that these sessions are now excused."""
    for module in registry().modules.values():
        if module.absence_excused is not None:
            module.absence_excused(excused)


def student_links(user: Any, student: Any) -> list[PageLink]:
    """Every loaded module's links about this pupil for this reader, in module order."""
    return [
        link
        for module in registry().modules.values()
        if module.student_links is not None
        for link in module.student_links(user, student)
    ]


def student_pages(user: Any, students: Sequence[Any]) -> dict[int, str]:
    """Student id -> the page standing for that pupil for this reader; the first module's wins.

    Pupils no module offers this reader a page for are left out: their names stay plain text.
    """
    found: dict[int, str] = {}
    for module in registry().modules.values():
        if module.student_pages is not None and students:
            for student_id, url in module.student_pages(user, students).items():
                found.setdefault(student_id, url)
    return found


def classroom_links(user: Any, classrooms: Sequence[Any]) -> dict[int, list[PageLink]]:
    """Class id -> every loaded module's links about it for this reader (roll call, grades...)."""
    found: dict[int, list[PageLink]] = {classroom.id: [] for classroom in classrooms}
    for module in registry().modules.values():
        if module.classroom_links is not None and classrooms:
            for classroom_id, links in module.classroom_links(user, classrooms).items():
                found[classroom_id] += links
    return found


def term_close_gaps(term: Any) -> list[TermGap]:
    """Everything the loaded modules still miss in a term, for the admin about to close it."""
    return [
        gap
        for module in registry().modules.values()
        for check in module.term_close_checks
        for gap in check(term)
    ]

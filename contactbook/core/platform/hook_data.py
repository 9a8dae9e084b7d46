"""What modules hand one another through core's hooks: plain values, no behaviour.

The module contract (`Module`) names the hooks; these are the shapes that travel through them,
kept apart so a module can build them without touching the loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PageLink:
    """A link one module offers on another module's page, already made for one reader.

    A page asks the registry (`module_hooks.student_links`) instead of naming an endpoint of a
    module that may not be loaded.
    """

    label: str
    url: str


@dataclass(frozen=True)
class TermGap:
    """Something a module still expects in a term about to close: shown to the admin first.

    Closing a term makes its records read-only, so whoever closes it sees what is missing
    (a grade column not yet entered for the whole class) and by whom it is owed.
    """

    teacher_name: str
    class_name: str
    subject_name: str
    column_label: str


# A module's check of a term before it closes: what it still misses (a core Term, taken as Any
# because the directory's tables sit above the platform).
TermCloseCheck = Callable[[Any], list[TermGap]]


@dataclass(frozen=True)
class ExpectedAbsence:
    """A pupil a module expects away on a school day (an approved leave request), and why.

    The roll call pre-fills these sessions as absent with leave, unless a mark was saved
    already, and shows the teacher the reason.
    """

    sessions: frozenset[str]
    reason: str


@dataclass(frozen=True)
class ExcusedAbsence:
    """A module excuses a pupil's absences after the fact (leave approved after the roll call).

    Modules that keep roll calls turn these sessions' "absent without leave" marks into
    "absent with leave", audited as the actor's change, in the caller's transaction.
    """

    actor: Any
    student_id: int
    sessions: tuple[tuple[date, str], ...]
    reason: str

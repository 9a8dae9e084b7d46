"""The app's navigation for one reader: the tab bar's destinations and the "More" sheet's.

Phones are held in one hand, so the few places a role goes most sit in a bar at the bottom of
every page, within reach of a thumb; everything else waits one tap away in the "More" sheet.
Which entries a user sees comes from the modules' menu declarations (`MenuItem`) and the
permissions they name, so a module adds a destination without touching the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, url_for
from sqlalchemy import ColumnElement, ScalarSelect, Select, select

from contactbook.core.directory.access import menu_for
from contactbook.core.directory.models import User
from contactbook.core.platform.module_contract import MenuItem
from contactbook.extensions import db

# Room for four of a role's destinations beside "More": five tabs still fit a 320 px screen.
TAB_SLOTS = 4
# The shell's own pages behind "More": the sheet as a page (without scripts), the password.
SHEET_ENDPOINTS = frozenset(
    {"core.more", "auth.change_password", "auth.sessions", "two_step.settings"}
)
BADGE_COUNTERS = "contactbook_menu_badges"

# A counter gives the query counting what waits at an entry, not the count: the shell asks all
# of a page's counters in one statement.
Counter = Callable[[Any], Select[Any]]


@dataclass(frozen=True)
class Destination:
    """One menu entry as this reader sees it: where it goes, what waits there, if it is here.

    `current` is "page" on the entry's own page and "true" elsewhere in its part of the app
    (the values of `aria-current`), empty otherwise.
    """

    label: str
    tab_label: str
    icon: str
    url: str
    count: int = 0
    current: str = ""


@dataclass(frozen=True)
class Navigation:
    """The tab bar's destinations and the rest, for the "More" sheet."""

    tabs: list[Destination] = field(default_factory=list)
    more: list[Destination] = field(default_factory=list)
    on_sheet_page: bool = False

    @property
    def more_count(self) -> int:
        """What waits behind "More", so a badge there is not missed."""
        return sum(destination.count for destination in self.more)

    @property
    def more_current(self) -> bool:
        """Whether the reader is somewhere "More" leads to."""
        return self.on_sheet_page or any(destination.current for destination in self.more)


def add_badge_counter(app: Flask, endpoint: str, counter: Counter) -> None:
    """Count what waits at a core page's menu entry (a module gives `MenuItem.badge` instead).

    Core declares its menu below the rooms that hold the counts (the inbox), so those rooms
    hand their counter in here at start-up. Like a module's badge, the counter gives a query
    selecting one count.
    """
    app.extensions.setdefault(BADGE_COUNTERS, {})[endpoint] = counter


def navigation_for(user: User, endpoint: str | None) -> Navigation:
    """The reader's destinations in menu order, split into tab bar and sheet, current marked.

    Two entries leading to the same page (a teacher who is also a parent) are one destination.
    """
    items = _menu_items(user)
    on_sheet_page = endpoint in SHEET_ENDPOINTS
    here = None if on_sheet_page else _current_endpoint(endpoint, [i.endpoint for i in items])
    count_of = _badges_of_this_request(user)
    destinations = []
    for item in items:
        current = ""
        if item.endpoint == here:
            current = "page" if item.endpoint == endpoint else "true"
        destinations.append(
            Destination(
                label=str(item.label),
                tab_label=str(item.short_label or item.label),
                icon=item.icon,
                url=url_for(item.endpoint),
                count=count_of.get(item.endpoint, 0),
                current=current,
            )
        )
    return Navigation(destinations[:TAB_SLOTS], destinations[TAB_SLOTS:], on_sheet_page)


def read_with_badges(
    user: User, columns: Sequence[ColumnElement[Any] | ScalarSelect[Any]]
) -> tuple[list[Any], dict[str, int]]:
    """Read some values in the same statement as the reader's menu badges.

    A conditional GET names what a page is made of before the page is built; the badges are part
    of what the reader sees, so they belong to that answer too. Read together, they cost one
    round trip, and the page's menu then shows these counts instead of asking again.
    Returns the values asked for, in order, and the count at each badged endpoint.
    """
    sources = _badge_sources(user)
    if not columns and not sources:
        counts: dict[str, int] = {}
        g.contactbook_badges = (user.id, counts)
        return [], counts
    row = db.session.execute(
        select(*columns, *(counter(user).scalar_subquery() for _endpoint, counter in sources))
    ).one()
    values = list(row)
    counts = {
        endpoint: count or 0
        for (endpoint, _counter), count in zip(sources, values[len(columns) :], strict=True)
    }
    g.contactbook_badges = (user.id, counts)
    return values[: len(columns)], counts


def badges_token(badges: dict[str, int]) -> str:
    """The menu's counts as text, for a page's change stamp: a new count is a new page."""
    return ",".join(f"{endpoint}={count}" for endpoint, count in sorted(badges.items()))


def _badges_of_this_request(user: User) -> dict[str, int]:
    """The badge counts this request has read already, or read now."""
    read = g.get("contactbook_badges")
    if read is not None and read[0] == user.id:
        return read[1]
    return read_with_badges(user, [])[1]


def _menu_items(user: User) -> list[MenuItem]:
    """The reader's menu entries in order, one per endpoint."""
    items, seen = [], set()
    for item in sorted(menu_for(user), key=lambda item: item.order):
        if item.endpoint not in seen:
            seen.add(item.endpoint)
            items.append(item)
    return items


def _badge_sources(user: User) -> list[tuple[str, Counter]]:
    """Each badged entry of the reader's menu with the counter of what waits there."""
    counters: Mapping[str, Counter] = current_app.extensions.get(BADGE_COUNTERS, {})
    return [
        (item.endpoint, item.badge or counters[item.endpoint])
        for item in _menu_items(user)
        if item.badge or item.endpoint in counters
    ]


def _current_endpoint(endpoint: str | None, endpoints: list[str]) -> str | None:
    """The entry a page belongs to: its own, else the first of its blueprint, else of its module.

    Blueprints are named after their module (`messaging_leave`), so a page of a module with no
    entry of its own blueprint (`schooladmin_structure`) still lights up its module's entry.
    """
    if endpoint is None or endpoint in endpoints:
        return endpoint
    for part in (_blueprint, _module):
        found = [entry for entry in endpoints if part(entry) == part(endpoint)]
        if found:
            return found[0]
    return None


def _blueprint(endpoint: str) -> str:
    return endpoint.partition(".")[0]


def _module(endpoint: str) -> str:
    return _blueprint(endpoint).partition("_")[0]

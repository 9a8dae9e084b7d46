"""The module contract: what a module declares, and how the app finds, checks and loads it.

Not quite 400 lines on purpose: what a module declares, the loader that checks it and
core's own declaration are one contract and read best together; the values that travel
through the hooks live in `hook_data.py`, asking every module in `module_hooks.py`, and what
start-up reads in a module's own code (its tables, its imports) in `module_checks.py`.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from random import Random
from typing import Any

import flask
import flask_smorest
from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from contactbook.config import ConfigError
from contactbook.core.platform import i18n, module_checks
from contactbook.core.platform.api import api_of
from contactbook.core.platform.hook_data import (
    ExcusedAbsence,
    ExpectedAbsence,
    PageLink,
    TermCloseCheck,
)
from contactbook.core.platform.module_branches import branch_problem
from contactbook.core.platform.reports import Report


class Urgency(enum.StrEnum):
    """How soon news must reach people; the Web Push `Urgency` header takes the same words.

    High news ignores families' choices and quiet hours.
    """

    NORMAL = "normal"
    HIGH = "high"


class Role(enum.StrEnum):
    DISTRICT_ADMIN = "district_admin"
    SCHOOL_ADMIN = "school_admin"
    TEACHER = "teacher"
    NURSE = "nurse"
    GUARDIAN = "guardian"


ENTRY_POINT_GROUP = "contactbook.modules"
BUILTIN_PACKAGE = module_checks.BUILTIN_PACKAGE


class ModuleError(ConfigError):
    """A module is missing or breaks the contract; start-up stops, saying why in one line.

    A kind of `ConfigError`, so the `flask` command and wsgi.py print the sentence alone and
    exit, rather than a traceback that buries it.
    """

    def __init__(self, problem: str) -> None:
        super().__init__([problem])


@dataclass(frozen=True)
class Permission:
    """What a user may do, and the rule `access.require` enforces before a service acts.

    A role in `roles` held at the object's school grants the permission there; `where` narrows a
    role to the objects meeting its condition, `condition(user, obj)` (a teacher, for instance,
    only in the classes they teach). The menu shows an entry to holders of a role anywhere.
    """

    key: str
    label: str
    roles: frozenset[Role] = frozenset()
    where: Mapping[Role, Callable[[Any, Any], bool]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class MenuItem:
    """An entry of the menu; `badge(user)` gives the query counting what waits there, if given.

    The badge is a query (a SELECT of one count), not a number: the shell runs all of a page's
    badges together in one statement.

    A phone's tab bar has room for four of a user's entries beside "More": those with the
    lowest `order`; the rest sit in the "More" sheet. `icon` names a symbol of
    pwa/icons/sprite.svg; `short_label` is the word that fits under it in the tab bar.
    """

    label: str
    endpoint: str
    permission: str
    badge: Callable[[Any], Select[Any]] | None = None
    icon: str = "dot"
    order: int = 50
    short_label: str | None = None


@dataclass(frozen=True)
class PublicLink:
    """A link a module shows to people who are not signed in, e.g. under the sign-in form.

    Core's sign-in page lists these, so it can point to a module's pages without importing it.
    """

    label: str
    endpoint: str


@dataclass(frozen=True)
class Job:
    key: str
    func: Callable[[], None]
    cron: str


@dataclass(frozen=True)
class RenderedNotification:
    title: str
    body: str
    url: str


@dataclass(frozen=True)
class NotificationType:
    """An event a module may notify about; `render` turns its stored data into words."""

    key: str
    title: str
    urgency: Urgency = Urgency.NORMAL
    ttl_seconds: int = 86400
    render: Callable[[dict[str, Any]], RenderedNotification] | None = None

    def __post_init__(self) -> None:
        # An unknown urgency fails where it is declared, not when the first news is sent.
        object.__setattr__(self, "urgency", Urgency(self.urgency))


@dataclass(frozen=True)
class DemoSeed:
    """What `flask demo` has built (flushed, with ids) for modules to add their own records to."""

    rows: Sequence[object]
    featured_students: Sequence[Any]
    rng: Random


@dataclass(frozen=True)
class Module:
    """What one module contributes; the hooks at the end let modules meet without imports.

    `summary_lines(school, day)` gives, per guardian id, data items (JSON-ready dicts) for that
    family's daily summary, and `render_summary_line(item)` words one in the reader's language.
    `expected_absences(classroom, day)` names pupils expected away that day (student id ->
    `ExpectedAbsence`); `absence_excused(excused)` is called when another module excuses
    absences already recorded. `student_links(user, student)` offers links about a pupil for
    the pupil's page, only those this reader may follow. Core's pages stand for things a
    module shows: `student_pages(user, students)` gives, per student id, the page that stands
    for that pupil for this reader (home's child cards and a class list's names open it), and
    `classroom_links(user, classrooms)` gives, per class id, what of each class this reader
    opens from its card and page. Both take every item of a page at once, so a module answers
    a list in a fixed number of queries however long it is. Home is kept until the school
    directory or the reader's badges change (see `conditional.py`), so what these two give may
    depend on the directory (schools, classes, subjects, who teaches what), never on records.
    `migrations` is the absolute path of the module's own Alembic branch (see module_branches.py).
    """

    name: str
    title: str
    blueprints: tuple[flask.Blueprint, ...] = ()
    permissions: tuple[Permission, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    signin_links: tuple[PublicLink, ...] = ()
    jobs: tuple[Job, ...] = ()
    notifications: tuple[NotificationType, ...] = ()
    # Absolute path of the module's catalogues, laid out like contactbook/translations.
    translations: str | None = None
    init_app: Callable[[Flask], None] | None = None
    demo: Callable[[DemoSeed], dict[str, int]] | None = None
    reports: tuple[Report, ...] = ()
    term_close_checks: tuple[TermCloseCheck, ...] = ()
    summary_lines: Callable[[Any, date], Mapping[int, list[dict[str, Any]]]] | None = None
    render_summary_line: Callable[[dict[str, Any]], str] | None = None
    expected_absences: Callable[[Any, date], Mapping[int, ExpectedAbsence]] | None = None
    absence_excused: Callable[[ExcusedAbsence], None] | None = None
    student_links: Callable[[Any, Any], list[PageLink]] | None = None
    student_pages: Callable[[Any, Sequence[Any]], Mapping[int, str]] | None = None
    classroom_links: Callable[[Any, Sequence[Any]], Mapping[int, list[PageLink]]] | None = None
    migrations: str | None = None


@dataclass
class Registry:
    """What the loaded modules declared, for menus, access checks, notify and the scheduler."""

    modules: dict[str, Module] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)
    notification_types: dict[str, NotificationType] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    menu: list[MenuItem] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)
    signin_links: list[PublicLink] = field(default_factory=list)

    def add(self, module: Module) -> None:
        self.modules[module.name] = module
        _add_unique(self.permissions, module.permissions, "permission")
        _add_unique(self.notification_types, module.notifications, "notification type")
        _add_unique(self.jobs, module.jobs, "job")
        _add_unique(self.reports, module.reports, "report")
        self.menu.extend(module.menu)
        self.signin_links.extend(module.signin_links)


def registry(app: Flask | None = None) -> Registry:
    """Return the registry of the given app, or of the current one."""
    return (app or flask.current_app).extensions["contactbook"]


def load_modules(app: Flask, core: Iterable[Module] = ()) -> None:
    """Load the core declarations, then every module named in CONTACTBOOK_MODULES, in order."""
    found = Registry()
    app.extensions["contactbook"] = found
    for module in core:
        found.add(module)
    for name in app.config["MODULES"]:
        if name in found.modules:
            raise ModuleError(f"Module {name!r} is listed twice in CONTACTBOOK_MODULES.")
        module, package = resolve_module(name)
        _check_contract(module, name, package)
        found.add(module)
        _register_blueprints(app, module)
        if module.translations:
            i18n.add_translations(app, module.translations)
        if module.init_app:
            module.init_app(app)
    _check_menu_permissions(found)


def resolve_module(name: str) -> tuple[Module, str]:
    """Find a module by name: built in first, then an installed entry point.

    An installed module may import only core, never a built-in module or another installed
    one: modules meet through core's hooks, so each can be turned off alone.
    """
    try:
        source = importlib.import_module(f"{BUILTIN_PACKAGE}.{name}.module")
        return source.module, f"{BUILTIN_PACKAGE}.{name}"
    except ModuleNotFoundError as error:
        if error.name not in {f"{BUILTIN_PACKAGE}.{name}", f"{BUILTIN_PACKAGE}.{name}.module"}:
            raise
    installed = entry_points(group=ENTRY_POINT_GROUP)
    matches = [entry_point for entry_point in installed if entry_point.name == name]
    if not matches:
        raise ModuleError(
            f"Module {name!r} is listed in CONTACTBOOK_MODULES but is neither built in nor "
            f"installed (no entry point {name!r} in group {ENTRY_POINT_GROUP!r})."
        )
    module, package = matches[0].load(), module_checks.package_of(matches[0])
    others = [module_checks.package_root(other) for other in installed if other.name != name]
    if imports := module_checks.foreign_imports(package, others):
        raise ModuleError(
            f"Module {name!r} imports another module ({'; '.join(imports)}); "
            "modules meet only through core."
        )
    return module, package


def _check_contract(module: object, name: str, package: str) -> None:
    """Refuse a module whose names could collide with another's."""
    if not isinstance(module, Module):
        raise ModuleError(f"Module {name!r} does not provide a Module declaration.")
    if module.name != name:
        raise ModuleError(f"Module listed as {name!r} declares itself as {module.name!r}.")
    keyed = [
        *(("permission", item.key) for item in module.permissions),
        *(("notification type", item.key) for item in module.notifications),
        *(("job", item.key) for item in module.jobs),
        *(("report", item.key) for item in module.reports),
        *(("menu endpoint", item.endpoint) for item in module.menu),
        *(("sign-in link endpoint", item.endpoint) for item in module.signin_links),
    ]
    for kind, key in keyed:
        if not key.startswith(f"{name}.") and not key.startswith(f"{name}_"):
            raise ModuleError(f"Module {name!r}: {kind} {key!r} must start with '{name}.'.")
    for blueprint in module.blueprints:
        if blueprint.name != name and not blueprint.name.startswith(f"{name}_"):
            raise ModuleError(
                f"Module {name!r}: blueprint {blueprint.name!r} must be named '{name}' "
                f"or start with '{name}_'."
            )
    for table in module_checks.tables_of(package):
        if not table.startswith(f"{name}_"):
            raise ModuleError(f"Module {name!r}: table {table!r} must start with '{name}_'.")
    if module.migrations and (problem := branch_problem(name, module.migrations)):
        raise ModuleError(f"Module {name!r}: {problem}")
    translations = Path(module.translations or ".")
    if module.translations and not (translations.is_absolute() and (translations / "vi").is_dir()):
        raise ModuleError(
            f"Module {name!r}: translations {module.translations!r} has no 'vi' catalogue; "
            "give the absolute path of a folder laid out like contactbook/translations."
        )


def _check_menu_permissions(found: Registry) -> None:
    """Refuse a menu entry naming a permission no loaded module declares.

    Every signed-in page draws the menu, so such an entry would break them all.
    """
    for module in found.modules.values():
        for item in module.menu:
            if item.permission not in found.permissions:
                raise ModuleError(
                    f"Module {module.name!r}: menu entry {item.endpoint!r} names the unknown "
                    f"permission {item.permission!r}; declare it in a loaded module's "
                    "permissions."
                )


def _register_blueprints(app: Flask, module: Module) -> None:
    """Mount pages under /<name> and the JSON API under /api/<name>."""
    for blueprint in module.blueprints:
        if isinstance(blueprint, flask_smorest.Blueprint):
            api_of(app).register_blueprint(blueprint, url_prefix=f"/api/{module.name}")
        else:
            app.register_blueprint(blueprint, url_prefix=f"/{module.name}")


def _add_unique(target: dict, items: Iterable, kind: str) -> None:
    for item in items:
        if item.key in target:
            raise ModuleError(f"Two modules declare the {kind} {item.key!r}.")
        target[item.key] = item


# Core's own declaration, loaded before every module.
ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE})
ADMIN_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN})


def render_test(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_("Notifications are on"),
        body=_("This device will show news from school, %(name)s.", name=data["name"]),
        url=url_for("push.settings"),
    )


core_module = Module(
    name="core",
    title="Core",
    permissions=(
        Permission("core.home.view", "See the home page", ALL_ROLES),
        Permission("core.classes.view", "See class lists", STAFF_ROLES),
        Permission("core.deliveries.manage", "Retry news that could not be delivered", ADMIN_ROLES),
    ),
    menu=(
        MenuItem(_l("Home"), "core.home", "core.home.view", icon="home", order=0),
        MenuItem(_l("Inbox"), "inbox.inbox", "core.home.view", icon="bell", order=30),
        MenuItem(_l("Notifications"), "push.settings", "core.home.view", icon="sliders", order=80),
        MenuItem(
            _l("Delivery problems"),
            "inbox.dead_deliveries",
            "core.deliveries.manage",
            icon="alert",
            order=90,
        ),
    ),
    notifications=(
        NotificationType("core.test", _l("Test notification"), Urgency.HIGH, 300, render_test),
    ),
)

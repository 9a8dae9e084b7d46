"""An outside module with its own Vietnamese catalogue, guarded pages and a summary line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import flask_smorest
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from contactbook.core.directory import School, permission_required, recipients
from contactbook.core.platform import (
    MenuItem,
    Module,
    NotificationType,
    Permission,
    RenderedNotification,
    Role,
)

pages = Blueprint("bulletin", __name__)
api = flask_smorest.Blueprint("bulletin_api", __name__, description="Bulletin API")


@pages.get("/")
@login_required
def board() -> str:
    return f"<h1>{_('Bulletin board')}</h1>"


@pages.get("/drafts")
@permission_required("bulletin.posts.write")
def drafts() -> str:
    return f"<h1>{_('Bulletin drafts')}</h1>"


@api.route("/drafts")
@api.response(200)
@permission_required("bulletin.posts.write")
def draft_list() -> dict[str, list[str]]:
    return {"drafts": ["Họp phụ huynh"]}


def render_posted(data: dict[str, Any]) -> RenderedNotification:
    return RenderedNotification(
        title=_("New bulletin post"),
        body=_("%(title)s is on the bulletin board.", title=data["title"]),
        url=url_for("bulletin.board"),
    )


def summary_lines(school: School, day: date) -> dict[int, list[dict[str, Any]]]:
    """One line for every family of the school: the posts of the day."""
    return {guardian.id: [{"posts": 2}] for guardian in recipients.guardians(schools=[school.id])}


def render_summary_line(item: dict[str, Any]) -> str:
    return _("%(count)s new bulletin posts", count=item["posts"])


module = Module(
    name="bulletin",
    title="Bulletin",
    blueprints=(pages, api),
    permissions=(
        Permission("bulletin.posts.read", "Read the bulletin", frozenset({Role.TEACHER})),
        Permission("bulletin.posts.write", "Write posts", frozenset({Role.SCHOOL_ADMIN})),
    ),
    menu=(
        MenuItem(_l("Bulletin"), "bulletin.board", "bulletin.posts.read"),
        MenuItem(_l("Bulletin"), "bulletin.board", "bulletin.posts.write", order=60),
    ),
    notifications=(
        NotificationType("bulletin.posted", _l("New bulletin post"), render=render_posted),
    ),
    translations=str(Path(__file__).parent / "translations"),
    summary_lines=summary_lines,
    render_summary_line=render_summary_line,
)

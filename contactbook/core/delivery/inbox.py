"""The in-app inbox: every notification, unread counts, mark read; dead deliveries for admins."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, render_template
from flask_login import current_user, login_required
from flask_smorest import Blueprint as ApiBlueprint
from sqlalchemy import Select, func, select, update

from contactbook.core.delivery.models import Delivery, DeliveryStatus, Notification
from contactbook.core.directory import access
from contactbook.core.directory.models import Student
from contactbook.core.directory.navigation import add_badge_counter
from contactbook.core.platform import audit
from contactbook.core.platform.api import api_of
from contactbook.core.platform.audit import CoreAction
from contactbook.core.platform.module_contract import registry
from contactbook.core.platform.records import utcnow
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import db

INBOX_SIZE = 100
SHOWN_EVENTS = "contactbook_shown_events"

pages = Blueprint("inbox", __name__)
api = ApiBlueprint("core_inbox", __name__, description="Inbox and deliveries")


def init_app(app: Flask) -> None:
    """Register the inbox pages and API, and count unread news for the menu's badge."""
    app.register_blueprint(pages)
    api_of(app).register_blueprint(api, url_prefix="/api/core")
    add_badge_counter(app, "inbox.inbox", lambda user: unread_query(user.id))


def unread_count(user_id: int) -> int:
    """Count what the badge shows: unread news, not counting news a newer one replaced."""
    return db.session.scalar(unread_query(user_id))


def unread_query(user_id: int) -> Select[tuple[int]]:
    """The query counting unread news, for the menu's badge and the inbox's heading.

    News of a module turned off is not counted: the inbox cannot word it, so it shows none.
    """
    return (
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.replaced_at.is_(None),
            Notification.event.in_(shown_events()),
        )
    )


def shown_events() -> list[str]:
    """The events the inbox can word: those of loaded modules that give a `render`.

    Every page's badge asks; the modules are loaded once, so the list is made once per app.
    """
    if (events := current_app.extensions.get(SHOWN_EVENTS)) is None:
        types = registry().notification_types
        events = sorted(key for key, kind in types.items() if kind.render)
        current_app.extensions[SHOWN_EVENTS] = events
    return events


@pages.get("/inbox")
@login_required
def inbox() -> str:
    """The user's notifications, newest first, worded in the reader's language."""
    rows = db.session.scalars(
        select(Notification)
        .where(
            Notification.user_id == current_user.id,
            Notification.replaced_at.is_(None),
            Notification.event.in_(shown_events()),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(INBOX_SIZE)
    ).all()
    types = registry().notification_types
    entries = [
        (row, types[row.event].render(row.data | {"student_id": row.student_id})) for row in rows
    ]
    return render_template(
        "core/inbox.html", entries=entries, unread_count=unread_count(current_user.id)
    )


@api.route("/inbox/<int:notification_id>/read", methods=["POST"])
@api.response(204)
@login_required
def mark_read(notification_id: int) -> None:
    """Mark a notification read as its link is opened (first time kept); another's is a 404."""
    with atomic():
        changed = db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.user_id == current_user.id)
            .values(read_at=func.coalesce(Notification.read_at, utcnow()))
        ).rowcount
    if not changed:
        abort(404)


@api.route("/inbox/read-all", methods=["POST"])
@api.response(204)
@login_required
def mark_all_read() -> None:
    """Mark everything read: the inbox's "Mark all as read" button, to clear the badge at once."""
    with atomic():
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )


def _dead_for_admin() -> Select:
    """Dead deliveries about students of the schools the user administers; news that a newer
    notification replaced is not worth retrying."""
    schools = access.managed_school_ids(current_user)
    return (
        select(Delivery)
        .join(Notification, Delivery.notification_id == Notification.id)
        .join(Student, Notification.student_id == Student.id)
        .where(Delivery.status == DeliveryStatus.DEAD, Student.school_id.in_(schools))
        .where(Notification.replaced_at.is_(None))
    )


@pages.get("/admin/deliveries")
@login_required
def dead_deliveries() -> str:
    """Page where school admins see sends that gave up, to retry them; a 404 for anyone else."""
    rows = db.session.scalars(_dead_for_admin().order_by(Delivery.id.desc()).limit(200)).all()
    if not rows and not db.session.scalar(select(access.managed_school_ids(current_user).exists())):
        abort(404)
    return render_template("core/deliveries.html", deliveries=rows)


@api.route("/deliveries/<int:delivery_id>/retry", methods=["POST"])
@api.response(204)
@login_required
def retry_delivery(delivery_id: int) -> None:
    """Give a dead delivery a fresh set of tries."""
    with atomic():
        delivery = access.get_visible_or_404(_dead_for_admin(), Delivery, delivery_id)
        audit.record(
            current_user,
            CoreAction.DELIVERY_RETRY,
            delivery,
            before={"status": "dead", "error": delivery.last_error},
            after={"status": "pending"},
        )
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = utcnow()

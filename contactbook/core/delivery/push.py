"""Turning notifications on: device subscriptions, per-event choices, quiet hours, a test push."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import marshmallow as ma
from flask import Blueprint, Flask, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort
from marshmallow import fields, validate
from sqlalchemy import select

from contactbook.core.delivery.models import NotificationPreference, PushSubscription
from contactbook.core.delivery.notify import MODES, NOW, notify
from contactbook.core.delivery.push_services import Refusal, push_services
from contactbook.core.delivery.vapid import has_key, public_key
from contactbook.core.directory import access
from contactbook.core.directory.models import User
from contactbook.core.platform import audit
from contactbook.core.platform.api import api_of
from contactbook.core.platform.audit import CoreAction
from contactbook.core.platform.errors import Invalid
from contactbook.core.platform.module_contract import NotificationType, Urgency, registry
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import db

pages = Blueprint("push", __name__)
api = ApiBlueprint("core_push", __name__, description="Web Push subscriptions and choices")


def init_app(app: Flask) -> None:
    """Register the push pages and API, refusing to start on a bad push services setting."""
    push_services(app.config)  # a malformed CONTACTBOOK_PUSH_SERVICE_HOSTS stops start-up
    app.register_blueprint(pages)
    api_of(app).register_blueprint(api, url_prefix="/api/core")


def choosable_events() -> list[NotificationType]:
    """Event types a family may route: urgent ones always arrive at once."""
    return [t for t in registry().notification_types.values() if t.urgency != Urgency.HIGH]


@pages.get("/notifications")
@login_required
def settings() -> str:
    """Page where a user turns notifications on per device and chooses when each kind arrives."""
    devices = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == current_user.id)
        .order_by(PushSubscription.created_at)
    ).all()
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.event, NotificationPreference.mode).where(
                NotificationPreference.user_id == current_user.id
            )
        ).all()
    )
    return render_template(
        "core/notifications.html",
        devices=devices,
        events=choosable_events(),
        chosen=chosen,
        default_mode=NOW,
        vapid_public_key=public_key(current_app) if has_key(current_app) else None,
    )


def _decoded(text: str) -> bytes:
    """Read browser base64url (no padding), or refuse it as a field error."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ma.ValidationError("Not base64url.") from error


class KeysIn(ma.Schema):
    """A browser's push keys, checked on the way in: a bad key would fail every send to it."""

    p256dh = fields.String(required=True, validate=validate.Length(max=200))
    auth = fields.String(required=True, validate=validate.Length(max=100))

    @ma.validates("p256dh")
    def _point(self, value: str, **_kwargs: Any) -> None:
        raw = _decoded(value)
        if len(raw) != 65 or raw[0] != 4:
            raise ma.ValidationError("Not an uncompressed P-256 public key.")

    @ma.validates("auth")
    def _secret(self, value: str, **_kwargs: Any) -> None:
        if len(_decoded(value)) != 16:
            raise ma.ValidationError("The auth secret must be 16 bytes.")


class SubscriptionIn(ma.Schema):
    """A browser's PushSubscription (endpoint and keys) and the name the user gives the device."""

    endpoint = fields.Url(required=True, schemes={"https", "http"}, require_tld=False)
    keys = fields.Nested(KeysIn, required=True)
    label = fields.String(load_default="", validate=validate.Length(max=100))


class SubscriptionOut(ma.Schema):
    """A stored device as its owner sees it: the keys and endpoint stay on the server."""

    id = fields.Integer()
    label = fields.String()
    created_at = fields.AwareDateTime()
    last_success_at = fields.AwareDateTime(allow_none=True)


class PreferencesIn(ma.Schema):
    """Choices per event type and quiet hours; whatever is left out keeps its stored value."""

    events = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(MODES)))
    quiet_start = fields.Time(load_default=None, allow_none=True)
    quiet_end = fields.Time(load_default=None, allow_none=True)


def _check_endpoint(endpoint: str) -> None:
    """Store only endpoints on the browsers' push services: the worker connects to them."""
    refusal = push_services(current_app.config).check(endpoint)
    if refusal is Refusal.PLAIN_HTTP:
        raise Invalid({"endpoint": [_("A push endpoint must use https.")]})
    if refusal is Refusal.UNKNOWN_SERVICE:
        raise Invalid(
            {
                "endpoint": [
                    _(
                        "This browser's push service is not recognised. Use Chrome, Edge, "
                        "Firefox or Safari to turn on notifications."
                    )
                ]
            }
        )


class VapidKeyOut(ma.Schema):
    """The server's public VAPID key, which a browser needs before it can subscribe."""

    public_key = fields.String()


class QueuedOut(ma.Schema):
    """The test push is queued for the worker, not sent yet: a 202 is all the request can say."""

    queued = fields.Boolean()


@api.route("/push/key", methods=["GET"])
@api.response(200, VapidKeyOut)
@api.alt_response(503, description="No VAPID key on this server: push is not set up.")
@login_required
def vapid_key() -> dict[str, str]:
    """Give the browser the key to subscribe with; a 503 says push is not set up here."""
    if not has_key(current_app):
        abort(
            503,
            message=_("Notifications to phones are not set up on this server yet (no VAPID key)."),
        )
    return {"public_key": public_key(current_app)}


@api.route("/push/subscriptions", methods=["POST"])
@api.arguments(SubscriptionIn)
@api.response(201, SubscriptionOut)
@login_required
def subscribe(payload: dict[str, Any]) -> PushSubscription:
    """Store this device; the same endpoint again moves to whoever signed in on it last."""
    _check_endpoint(payload["endpoint"])
    with atomic():
        device = db.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == payload["endpoint"])
        )
        if device is None:
            device = PushSubscription(endpoint=payload["endpoint"])
            db.session.add(device)
        device.user_id = current_user.id
        device.p256dh = payload["keys"]["p256dh"]
        device.auth = payload["keys"]["auth"]
        device.label = payload["label"]
        db.session.flush()
        audit.record(current_user, CoreAction.PUSH_SUBSCRIBE, device, after={"label": device.label})
    return device


@api.route("/push/subscriptions/<int:subscription_id>", methods=["DELETE"])
@api.response(204)
@login_required
def unsubscribe(subscription_id: int) -> None:
    """Stop pushing to one of the user's devices; someone else's device looks missing."""
    with atomic():
        device = access.get_visible_or_404(
            select(PushSubscription).where(PushSubscription.user_id == current_user.id),
            PushSubscription,
            subscription_id,
        )
        audit.record(
            current_user, CoreAction.PUSH_UNSUBSCRIBE, device, before={"label": device.label}
        )
        db.session.delete(device)


@api.route("/push/test", methods=["POST"])
@api.response(202, QueuedOut)
@login_required
def send_test() -> dict[str, bool]:
    """Send the user a notification of their own, to check a device end to end."""
    with atomic():
        user = db.session.get(User, current_user.id)
        notify([user], "core.test", urgency=Urgency.HIGH, name=user.display_name)
    return {"queued": True}


@api.route("/preferences", methods=["PUT"])
@api.arguments(PreferencesIn)
@api.response(204)
@login_required
def save_preferences(payload: dict[str, Any]) -> None:
    """Store the user's choices and quiet hours; urgent event types are not theirs to route."""
    known = {event.key for event in choosable_events()}
    unknown = sorted(set(payload.get("events", {})) - known)
    if unknown:
        raise Invalid({"events": [_("Unknown event types: %(names)s", names=", ".join(unknown))]})
    with atomic():
        for event, mode in payload.get("events", {}).items():
            row = db.session.scalar(
                select(NotificationPreference).where(
                    NotificationPreference.user_id == current_user.id,
                    NotificationPreference.event == event,
                )
            )
            if row is None:
                row = NotificationPreference(user_id=current_user.id, event=event)
                db.session.add(row)
            row.mode = mode
        user = db.session.get(User, current_user.id)
        if payload["quiet_start"] is not None:
            user.quiet_start = payload["quiet_start"]
        if payload["quiet_end"] is not None:
            user.quiet_end = payload["quiet_end"]
        audit.record(
            current_user,
            CoreAction.PREFERENCES,
            user,
            after={
                "events": payload.get("events", {}),
                "quiet": [str(user.quiet_start), str(user.quiet_end)],
            },
        )

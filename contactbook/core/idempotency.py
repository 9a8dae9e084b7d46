"""Idempotency-Key on API writes: a same-user replay gets the first answer, writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import jsonify, make_response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from contactbook.core.models import IdempotencyRecord
from contactbook.core.transactions import atomic
from contactbook.extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data())
    return digest.hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view and store its answer in the same transaction as its writes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if not key:
            return view(*args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            abort(400, message=str(_l("The Idempotency-Key header is too long.")))
        fingerprint = _fingerprint()
        first = db.session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == current_user.id, IdempotencyRecord.key == key
            )
        )
        if first is not None:
            if first.request_hash != fingerprint:
                abort(
                    422,
                    message=str(_l("This Idempotency-Key was already used for another request.")),
                )
            replay = jsonify(first.body)
            replay.status_code = first.status_code
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        with atomic():
            response = make_response(view(*args, **kwargs))
            if response.status_code < 300:
                db.session.add(
                    IdempotencyRecord(
                        user_id=current_user.id,
                        key=key,
                        request_hash=fingerprint,
                        status_code=response.status_code,
                        body=response.get_json(),
                    )
                )
        return response

    return wrapper

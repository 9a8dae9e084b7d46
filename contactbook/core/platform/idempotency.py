"""Idempotency-Key on API writes: a same-user repeat gets the first answer and writes nothing.

The key is claimed before the view runs, by inserting its record in the request's own
transaction; the answer is filled in before that transaction commits. A repeat sent while the
first request is still running therefore waits for it on the unique (user, key) row: on
PostgreSQL its INSERT blocks until the first commits and then finds the key taken; on SQLite
`BEGIN IMMEDIATE` has already queued the whole request behind the first. Either way the repeat
replays the first answer: simultaneous retries write once, and none of them fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import IO, Any

from flask import Response, jsonify, make_response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.core.platform.database import conflict_insert
from contactbook.core.platform.records import UtcDateTime, utcnow
from contactbook.core.platform.transactions import atomic
from contactbook.extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100
# The status of a claimed key whose answer is not known yet; never committed.
PENDING = 0


class IdempotencyRecord(db.Model):
    """The first answer to a write sent with an Idempotency-Key, replayed for repeats."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _canonical_body() -> bytes:
    """The body as compared between repeats: JSON by its parsed value, a form by its fields and
    files, anything else as sent."""
    if request.mimetype in FORM_TYPES:
        return _canonical_form()
    raw = request.get_data()
    if not request.is_json:
        return raw
    try:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        return raw


def _canonical_form() -> bytes:
    """A form as parsed (its body was read once, by the parser): fields sorted by name, and
    each file by field name, file name and SHA-256 of its content. A browser's retry sends the
    same form with a new multipart boundary, and must match; a field's values keep their order.
    """
    fields = sorted(request.form.lists())
    files = sorted(
        (name, [(upload.filename or "", _sha256(upload.stream)) for upload in uploads])
        for name, uploads in request.files.lists()
    )
    return json.dumps({"fields": fields, "files": files}, separators=(",", ":")).encode()


def _sha256(stream: IO[bytes]) -> str:
    """The content's digest, leaving the stream where the view will start reading it."""
    start = stream.tell()
    digest = hashlib.file_digest(stream, "sha256").hexdigest()
    stream.seek(start)
    return digest


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(_canonical_body())
    return digest.hexdigest()


def _stored(key: str) -> IdempotencyRecord | None:
    return db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == current_user.id, IdempotencyRecord.key == key
        )
    )


def _claim(key: str, fingerprint: str) -> tuple[int | None, IdempotencyRecord | None]:
    """Reserve the key for this request: (its pending record's id, None), or, when an earlier
    request has answered under it, (None, that request's record).

    One INSERT ... ON CONFLICT DO NOTHING: a simultaneous request holding the key makes it wait
    until that request commits, and then it inserts nothing.
    """
    pending_id = db.session.scalar(
        conflict_insert(IdempotencyRecord)
        .values(
            user_id=current_user.id,
            key=key,
            request_hash=fingerprint,
            status_code=PENDING,
            body=None,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(IdempotencyRecord.id)
    )
    if pending_id is not None:
        return pending_id, None
    first = _stored(key)
    if first is None:
        raise RuntimeError(f"Idempotency-Key {key!r} was neither claimed nor found.")
    return None, first


def _replay(first: IdempotencyRecord, fingerprint: str) -> Response:
    if first.request_hash != fingerprint:
        abort(422, message=str(_l("This Idempotency-Key was already used for another request.")))
    replay = make_response("") if first.body is None else jsonify(first.body)
    replay.status_code = first.status_code
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view once per (user, key) and store its answer in the same commit as its writes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if not key:
            return view(*args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            abort(400, message=str(_l("The Idempotency-Key header is too long.")))
        fingerprint = _fingerprint()
        with atomic():
            pending_id, first = _claim(key, fingerprint)
            if first is not None:
                return _replay(first, fingerprint)
            response = make_response(view(*args, **kwargs))
            pending = IdempotencyRecord.id == pending_id
            if response.status_code < 300:
                db.session.execute(
                    update(IdempotencyRecord)
                    .where(pending)
                    .values(status_code=response.status_code, body=response.get_json(silent=True))
                )
            else:
                # A refused request keeps nothing, so a corrected retry may use the same key.
                db.session.execute(delete(IdempotencyRecord).where(pending))
        return response

    return wrapper

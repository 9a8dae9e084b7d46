"""One-time codes people type from paper: how they are made, read back and kept.

A code is 10 symbols of Crockford's base32 alphabet (no I, L, O or U, so nothing reads as
another symbol): 32**10 = 2**50 codes. Typing forgives case, spaces, dashes and the look-alikes
O/0 and I/L/1. Only a keyed hash (HMAC-SHA-256 with the app's secret key) is stored, so the
table alone does not give a code back, and a code is found by its hash.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Protocol

from flask import current_app

from contactbook.core.platform import utcnow

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
ENTROPY_BITS = 50
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CodeState(enum.StrEnum):
    """What a typed code or link turned out to be; each has its own sentence on the page."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"


class OneTime(Protocol):
    """A stored one-time code or link: an invite or a password reset."""

    used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime


def state_of(found: OneTime | None) -> CodeState:
    """Whether a found code can still be used, and if not, why."""
    if found is None:
        return CodeState.UNKNOWN
    if found.used_at is not None:
        return CodeState.USED
    if found.revoked_at is not None:
        return CodeState.REVOKED
    if found.expires_at <= utcnow():
        return CodeState.EXPIRED
    return CodeState.VALID


def new_code() -> str:
    """A fresh random code, grouped in fives for reading aloud: "7KQ2M-XR9TB"."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{symbols[:5]}-{symbols[5:]}"


def normalise(typed: str) -> str:
    """The code as stored before hashing, however it was typed; '' when it cannot be one."""
    compact = "".join(typed.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(compact) != LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return ""
    return compact


def keyed_hash(code: str, purpose: str) -> str:
    """The stored form of a code, for one purpose (invites, resets), so codes never cross."""
    key = current_app.secret_key
    secret = key if isinstance(key, bytes) else str(key).encode()
    message = f"{purpose}:{normalise(code)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()

"""What school administration stores: roster uploads awaiting confirmation, invite codes for
families, password resets (tables named `schooladmin_<plural>`)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contactbook.core.directory import Guardianship, School, User
from contactbook.core.platform import UtcDateTime, storable_enum, utcnow
from contactbook.extensions import db


class ImportStatus(enum.StrEnum):
    CHECKED = "checked"
    IMPORTED = "imported"


class RosterImport(db.Model):
    """An uploaded roster kept between its dry run and the admin's confirmation.

    The parsed cells are kept, not the file: confirming needs no second upload, and the plan is
    made again from them against the directory as it is at that moment.
    """

    __tablename__ = "schooladmin_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    school: Mapped[School] = relationship()
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    # {"columns": {field: {"label", "letter"}}, "rows": [{"row": n, "cells": {field: text}}]}
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ImportStatus] = mapped_column(
        storable_enum(ImportStatus), default=ImportStatus.CHECKED
    )
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What the confirmed import wrote, counted: shown again to a second confirmation.
    result: Mapped[dict[str, int] | None] = mapped_column(JSON)

    @property
    def row_count(self) -> int:
        return len(self.content["rows"])


class Invite(db.Model):
    """A one-time code that lets a guardian from the roster set a password and join.

    Only a keyed hash of the code is kept, so a code cannot be read back: printing again
    issues a new code and revokes the old one if it was not used.
    """

    __tablename__ = "schooladmin_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    guardianship_id: Mapped[int] = mapped_column(ForeignKey("guardianships.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    redeemed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    guardianship: Mapped[Guardianship] = relationship()


class PasswordReset(db.Model):
    """One way back into an account: an emailed link (no code) or a code a teacher handed over.

    The link carries a signature of the row's id; the code is kept only as a keyed hash.
    """

    __tablename__ = "schooladmin_password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

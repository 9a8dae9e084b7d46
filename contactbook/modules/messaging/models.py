"""What messaging stores: uploaded files, conversations and their messages, office hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from contactbook.core.platform import UtcDateTime, utcnow
from contactbook.extensions import db


class StoredFile(db.Model):
    """A file someone uploaded, checked and (for images) re-encoded, kept under instance/.

    `storage_name` is random and the only name on disk; what the sender called the file is
    never used as a path. Who may read it is decided by whatever the file is attached to.
    """

    __tablename__ = "messaging_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def is_image(self) -> bool:
        """Whether pages may show the file inline as a picture."""
        return self.content_type.startswith("image/")

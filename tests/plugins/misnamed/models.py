"""A table without the module's prefix, on metadata of its own so it never reaches the test DB."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class PrivateBase(DeclarativeBase):
    pass


class Thing(PrivateBase):
    __tablename__ = "things"

    id: Mapped[int] = mapped_column(primary_key=True)

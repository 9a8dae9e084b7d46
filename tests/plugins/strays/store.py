"""Tables outside a `models.py`: still the module's, so still named after it (one is not)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class PrivateBase(DeclarativeBase):
    metadata = MetaData()


class Shelf(PrivateBase):
    __tablename__ = "strays_shelves"

    id: Mapped[int] = mapped_column(primary_key=True)


boxes = Table("boxes", PrivateBase.metadata, Column("id", Integer, primary_key=True))

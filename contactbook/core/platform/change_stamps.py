"""Change stamps kept by the write path, so a page knows cheaply whether it changed.

Every transaction that writes a row naming a pupil (any mapped row with a `student_id`, or the
pupil's own row) bumps that pupil's stamp once, in one statement at commit, whichever service
wrote it: through the ORM (seen at flush) or an ORM-enabled bulk insert or update (seen when
executed). A transaction writing the school directory (schools and their years, terms and
closed days, classes, subjects, who teaches what, enrolments, families, roles, pupils, people's
names) bumps the one directory stamp: those writes are an admin's, rare, and show on many
pages (a class's name on every family's home). Conditional GET (`conditional.py`) reads the
stamps to answer "nothing changed".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from contactbook.core.platform.database import conflict_insert
from contactbook.core.platform.records import UtcDateTime, utcnow
from contactbook.extensions import db

_CHANGED_KEY = "changed_students"
_DIRECTORY_CHANGED_KEY = "changed_directory"
STUDENTS_TABLE = "students"
BUMP_SLICE = 1000
DIRECTORY_TABLES = frozenset(
    {
        "districts",
        "schools",
        "school_years",
        "terms",
        "closed_days",
        "classrooms",
        "subjects",
        "teaching_assignments",
        "enrollments",
        "guardianships",
        "memberships",
        "students",
        "users",
    }
)
# What of a person other pages show; signing in, a new password or quiet hours show nowhere else.
SHOWN_USER_FIELDS = ("display_name", "is_active", "phone", "username")
DIRECTORY_ROW = 1


class StudentStamp(db.Model):
    """How many committed writes have touched a pupil's records, and when the last one was.

    No foreign key: a stamp is bumped in the commit that may delete the pupil, and a stamp
    left behind names nobody and costs nothing.
    """

    __tablename__ = "student_stamps"

    student_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DirectoryStamp(db.Model):
    """How many committed writes have changed the school directory, and when the last one was.

    One row: the directory changes seldom, and a page naming classes, subjects or people
    compares this one number.
    """

    __tablename__ = "directory_stamps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def directory_version() -> Any:
    """The directory's stamp as a scalar subquery, to read in a page's one stamp statement."""
    return (
        select(DirectoryStamp.version).where(DirectoryStamp.id == DIRECTORY_ROW).scalar_subquery()
    )


def _note(session: Session, student_ids: Iterable[Any]) -> None:
    ids = {student_id for student_id in student_ids if isinstance(student_id, int)}
    if ids:
        session.info.setdefault(_CHANGED_KEY, set()).update(ids)


def _students_of(objects: Iterable[Any]) -> Iterable[Any]:
    for obj in objects:
        if getattr(obj, "__tablename__", None) == STUDENTS_TABLE:
            yield obj.id
        else:
            yield getattr(obj, "student_id", None)


def _changes_directory(obj: Any, inserted_or_deleted: bool) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table not in DIRECTORY_TABLES:
        return False
    if table != "users" or inserted_or_deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in SHOWN_USER_FIELDS)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    _note(session, _students_of([*session.new, *changed, *session.deleted]))
    if any(_changes_directory(obj, True) for obj in [*session.new, *session.deleted]) or any(
        _changes_directory(obj, False) for obj in changed
    ):
        session.info[_DIRECTORY_CHANGED_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state: Any) -> None:
    if not (state.is_insert or state.is_update):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name == StudentStamp.__tablename__:
        return
    if table.name in DIRECTORY_TABLES and (
        table.name != "users" or state.is_insert or _sets_shown_user_fields(state.statement)
    ):
        state.session.info[_DIRECTORY_CHANGED_KEY] = True
    rows = state.parameters
    rows = rows if isinstance(rows, list) else [rows or {}]
    _note(state.session, (row.get("student_id") for row in rows if isinstance(row, dict)))


def _sets_shown_user_fields(statement: Any) -> bool:
    """Whether a bulk update of people sets what other pages show (not a sign-in's count)."""
    return bool(set(statement.compile().params) & set(SHOWN_USER_FIELDS))


@event.listens_for(Session, "before_commit")
def _bump_stamps(session: Session) -> None:
    session.flush()
    student_ids = sorted(session.info.pop(_CHANGED_KEY, ()))
    # In order, so two commits touching the same pupils never wait on each other in a circle;
    # in slices, so a whole school's import stays within the database's parameter limits.
    for start in range(0, len(student_ids), BUMP_SLICE):
        session.execute(bump(session, student_ids[start : start + BUMP_SLICE]))
    if session.info.pop(_DIRECTORY_CHANGED_KEY, False):
        session.execute(bump_directory())


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED_KEY, None)
        session.info.pop(_DIRECTORY_CHANGED_KEY, None)


def bump(session: Session, student_ids: list[int]) -> Any:
    """The one statement that moves these pupils' stamps on: insert or add one."""
    now = utcnow()
    statement = conflict_insert(StudentStamp.__table__).values(
        [{"student_id": student_id, "version": 1, "changed_at": now} for student_id in student_ids]
    )
    return statement.on_conflict_do_update(
        index_elements=["student_id"],
        set_={
            "version": StudentStamp.__table__.c.version + 1,
            "changed_at": statement.excluded.changed_at,
        },
    )


def bump_directory() -> Any:
    """The one statement that moves the directory's stamp on: insert or add one."""
    statement = conflict_insert(DirectoryStamp.__table__).values(
        id=DIRECTORY_ROW, version=1, changed_at=utcnow()
    )
    return statement.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "version": DirectoryStamp.__table__.c.version + 1,
            "changed_at": statement.excluded.changed_at,
        },
    )

"""The audit trail cannot be rewritten through the app's connection: the database refuses
every change and deletion of an entry, in tables made by the models and by the migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from contactbook import create_app
from contactbook.core.platform import audit
from contactbook.core.platform.audit import AuditEntry
from contactbook.extensions import db
from tests.conftest import base_config
from tests.core.test_migrations import empty_database_url  # noqa: F401


def recorded(app) -> int:
    with app.app_context():
        audit.record(None, "test.graded", AuditEntry(id=7), after={"score": "8,5"})
        db.session.commit()
        return db.session.scalar(select(AuditEntry.id))


def refused_changes(app, entry_id: int) -> list[str]:
    """Try to change and to delete the entry; what the database said each time."""
    said = []
    for statement in (
        update(AuditEntry).where(AuditEntry.id == entry_id).values(after={"score": "10"}),
        delete(AuditEntry).where(AuditEntry.id == entry_id),
    ):
        with app.app_context():
            with pytest.raises(DBAPIError) as refusal:
                db.session.execute(statement)
                db.session.commit()
            said.append(str(refusal.value.orig))
            db.session.rollback()
    return said


def entries(app) -> list[dict | None]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.after)))


def test_an_entry_cannot_be_changed_or_deleted(app):
    entry_id = recorded(app)
    said = refused_changes(app, entry_id)
    assert all("audit entries cannot be" in text for text in said)
    assert entries(app) == [{"score": "8,5"}]


def test_a_migrated_database_refuses_too(empty_database_url):  # noqa: F811
    app = create_app(base_config(empty_database_url))
    upgrade = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    entry_id = recorded(app)
    assert len(refused_changes(app, entry_id)) == 2
    assert entries(app) == [{"score": "8,5"}]
    with app.app_context():
        db.engine.dispose()

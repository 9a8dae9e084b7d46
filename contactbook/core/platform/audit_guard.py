"""Audit entries cannot be changed or deleted, whoever holds the app's database connection.

The trail is what a school shows when asked who read or changed a child's records; an app
bug, a hurried script or an intruder with the app's credentials must not be able to rewrite
it. The database refuses every UPDATE and DELETE of `audit_entries` itself: a trigger on SQLite
and on PostgreSQL (the app connects as the tables' owner, so revoked privileges alone would
not hold). The same statements run when the tables are made by `db.create_all()` (tests, the
demo) and in the migration that adds them (`flask db upgrade`); TRUNCATE and DROP, which only
an operator runs, are not refused.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

SQLITE = (
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END",
)
POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION audit_entries_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'audit entries cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_entries_unchangeable BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change()",
)
STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def guard(table: Table) -> None:
    """Have the database refuse changes to the table's rows from the moment it is made."""
    for dialect, statements in STATEMENTS.items():
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))

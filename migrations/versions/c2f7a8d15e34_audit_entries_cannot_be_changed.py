"""Audit entries cannot be changed or deleted: the database refuses UPDATE and DELETE

Revision ID: c2f7a8d15e34
Revises: b9e1f4c27d60
Create Date: 2026-12-01 13:00:00.000000

"""
from alembic import op

# As in contactbook/core/platform/audit_guard.py when this revision was written.
STATEMENTS = {
    "sqlite": (
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_entries_refuse_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'audit entries cannot be changed or deleted'; END $$",
        "CREATE TRIGGER audit_entries_unchangeable BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change()",
    ),
}


# revision identifiers, used by Alembic.
revision = 'c2f7a8d15e34'
down_revision = "b9e1f4c27d60"
branch_labels = None
depends_on = None


def upgrade():
    for statement in STATEMENTS.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_unchangeable ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_refuse_change()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")

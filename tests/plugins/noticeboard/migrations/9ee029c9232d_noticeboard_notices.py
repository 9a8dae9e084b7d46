"""The notice board's notices, each of one school.

Revision ID: 9ee029c9232d
Revises:
Create Date: 2026-12-01 07:42:01.263198

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9ee029c9232d"
down_revision = None
branch_labels = ("noticeboard",)
depends_on = None


def upgrade():
    op.create_table(
        "noticeboard_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_noticeboard_notices_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_noticeboard_notices")),
    )
    with op.batch_alter_table("noticeboard_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_noticeboard_notices_school_id"), ["school_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("noticeboard_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_noticeboard_notices_school_id"))

    op.drop_table("noticeboard_notices")

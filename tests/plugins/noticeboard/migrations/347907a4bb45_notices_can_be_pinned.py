"""A notice can be pinned to the top of the board.

Revision ID: 347907a4bb45
Revises: 9ee029c9232d
Create Date: 2026-12-01 07:42:14.644438

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "347907a4bb45"
down_revision = "9ee029c9232d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("noticeboard_notices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("noticeboard_notices", schema=None) as batch_op:
        batch_op.drop_column("pinned")

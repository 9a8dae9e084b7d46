"""Sessions note when they were last used and on which browser, for their lifetimes and list

Sessions open at the upgrade count as last used when they were signed in: a staff session
unused longer than the idle time ends at its next request.

Revision ID: a7d3e9c41b52
Revises: 8c4e2a1f6b37
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e9c41b52'
down_revision = "8c4e2a1f6b37"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions') as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('user_agent', sa.String(length=300), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user_sessions') as batch_op:
        batch_op.drop_column('user_agent')
        batch_op.drop_column('last_seen_at')

"""Heartbeats of the notify worker and the scheduler

Each kind of background process records when it was last alive, for /readyz.

Revision ID: 67af7e2ef248
Revises: 613a3da2208e
Create Date: 2026-12-01 03:42:57.281303

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '67af7e2ef248'
down_revision = '613a3da2208e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('heartbeats',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('process', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_heartbeats'))
    )


def downgrade():
    op.drop_table('heartbeats')

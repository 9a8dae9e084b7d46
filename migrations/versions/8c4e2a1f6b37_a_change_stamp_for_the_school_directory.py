"""A change stamp for the school directory, for conditional GET and kept pages

Pages tagged before the upgrade are made anew once: their tags named no directory stamp.

Revision ID: 8c4e2a1f6b37
Revises: 5d1c0e7a9b21
Create Date: 2026-12-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c4e2a1f6b37'
down_revision = "5d1c0e7a9b21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'directory_stamps',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_stamps')),
    )


def downgrade():
    op.drop_table('directory_stamps')

"""A change stamp per pupil, for conditional GET

A pupil gets a stamp with the first write about them after the upgrade; until then their
pages are tagged as "never changed", which is true of everything since the upgrade.

Revision ID: 5d1c0e7a9b21
Revises: 73bc83881aba
Create Date: 2026-12-01 04:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1c0e7a9b21'
down_revision = "73bc83881aba"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'student_stamps',
        sa.Column('student_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('student_id', name=op.f('pk_student_stamps')),
    )


def downgrade():
    op.drop_table('student_stamps')

"""Replaced notifications stay; grades remember when they were entered

Revision ID: f07826890453
Revises: 5c9e4c3d1a1c
Create Date: 2026-11-30 15:41:47.824783

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f07826890453'
down_revision = '5c9e4c3d1a1c'
branch_labels = None
depends_on = None


def upgrade():
    # Grades already stored were entered no later than their last change.
    with op.batch_alter_table('classbook_grades', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE classbook_grades SET created_at = updated_at")
    with op.batch_alter_table('classbook_grades', schema=None) as batch_op:
        batch_op.alter_column(
            'created_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('replaced_at')

    with op.batch_alter_table('classbook_grades', schema=None) as batch_op:
        batch_op.drop_column('created_at')

"""Dispatch: official documents and their recipients

Revision ID: dispatch_0001
Revises:
Create Date: 2026-12-01 08:00:00

The first revision of the module's own branch: it names no core revision (core is at head
before a module's branch runs), only core's tables through foreign keys.
"""

import sqlalchemy as sa
from alembic import op

revision = "dispatch_0001"
down_revision = None
branch_labels = ("dispatch",)
depends_on = None


def upgrade():
    op.create_table(
        "dispatch_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum("normal", "high", name="urgency", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reply_requested", sa.Boolean(), nullable=False),
        sa.Column("reply_deadline", sa.Date(), nullable=True),
        sa.Column(
            "audience",
            sa.Enum("schools", "staff", "families", name="audience", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("addressed", sa.JSON(), nullable=False),
        sa.Column("attachment_name", sa.String(length=64), nullable=False),
        sa.Column("attachment_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_dispatch_documents_sender_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_documents")),
        sa.UniqueConstraint("attachment_name", name=op.f("uq_dispatch_documents_attachment_name")),
    )
    with op.batch_alter_table("dispatch_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_documents_sender_id"), ["sender_id"], unique=False
        )

    op.create_table(
        "dispatch_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("reply_attachment_name", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["dispatch_documents.id"],
            name=op.f("fk_dispatch_recipients_document_id_dispatch_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_dispatch_recipients_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dispatch_recipients_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_recipients")),
        sa.UniqueConstraint(
            "document_id", "user_id", name=op.f("uq_dispatch_recipients_document_id_user_id")
        ),
        sa.UniqueConstraint(
            "reply_attachment_name", name=op.f("uq_dispatch_recipients_reply_attachment_name")
        ),
    )
    with op.batch_alter_table("dispatch_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_recipients_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dispatch_recipients_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("dispatch_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_recipients_user_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_recipients_document_id"))
    op.drop_table("dispatch_recipients")
    with op.batch_alter_table("dispatch_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_documents_sender_id"))
    op.drop_table("dispatch_documents")

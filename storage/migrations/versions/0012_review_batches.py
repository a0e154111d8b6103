"""the reviewer's desk: roles granted by admins, review batches and the cadres who joined them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("granted_by", sa.BigInteger(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "role", name="pk_user_roles"),
    )
    op.create_table(
        "review_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(16), nullable=False),
        sa.Column(
            "reviewer_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_review_batches_reviewer_id_users"),
            nullable=False,
        ),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("meeting", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("theme_key", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_batches"),
        sa.UniqueConstraint("public_id", name="uq_review_batches_public_id"),
    )
    op.create_index("ix_review_batches_reviewer_id", "review_batches", ["reviewer_id"])
    op.create_table(
        "batch_members",
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey(
                "review_batches.id", ondelete="CASCADE", name="fk_batch_members_batch_id_review_batches"
            ),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_batch_members_user_id_users"),
            nullable=False,
        ),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "user_id", name="pk_batch_members"),
    )
    op.create_index("ix_batch_members_user_id", "batch_members", ["user_id"])


def downgrade() -> None:
    op.drop_table("batch_members")
    op.drop_table("review_batches")
    op.drop_table("user_roles")

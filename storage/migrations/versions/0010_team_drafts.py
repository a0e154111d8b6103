"""team drafts: invitations, member names and consent, proposals, 问题来源 of items, measure leaders

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("status_consent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=16), nullable=True))
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leader_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_measures_leader_id"), ["leader_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_measures_leader_id_users"), "users", ["leader_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "team_invites",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_team_invites_draft_id_drafts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_team_invites")),
    )
    with op.batch_alter_table("team_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_invites_draft_id"), ["draft_id"], unique=False)
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("aspect", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["answers.id"], name=op.f("fk_proposals_answer_id_answers"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_proposals_draft_id_drafts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    op.drop_table("proposals")
    op.drop_table("team_invites")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_measures_leader_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_measures_leader_id"))
        batch_op.drop_column("leader_id")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("origin")
    with op.batch_alter_table("draft_members", schema=None) as batch_op:
        batch_op.drop_column("status_consent")
        batch_op.drop_column("display_name")

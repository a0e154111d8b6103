"""links between measures and the problems they rectify; 整改类型 and 原定时限 on measures

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_problems",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_measure_problems_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_problems_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("measure_id", "answer_id", name=op.f("pk_measure_problems")),
    )
    with op.batch_alter_table("measure_problems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_problems_answer_id"), ["answer_id"], unique=False)
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rectify_type", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("original_deadline", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_column("original_deadline")
        batch_op.drop_column("rectify_type")
    with op.batch_alter_table("measure_problems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_problems_answer_id"))
    op.drop_table("measure_problems")

"""a link stored from the proposal while it rested on the aspect order alone

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measure_problems", schema=None) as batch_op:
        batch_op.add_column(sa.Column("by_order", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("measure_problems", schema=None) as batch_op:
        batch_op.drop_column("by_order")

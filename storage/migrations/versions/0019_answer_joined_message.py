"""the message whose words were all joined to an answer, for an edit of it to find the answer

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_answers_joined", ["source_chat_id", "joined_message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_joined")
        batch_op.drop_column("joined_message_id")

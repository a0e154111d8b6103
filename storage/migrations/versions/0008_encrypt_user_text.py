"""encrypt every user-authored column: deadline wording, owner, name/unit/post, pasted aspects, file names

The columns become TEXT, since Fernet tokens outgrow the old VARCHAR limits, and the JSON columns
hold their JSON as text so it can be encrypted. Rows keep their plain values, read as before, and
are encrypted on their next write or by ``duizhao db reencrypt``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TEXTS = {
    "measures": (("deadline_text", 64), ("owner", 128), ("original_deadline", 64)),
    "uploads": (("filename", 255),),
}
_JSONS = ("meta", "aspects")


def upgrade() -> None:
    for table, columns in _TEXTS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, length in columns:
                batch_op.alter_column(name, type_=sa.Text(), existing_type=sa.String(length))
    with op.batch_alter_table("drafts") as batch_op:
        for name in _JSONS:
            batch_op.alter_column(
                name, type_=sa.Text(), existing_type=sa.JSON(), postgresql_using=f"{name}::text"
            )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch_op:
        for name in _JSONS:
            batch_op.alter_column(
                name, type_=sa.JSON(), existing_type=sa.Text(), postgresql_using=f"{name}::json"
            )
    for table, columns in _TEXTS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, length in columns:
                batch_op.alter_column(name, type_=sa.String(length), existing_type=sa.Text())

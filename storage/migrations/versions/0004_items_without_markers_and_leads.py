"""document model: items stored without markers, lead paragraphs as their own role

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Answers of items sections used to keep whatever marker the user typed ("三是…"), and a pasted
block's summary sentence became the first item. This adds ``answers.role`` and converts what is
stored: a leading marker is removed from each item, and a first answer that reads as the summary
of the list before further items becomes the lead. The text before the change is kept in
``answer_revisions`` (action ``migrate``), so nothing the user wrote is lost. A lead is not a
rectification measure, so a measure row on such an answer is removed with its reminders.
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

from bot.splitter import reads_as_lead, strip_marker
from storage.crypto import EncryptedText

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The sections answered as lists in every kind when this migration was written.
ITEM_SECTIONS = ("last_year", "problems", "causes", "measures", "progress")

answers = sa.table(
    "answers",
    sa.column("id", sa.Integer),
    sa.column("draft_id", sa.Integer),
    sa.column("section", sa.String),
    sa.column("aspect", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("role", sa.String),
    sa.column("text", EncryptedText),
    sa.column("author_id", sa.BigInteger),
)
revisions = sa.table(
    "answer_revisions",
    sa.column("draft_id", sa.Integer),
    sa.column("answer_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("text", EncryptedText),
    sa.column("author_id", sa.BigInteger),
)

measures = sa.table("measures", sa.column("id", sa.Integer), sa.column("answer_id", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=8), server_default="item", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(answers)
        .where(answers.c.section.in_(ITEM_SECTIONS))
        .order_by(answers.c.draft_id, answers.c.section, answers.c.aspect, answers.c.position, answers.c.id)
    ).all()
    for _, group in groupby(rows, key=lambda r: (r.draft_id, r.section, r.aspect)):
        slot = list(group)
        for index, row in enumerate(slot):
            stripped = strip_marker(row.text)
            is_lead = (
                index == 0 and len(slot) > 1 and stripped == row.text.strip() and reads_as_lead(row.text)
            )
            if stripped == row.text and not is_lead:
                continue
            connection.execute(
                revisions.insert().values(
                    draft_id=row.draft_id,
                    answer_id=row.id,
                    action="migrate",
                    text=row.text,
                    author_id=row.author_id,
                )
            )
            connection.execute(
                answers.update()
                .where(answers.c.id == row.id)
                .values(
                    text=stripped,
                    role="lead" if is_lead else "item",
                    position=-1 if is_lead else row.position,
                )
            )
            if is_lead:
                _drop_measure(connection, row.id)


def _drop_measure(connection: sa.Connection, answer_id: int) -> None:
    """Delete explicitly: SQLite applies no cascades unless foreign keys are switched on."""
    measure_ids = sa.select(measures.c.id).where(measures.c.answer_id == answer_id)
    for table in ("reminders", "measure_events"):
        target = sa.table(table, sa.column("measure_id", sa.Integer))
        connection.execute(target.delete().where(target.c.measure_id.in_(measure_ids)))
    connection.execute(measures.delete().where(measures.c.answer_id == answer_id))


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("role")

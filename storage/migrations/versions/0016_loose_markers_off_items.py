"""items keep no circled number, sequence word or 1） the user typed before them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

Until now the splitter knew 一是, 1., （1）, 第一， and their kin but not ①, 首先/其次/再次/最后,
nor a number closed by a bracket alone (1）), and it left the punctuation typed after a marker
("（4）、 落实…" kept "、 "): items sent so were stored with them, and the file numbered them a
second time ("一是①…", "二是其次，…"). This removes such a leading marker from every item of a
list section. The text before is kept in ``answer_revisions`` (action ``migrate``), as 0004 did, so
nothing the user wrote is lost. Frozen here: migrations do not follow later changes to the splitter.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

from storage.crypto import EncryptedText

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# The sections answered as lists in every kind when this migration was written.
ITEM_SECTIONS = ("last_year", "problems", "causes", "measures", "progress")

_LEADING = re.compile(
    r"^[\s　]*(?:[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r"|(?:首先|其次|再次|最后)[，,、：:]"
    r"|[0-9０-９]{1,2}[)）]"
    r"|[、，,．：:])[\s　]*"
)

answers = sa.table(
    "answers",
    sa.column("id", sa.Integer),
    sa.column("draft_id", sa.Integer),
    sa.column("section", sa.String),
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


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(answers).where(answers.c.section.in_(ITEM_SECTIONS), answers.c.role == "item")
    ).all()
    for row in rows:
        stripped = _LEADING.sub("", row.text or "", count=1).strip()
        if not stripped or stripped == (row.text or "").strip():
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
        connection.execute(answers.update().where(answers.c.id == row.id).values(text=stripped))


def downgrade() -> None:
    pass  # the earlier texts are in answer_revisions

"""a theme for any year (通用) names no 年度: its label no longer stands in a draft's title

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Drafts on the 通用 组织生活会 theme stored its label as their 年度 ("李明同志通用组织生活会…").
    op.execute("UPDATE drafts SET theme_label = NULL WHERE theme_label = '通用' AND year IS NULL")


def downgrade() -> None:
    # Which drafts had the label is not known any more; a title without it is the right one anyway.
    pass

"""a theme for any year (通用) names no 年度: the meeting date gives it, not the theme's label

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Drafts on the 通用 组织生活会 theme stored its label as their 年度 ("李明同志通用组织生活会…"):
    # the 年度 is the meeting date's (a meeting in January to March looks back on the year before,
    # as bot.dates.year_of_meeting reads it), or none while the date is not known.
    connection = op.get_bind()
    drafts = connection.execute(
        sa.text("SELECT id, meeting_date FROM drafts WHERE theme_label = '通用' AND year IS NULL")
    ).all()
    for draft_id, meeting in drafts:
        year = _year_of_meeting(meeting) if meeting is not None else None
        connection.execute(
            sa.text("UPDATE drafts SET theme_label = :label, year = :year WHERE id = :id"),
            {"label": f"{year}年度" if year is not None else None, "year": year, "id": draft_id},
        )


def _year_of_meeting(meeting: datetime.date | str) -> int:
    """Frozen here (migrations do not import the application): SQLite returns the date as text."""
    day = meeting if isinstance(meeting, datetime.date) else datetime.date.fromisoformat(meeting)
    return day.year - 1 if day.month <= 3 else day.year


def downgrade() -> None:
    # Which drafts had the label is not known any more; a title without it is the right one anyway.
    pass

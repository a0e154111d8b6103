"""Meeting dates as people type them: 2026年1月15日, 2026-01-15, 2026/1/15, 2026.1.15."""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR, MAX_YEAR = 2000, 2099
"""Years a meeting or a deadline may fall in; anything else is a typo, and keeps date arithmetic in range."""

_DATE = re.compile(r"^\s*(\d{4})\s*[年\-/.．]\s*(\d{1,2})\s*[月\-/.．]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> date | None:
    match = _DATE.match(text.translate(_FULL_WIDTH_DIGITS))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_date(value: date) -> str:
    """Chinese official style: Arabic numerals, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


def year_of_meeting(meeting: date) -> int:
    """The 年度 a meeting reviews: Jan–Mar meetings look back on the previous year."""
    return meeting.year - 1 if meeting.month <= 3 else meeting.year


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

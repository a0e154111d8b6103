"""What a deadline was counted from, and the date a measure's own text already names.

Both serve the confirmation after a deadline is set: the cadre sees whether 季度末 or 3个月内 was
counted from the meeting or from today, and is asked when the measure's wording promises another date.
"""

from __future__ import annotations

import re
from datetime import date

from bot.dates import RELATIVE_YEAR, date_label, format_date
from bot.deadlines.parse import FROM_TODAY, Deadline, DueDate, Immediate, Ongoing, parse_deadline
from bot.deadlines.settings import DEFAULT_SETTINGS, ReminderSettings

_EXPLICIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d\s*年")
_IN_YEAR = (
    r"(?<![\d个])\d{1,2}月(?:\d{1,2}[日号]|底|末|上旬|中旬|下旬)?|第?[一二三四1-4]季度末?|上半年|下半年"
)
_TEXT_DATE = re.compile(
    rf"(?:(?<!每)(?:(?:(?<!\d)20\d\d|{RELATIVE_YEAR})年度?)?(?:{_IN_YEAR})"
    rf"|(?<!每)(?:(?:(?<!\d)20\d\d|{RELATIVE_YEAR})年度?年?|年)(?:底|末)"
    r"|(?:本|下个?|次)月(?:底|末|上旬|中旬|下旬|\d{1,2}[日号])|(?:本|下个?)季度末"
    r"|(?:本|这个?|下下?个?)(?:周|星期|礼拜)[一二三四五六日天]"
    r")(?:之前|以前|前)?"
)
"""A dated promise inside a measure: 2026年3月底前, 明年1月15日前, 6月30日前, 明年一季度末, 年底前,
下个月底, 下个月15日前, 下周五前, 上半年 (a year written or named from today, which the deadline
parser reads as typed)."""


def anchor_note(deadline: Deadline, *, meeting: date | None, today: date, held: bool = True) -> str:
    """Which day a deadline without a written year was counted from, or "" when it names its year
    or is a date the meeting already made plain. A date typed after the meeting whose occurrence
    after it is already past is the next one (``parse``): said, with the day it became. Without a
    meeting date (not fixed yet) everything counts from today, and is said to. A report not
    ``held`` at a meeting (自查自纠报告) counts from the day it is 报送, and says so."""
    label = date_label(held)
    if isinstance(deadline, Ongoing) or _EXPLICIT_YEAR.search(deadline.text):
        return ""
    if (word := FROM_TODAY.search(deadline.text)) is not None:
        return f"“{word[0]}”按今天（{format_date(today)}）算。"
    if meeting is None:
        if _TEXT_DATE.search(deadline.text):
            return ""
        return f"{label}还没定，“3个月内”这类相对时限按今天（{format_date(today)}）起算。"
    if today < meeting:
        return f"未写年份或起点的时限，按{label}{format_date(meeting)}起算。"
    at_meeting = parse_deadline(deadline.text, meeting=meeting, today=meeting)
    if _TEXT_DATE.search(deadline.text) and isinstance(at_meeting, DueDate | Immediate):
        if at_meeting.due < deadline.due:  # the one after the meeting is past: the next one
            return (
                f"会议后的{format_date(at_meeting.due)}已经过去，未写年份的日期取今后最近的一个，"
                f"即{format_date(deadline.due)}；如指其他年份，请写明年份。"
            )
        return ""
    happened = "会议已于{}召开" if held else "报告已于{}报送"
    return f"{happened.format(format_date(meeting))}，“3个月内”这类相对时限按今天起算。"


def date_in_text(
    text: str, *, meeting: date, today: date, settings: ReminderSettings = DEFAULT_SETTINGS
) -> tuple[str, date] | None:
    """The first date a measure's wording promises (the phrase and its day), if it names one."""
    for found in _TEXT_DATE.finditer(text):
        parsed = parse_deadline(found.group(0), meeting=meeting, today=today, settings=settings)
        if isinstance(parsed, DueDate | Immediate):
            return found.group(0), parsed.due
    return None

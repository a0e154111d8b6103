"""Meeting dates as people type them: 2026年1月15日, 2026-01-15, 2026/1/15, 2026.1.15, 明年1月15日,
下个月20号, or copy them from a notice: 二〇二六年一月十五日（星期四）上午9:00."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MIN_YEAR, MAX_YEAR = 2000, 2099
"""Years a meeting or a deadline may fall in; anything else is a typo, and keeps date arithmetic in range."""

_DATE = re.compile(r"^\s*(\d{4})\s*[年\-/.．]\s*(\d{1,2})\s*[月\-/.．]\s*(\d{1,2})\s*日?\s*$")
RELATIVE_YEARS = {
    **dict.fromkeys(("今", "本", "当"), 0),
    **dict.fromkeys(("明", "次", "来", "下", "下一"), 1),
    "后": 2,
    **dict.fromkeys(("去", "上"), -1),
}
RELATIVE_YEAR = "|".join(sorted(RELATIVE_YEARS, key=len, reverse=True))
"""今年, 明年, 后年 …: the years people name by their distance from the year they write in (the
word before 年, and the pattern that reads it)."""

_MONTH_DAY = re.compile(
    rf"^\s*(?:(?P<rel>{RELATIVE_YEAR})年度?)?\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?\s*$"
)
_REL_MONTH_DAY = re.compile(r"^\s*(?:(?P<next>下个?|次)|本|这个?|当)月\s*(\d{1,2})\s*[日号]?\s*$")
"""A day of this month or the next one: 本月28日, 下个月20号."""


def date_label(held: bool) -> str:
    """What a material's date is called: the meeting's, or for a report handed in (自查自纠报告,
    no meeting held on it) the day it is 报送."""
    return "会议日期" if held else "报送日期"


@dataclass(frozen=True)
class DateProblem:
    """A date that reads as one but cannot be: what is wrong, in words the user can act on."""

    message: str


_CN_DIGIT = dict(zip("〇零○一二三四五六七八九", (0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_DATE = re.compile(
    r"^\s*(?:([〇零○一二三四五六七八九]{4})年)?([元一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]"
)
_TIME_OF_DAY = re.compile(
    r"(?<=[日号\d])\s*(?:[（(]?(?:星期|周)[一二三四五六日天][）)]?)?\s*"
    r"(?:上午|下午|早上|中午|晚上)?\s*(?:\d{1,2}\s*(?:[:：]\s*\d{2}|[点时](?:\d{1,2}分|半)?))?\s*$"
)


def _cn_number(text: str) -> int | None:
    """一 … 三十一 (and 元 for the first month) as a number; None for anything else."""
    if text == "元":
        return 1
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    value = (_CN_DIGIT.get(tens, -99) if tens else 1) * 10 + (_CN_DIGIT.get(units, -99) if units else 0)
    return value if value > 0 else None


def _arabic(text: str) -> str:
    """A date as printed in words (二〇二七年一月十二日, 元月12日) in Arabic numerals, and without the
    weekday or the time of day a meeting notice adds (2027年1月12日（星期二）上午9:00); other text as is."""
    found = _CN_DATE.match(text)
    if found is not None:
        year = "".join(str(_CN_DIGIT[ch]) for ch in found[1]) + "年" if found[1] else ""
        month, day = _cn_number(found[2]), _cn_number(found[3])
        if month is not None and day is not None:
            text = f"{year}{month}月{day}日{text[found.end() :]}"
    text = text.replace("元月", "1月")
    return _TIME_OF_DAY.sub("", text) if re.search(r"[日号]|\d$", text) else text


def read_date(text: str, today: date | None = None) -> date | DateProblem | None:
    """The date ``text`` names; a DateProblem for an impossible one (2月30日); None if it is no date.

    Given ``today``, a date without a year (``1月15日``) is its next occurrence from today on, one
    with a year named relative to today's (``明年1月15日``, ``今年12月20日``) is in that year, and a day
    of a month so named (``下个月20号``, ``本月28日``) is in that month.
    A date in Chinese numerals is read as the same in Arabic ones, and a weekday or time of day
    after it is left aside.
    """
    text = _arabic(text.translate(FULL_WIDTH_DIGITS))
    match = _DATE.match(text)
    if not match and today is not None and (named := _REL_MONTH_DAY.match(text)) is not None:
        month = today.month + (1 if named["next"] else 0)
        return _checked(today.year + (month - 1) // 12, (month - 1) % 12 + 1, int(named[2]))
    if not match:
        short = _MONTH_DAY.match(text) if today is not None else None
        if short is None or today is None:
            return None
        month, day = int(short[2]), int(short[3])
        if short["rel"] is not None:
            return _checked(today.year + RELATIVE_YEARS[short["rel"]], month, day)
        found = _checked(today.year, month, day)
        if isinstance(found, date) and found < today:
            found = _checked(today.year + 1, month, day)
        return found
    year, month, day = (int(g) for g in match.groups())
    return _checked(year, month, day)


def _checked(year: int, month: int, day: int) -> date | DateProblem:
    problem = date_problem(year, month, day)
    return DateProblem(problem) if problem else date(year, month, day)


def parse_date(text: str) -> date | None:
    found = read_date(text)
    return found if isinstance(found, date) else None


def date_problem(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no date, worded the same for meeting dates and deadlines; None if it is one."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"{year}年不在{MIN_YEAR}—{MAX_YEAR}年之间，请核对年份。"
    if not 1 <= month <= 12:
        return f"没有{month}月，请核对月份。"
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year: the longest month
        return f"{month}月没有{day}日，请核对日期。"
    if day > calendar.monthrange(year, month)[1]:
        return f"{year}年不是闰年，2月没有29日，请核对日期。"
    return None


def format_date(value: date) -> str:
    """Chinese official style: Arabic numerals, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_day_month(value: date) -> str:
    """``12月6日``: a date of this year in a message, without the zero padding of ``%m月%d日``."""
    return f"{value.month}月{value.day}日"


def format_moment(local: datetime) -> str:
    """``12月6日 19:54``: when something happened, in the reader's local time."""
    return f"{format_day_month(local)} {local:%H:%M}"


FAR_PAST = timedelta(days=31)
FAR_FUTURE = timedelta(days=183)
"""A meeting date further from today than these is more often a typo (a wrong year) than a plan."""


def far_off(meeting: date, today: date) -> str:
    """``已经过去11个月`` / ``距今还有8个月`` for a date far from today; "" for a usual one."""
    if today - FAR_PAST <= meeting <= today + FAR_FUTURE:
        return ""
    days = abs((meeting - today).days)
    span = f"{days * 12 // 365}个月" if days >= 60 else f"{days}天"
    return f"已经过去{span}" if meeting < today else f"距今还有{span}"


def year_of_meeting(meeting: date) -> int:
    """The 年度 a meeting reviews: Jan–Mar meetings look back on the previous year."""
    return meeting.year - 1 if meeting.month <= 3 else meeting.year


FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Examples:
    """The dates the bot's examples name, counted from ``today`` so that none is already past: the one
    source of every date a prompt, a hint or an error message offers to copy."""

    today: date

    @property
    def meeting(self) -> date:
        """A meeting to come: the 15th of next month."""
        return _months_later(self.today, 1, 15)

    @property
    def meeting_words(self) -> str:
        """``2027年1月15日 或 2027-01-15``: both ways a meeting date may be typed."""
        return f"{format_date(self.meeting)} 或 {self.meeting.isoformat()}"

    @property
    def year(self) -> int:
        """The 年度 of the meetings to come (a year's meetings are held early the next)."""
        return year_of_meeting(self.meeting)

    @property
    def due(self) -> date:
        """A due date for materials: the 10th of next month."""
        return _months_later(self.today, 1, 10)

    @property
    def month_end(self) -> str:
        """A deadline with its year: the end of the month a quarter ahead (``2027年3月底前``)."""
        ahead = _months_later(self.today, 3, 1)
        return f"{ahead.year}年{ahead.month}月底前"

    @property
    def deadlines(self) -> str:
        """Deadlines as cadres write them; the one with a year is ``month_end``."""
        return f"例如：{self.month_end}、6月30日前、一季度末、3个月内、立行立改、长期坚持（每季度）"


def _months_later(day: date, months: int, day_of_month: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day_of_month)


_HAND_IN = re.compile(
    r"(?P<day>(?:[\d〇零○一二三四五六七八九]{4}\s*年\s*)?[\d一二三四五六七八九十元]{1,3}\s*月\s*"
    r"[\d一二三四五六七八九十]{1,3}\s*[日号])\s*(?:[（(][^）)\n]{0,8}[）)])?\s*(?:前|之前|以前)"
    r"[^。；;\n]{0,40}?(?:报送|上报|报至|报给|报组织部|提交|交至)"
)


def hand_in_date(text: str, today: date) -> date | None:
    """The day a notice asks its material to be handed in by (请各单位于12月20日前报送…), its next
    occurrence from ``today`` when it names no year; None when it names none, an impossible one or
    one already past."""
    found = _HAND_IN.search(text.translate(FULL_WIDTH_DIGITS))
    day = read_date(re.sub(r"\s", "", found["day"]), today) if found else None
    return day if isinstance(day, date) and day >= today else None

"""整改时限 as cadres write them, turned into a date, an immediate fix or a review cadence.

Which date a phrase means:

- Text is normalised first: full-width characters (NFKC), spaces, and Chinese numerals before a unit
  (``三个月`` → ``3个月``, ``二〇二六年`` → ``2026年``).
- A calendar phrase without a year (``3月底``, ``6月30日``, ``一季度末``, ``上半年``, ``春节前``) means its
  first occurrence on or after the later of the meeting and today: before the meeting, the first after
  it; typed after it (a measure added or a deadline moved months later), the next one to come, never
  one already past. The confirmation names the day it resolved to (``anchor.anchor_note``).
- Words that name a period by its distance from now (``今年``, ``明年``, ``本月``, ``下个月底``,
  ``月底前``, ``下个月15日``, ``本季度``, ``下季度末``, ``本周五``, ``下周五``, ``下周内``, ``明天``)
  count from the day they are written, today in the user's time zone: in December, ``明年3月底前``
  is next March, whenever the meeting is. Weeks begin on Monday; a bare ``周五`` is the next Friday
  to come; a week named without a day (``本周内``, ``下周``, ``下周末``) ends on its last working
  day. One already gone (``上周五``, ``上个月底``) is said to be, not read as this one.
- ``年底``/``年内`` without a year mean the end of the meeting's year, or of the next year for a December
  meeting, whose promises cannot sensibly end within days; once that day is past (typed long after the
  meeting), the end of this year. ``今年底`` is taken literally.
- Periods (``3个月内``, ``10个工作日内``, 立行立改's default period) count from the later of the meeting
  and today: before the meeting a promise starts at the
  meeting, afterwards from when it is written down. A day named by its distance (``3天后``, ``两周后``,
  ``3个月后``) counts from today, as ``后天`` (two days on) does: it is what the writer sees ahead.
- ``前`` is inclusive: ``6月30日前`` is due on 6月30日. A bare period with ``前`` (``3月前``, ``2026年前``)
  may mean its start or its end and is asked back; so are ranges, several dates and ``…后``.
- 上旬/月初 → the 10th, 月中 → the 15th, 中旬 → the 20th, 下旬/底/末/内 or a bare month → its last day.
- A holiday (``春节前``, ``国庆前``) means the last working day before that holiday's official break,
  taken from ``chinesecalendar``; beyond its data the phrase is asked back.
- 立行立改 without a date is due at the end of its default period, on the last working day up to it: the
  bot picks that date, so it does not pick one it would then query as a weekend or a holiday.
- 立行立改 with a date is due on that date. Combined with 长期坚持 or a cadence (``立行立改，长期坚持``,
  ``6月底前完成，此后每季度…``) the deadline keeps its date and carries ``follow_on``: the ongoing review
  the ledger switches to once the dated part is reported done.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import TypeAlias

from bot.dates import MAX_YEAR, MIN_YEAR, RELATIVE_YEAR, RELATIVE_YEARS, Examples, date_problem, format_date
from bot.deadlines.calendar import (
    add_months,
    add_workdays,
    holiday_name,
    is_workday,
    month_end,
    next_break_start,
    workday_on_or_before,
)
from bot.deadlines.settings import DEFAULT_SETTINGS, ReminderSettings
from bot.numbering import chinese_numeral, numeral_value


class CadenceUnit(StrEnum):
    WEEK = "W"
    MONTH = "M"


@dataclass(frozen=True)
class Cadence:
    """A review period of an ongoing measure: every ``every`` weeks or months."""

    unit: CadenceUnit
    every: int

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError("a cadence repeats at least every one unit")

    def occurrence(self, anchor: date, n: int) -> date:
        """The ``n``-th review after ``anchor``, counted from the anchor so month ends do not drift."""
        if self.unit is CadenceUnit.WEEK:
            return anchor + timedelta(weeks=self.every * n)
        return add_months(anchor, self.every * n)

    @property
    def label(self) -> str:
        """How a person says it: 每周, 每两周, 每月, 每季度, 每半年, 每年, 每四个月."""
        if self.unit is CadenceUnit.WEEK:
            return "每周" if self.every == 1 else f"每{_count(self.every)}周"
        if self.every in _MONTH_LABELS:
            return _MONTH_LABELS[self.every]
        if self.every % 12 == 0:
            return f"每{_count(self.every // 12)}年"
        return f"每{_count(self.every)}个月"

    @property
    def iso(self) -> str:
        """ISO 8601 duration (``P3M``), for storage."""
        return f"P{self.every}{self.unit}"

    @classmethod
    def from_iso(cls, code: str) -> Cadence:
        found = re.fullmatch(r"P([1-9]\d*)([WM])", code)
        if found is None:
            raise ValueError(f"not a cadence code: {code!r}")
        return cls(CadenceUnit(found[2]), int(found[1]))


_MONTH_LABELS = {1: "每月", 3: "每季度", 6: "每半年", 12: "每年"}

MONTHLY = Cadence(CadenceUnit.MONTH, 1)
QUARTERLY = Cadence(CadenceUnit.MONTH, 3)
HALF_YEARLY = Cadence(CadenceUnit.MONTH, 6)
YEARLY = Cadence(CadenceUnit.MONTH, 12)
CADENCE_CHOICES: tuple[Cadence, ...] = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
"""What the bot offers when an ongoing measure names no cadence."""


def _count(n: int) -> str:
    return "两" if n == 2 else chinese_numeral(n)


@dataclass(frozen=True)
class Ongoing:
    """长期坚持: no end date; reviewed every ``cadence`` (``None`` until the cadre names one)."""

    cadence: Cadence | None
    text: str


@dataclass(frozen=True)
class DueDate:
    """限期整改: due on ``due`` (inclusive)."""

    due: date
    text: str
    follow_on: Ongoing | None = None


@dataclass(frozen=True)
class Immediate:
    """立行立改: due on ``due``, the written date or the default period."""

    due: date
    text: str
    follow_on: Ongoing | None = None


Deadline: TypeAlias = DueDate | Immediate | Ongoing


@dataclass(frozen=True)
class DeadlineProblem:
    """Why a deadline was not understood, as a request to the cadre to rephrase."""

    message: str


_WEEKDAYS = "一二三四五六日"


def format_day(day: date) -> str:
    """``2026年3月31日（周二）``: the weekday lets the cadre spot a wrong year at a glance."""
    return f"{format_date(day)}（周{_WEEKDAYS[day.weekday()]}）"


# --- normalisation ---------------------------------------------------------------------------

_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百]+(?=个|年|月|日|号|周|天|季|工作日|星期|礼拜|次)")


def _arabic(found: re.Match[str]) -> str:
    value = numeral_value(found[0])
    return found[0] if value is None else str(value)


def _normalize(text: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _NUMERAL.sub(_arabic, text)


# --- cadence ---------------------------------------------------------------------------------

_UNITS = r"周|星期|礼拜|月|季度?|年度?"
_CADENCE = re.compile(
    rf"(?P<lead>每|按|逐|双)(?P<n>\d{{1,2}}|半)?个?(?P<u>{_UNITS})"
    r"(?:[年月]?(?:底|末|初|上旬|中旬|下旬)|\d{1,2}[日号])?(?:之?前)?"
    rf"|(?P<n2>\d{{1,2}}|半)?个?(?P<u2>{_UNITS})1次"
)


def _cadence_of(found: re.Match[str]) -> Cadence | None:
    unit = found["u"] or found["u2"]
    amount = found["n"] or found["n2"]
    if found["lead"] == "双":
        amount = amount or "2"
    if amount == "半":
        return {"年": HALF_YEARLY, "月": Cadence(CadenceUnit.WEEK, 2)}.get(unit)
    n = int(amount or 1)
    if n < 1:
        return None
    if unit in ("周", "星期", "礼拜"):
        return Cadence(CadenceUnit.WEEK, n)
    return Cadence(CadenceUnit.MONTH, n * {"月": 1, "季": 3, "季度": 3}.get(unit, 12))


def _find_cadence(normalized: str) -> tuple[Cadence, re.Match[str]] | None:
    for found in _CADENCE.finditer(normalized):
        if (cadence := _cadence_of(found)) is not None:
            return cadence, found
    return None


def promises_at_once(text: str) -> bool:
    """A measure written as 立行立改 (对…补齐手续，已全部退回): the cadre's own deadline word for it. Only
    the set phrases: 立即 alone opens many a measure that takes months (立即组织专题学习)."""
    return _AT_ONCE.search(text) is not None


_AT_ONCE = re.compile("立行立改|即知即改|立查立改|即查即改")


def parse_cadence(text: str) -> Cadence | None:
    """每周, 每两周, 每月, 按月, 双月, 每季度, 每半年, 半年一次, 每年 …; ``None`` when none is named."""
    found = _find_cadence(_normalize(text))
    return None if found is None else found[0]


# --- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    meeting: date
    today: date
    start: date
    """When periods begin and from when a date without a year is the next one: the later of the
    meeting and today."""
    examples: str
    """Deadlines to write instead of one not understood, counted from today (``Examples``)."""


_Resolved: TypeAlias = date | DeadlineProblem
_Resolver: TypeAlias = Callable[[re.Match[str], _Context], _Resolved]

_YEAR = rf"(?:(?<!\d)(?P<y>\d{{4}})|(?P<rel>{RELATIVE_YEAR}))年度?"
_REL_MONTH = r"本|这个?|当|下个?|次"
_REL_QUARTER = r"本|这个?|当|下个?"
_REL_WEEK = r"下下个?|下个?|本|这个?"
_WEEK = r"周|星期|礼拜"
_WEEK_NAMED = rf"(?:(?P<rw>{_REL_WEEK})(?:{_WEEK})|(?<![每上\d个])(?:{_WEEK})(?=[一二三四五六日天末]))"
"""A week named from today's: 本周, 下个星期, or 周 before a day (周五, 周末; not 每周, 上周)."""
_WEEKDAY_NAMES = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_LATER = (
    r"(?<![\d.])(?:\d{1,3}|[〇一二两三四五六七八九十]{1,3}|半)个?"
    r"(?:月|工作日|星期|礼拜|周|天|日|年)[之以]?后"
)
"""A day named by how far from today it lies (3天后, 两周后, 半个月后), as 后天 is."""
FROM_TODAY = re.compile(
    rf"(?:{RELATIVE_YEAR})年|(?:{_REL_MONTH})月|(?<![\d个年])月(?=底|末)|(?:{_REL_QUARTER})季度?"
    rf"|{_WEEK_NAMED}|今天|今日|明天|明日|后天|{_LATER}"
)
"""The words that name a period by its distance from today (今年, 下个月, 月底, 本季度, 下周五, 3天后)."""
_BY = r"(?P<by>之前|以前|前|为止|之后|以后|后)?"
_BEFORE = frozenset({"之前", "以前", "前"})
_AFTER = frozenset({"之后", "以后", "后"})
_PARTS = r"上旬|中旬|下旬|初|中|底|末|内"
_PART = rf"(?P<q>{_PARTS})?"
_PART_DAYS = {"上旬": 10, "初": 10, "中": 15, "中旬": 20}
"""Days for parts of a month; any other part, or none, is the month's last day."""
_MASK = "\x00"


def _group(found: re.Match[str], name: str) -> str | None:
    return found.groupdict().get(name)


def _year(found: re.Match[str], ctx: _Context) -> int | None:
    """The year written (``2026年``, ``明年``), relative years counted from today's."""
    if (explicit := _group(found, "y") or _group(found, "yq")) is not None:
        return int(explicit)
    rel = _group(found, "rel")
    return None if rel is None else ctx.today.year + RELATIVE_YEARS[rel]


def _upcoming(anchor: date, year: int | None, make: Callable[[int], _Resolved]) -> _Resolved:
    """In ``year`` when one is written, else the first occurrence on or after ``anchor``."""
    if year is not None:
        return make(year)
    found = make(anchor.year)
    if isinstance(found, date) and found < anchor:
        return make(anchor.year + 1)
    return found


def _checked_month(month: int) -> DeadlineProblem | None:
    return None if 1 <= month <= 12 else DeadlineProblem(f"没有{month}月，请核对月份。")


def _make_date(year: int, month: int, day: int) -> _Resolved:
    problem = date_problem(year, month, day)  # worded as for meeting dates
    return DeadlineProblem(problem) if problem else date(year, month, day)


def _in_month(year: int, month: int, part: str | None) -> _Resolved:
    if (problem := _checked_month(month)) is not None:
        return problem
    day = _PART_DAYS.get(part or "")
    return month_end(year, month) if day is None else date(year, month, day)


def _unclear(found: re.Match[str], end_word: str) -> DeadlineProblem | None:
    """A bare period followed by 前 (``3月前``) may mean its start or its end: ask."""
    if _group(found, "q") is not None or found["by"] not in _BEFORE:
        return None
    period = found[0][: found.start("by") - found.start()]
    return DeadlineProblem(
        f"“{found[0]}”不够明确：是{period}开始前，还是{period}结束前？请写明，例如“{period}{end_word}前”。"
    )


def _day(found: re.Match[str], ctx: _Context) -> _Resolved:
    month, day = int(found["m"]), int(found["d"])
    return _upcoming(ctx.start, _year(found, ctx), lambda year: _make_date(year, month, day))


def _month(found: re.Match[str], ctx: _Context) -> _Resolved:
    month, part = int(found["m"]), found["q"]
    unclear = _unclear(found, "底")
    return unclear or _upcoming(ctx.start, _year(found, ctx), lambda year: _in_month(year, month, part))


def _quarter(found: re.Match[str], ctx: _Context) -> _Resolved:
    month = 3 * int(found["qn"] or found["n"])
    unclear = _unclear(found, "末")
    return unclear or _upcoming(ctx.start, _year(found, ctx), lambda year: month_end(year, month))


def _half(found: re.Match[str], ctx: _Context) -> _Resolved:
    month = 12 if found["h"] == "下半年" else 6
    unclear = None if found["h"] in ("年中", "中") else _unclear(found, "末")
    return unclear or _upcoming(ctx.start, _year(found, ctx), lambda year: month_end(year, month))


def _year_end(found: re.Match[str], ctx: _Context) -> _Resolved:
    year = _year(found, ctx)
    if year is None:
        year = ctx.meeting.year + (ctx.meeting.month == 12)
        year = max(year, ctx.today.year)  # the next year's end to come, never one already past
    return date(year, 12, 31)


def _year_only(found: re.Match[str], ctx: _Context) -> _Resolved:
    year = _year(found, ctx)
    assert year is not None  # the pattern requires a year
    return _unclear(found, "底") or date(year, 12, 31)


def _relative_month(found: re.Match[str], ctx: _Context) -> _Resolved:
    shifted = add_months(ctx.today.replace(day=1), 1 if (found["rm"] or "").startswith(("下", "次")) else 0)
    return _unclear(found, "底") or _in_month(shifted.year, shifted.month, found["q"])


def _relative_quarter(found: re.Match[str], ctx: _Context) -> _Resolved:
    quarter_end = date(ctx.today.year, 3 * ((ctx.today.month - 1) // 3 + 1), 1)
    shifted = add_months(quarter_end, 3 if (found["rq"] or "").startswith("下") else 0)
    return _unclear(found, "末") or month_end(shifted.year, shifted.month)


def _relative_month_day(found: re.Match[str], ctx: _Context) -> _Resolved:
    shifted = add_months(ctx.today.replace(day=1), 1 if found["rm"].startswith(("下", "次")) else 0)
    return _make_date(shifted.year, shifted.month, int(found["d"]))


def _week(found: re.Match[str], ctx: _Context) -> _Resolved:
    """本周五 / 下周五 / 下下周三: that day of the week named, counted from today's (weeks begin on
    Monday); a bare 周五 the next one to come; 本周内, 下周, 下周末: the last working day of that week."""
    named = found["rw"] or ""
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    monday += timedelta(weeks=named.count("下"))
    if found["wd"] is not None:
        day = monday + timedelta(days=_WEEKDAY_NAMES[found["wd"]])
        return day + timedelta(weeks=1) if not named and day < ctx.today else day
    if (unclear := _unclear(found, "五")) is not None:
        return unclear
    sunday = monday + timedelta(days=6)
    return max(workday_on_or_before(sunday), monday)


_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}


def _day_word(found: re.Match[str], ctx: _Context) -> _Resolved:
    return ctx.today + timedelta(days=_DAY_WORDS[found["dw"]])


def _past(found: re.Match[str], ctx: _Context) -> _Resolved:
    """上周五, 上个月底, 上季度末: gone before it is written, and no deadline."""
    return DeadlineProblem(f"“{found[0]}”已经过去，请写明今后最晚完成的时间，{ctx.examples}。")


_EVENT_BEFORE = re.compile(r"([^\x00\d，,。；;、：:\s]{1,12}?)[之以]?后$")
"""What a period counts from when the writer names it (春节后一周内, 方案印发后一个月内)."""


def _duration(found: re.Match[str], ctx: _Context) -> _Resolved:
    """3个月内 counts from the later of the meeting and today; 3天后 names a day by its distance from
    today, as 后天 (2天后) does. One counted from another event (春节后一周, 通知印发后3天内) is asked
    back: the bot cannot know its day; from the meeting (会后一个月内) it is the same period."""
    event = _EVENT_BEFORE.search(found.string, 0, found.start())
    if event is not None and "会" not in event[1]:
        return DeadlineProblem(f"“{event[0]}”从哪天算起，我推算不出。请直接写完成日期，{ctx.examples}。")
    unit = found["u1"] or found["u2"] or found["u3"]
    start = ctx.today if found["later"] else ctx.start
    if found["n"] == "半":
        if unit == "年":
            return add_months(start, 6)
        if unit == "月":
            return start + timedelta(days=15)
        return DeadlineProblem(f"“{found[0]}”太短，难以跟踪，请写明完成日期，或写“立行立改”。")
    n = int(found["n"])
    if unit == "月":
        return add_months(start, n)
    if unit == "年":
        return add_months(start, 12 * n)
    if unit == "工作日":
        return add_workdays(start, n)
    return start + timedelta(days=n * (1 if unit in ("天", "日") else 7))


_HOLIDAY_ALIASES = {
    "春节": "春节",
    "元旦": "元旦",
    "清明": "清明节",
    "清明节": "清明节",
    "五一": "劳动节",
    "劳动节": "劳动节",
    "五一劳动节": "劳动节",
    "端午": "端午节",
    "端午节": "端午节",
    "中秋": "中秋节",
    "中秋节": "中秋节",
    "国庆": "国庆节",
    "国庆节": "国庆节",
    "十一": "国庆节",
}


def _holiday(found: re.Match[str], ctx: _Context) -> _Resolved:
    name = _HOLIDAY_ALIASES[found["h"]]
    year = _year(found, ctx)
    after = ctx.start if year is None else date(year, 1, 1) - timedelta(days=1)
    start = next_break_start(name, after)
    if start is None or (year is not None and start.year != year):
        which = "下一个" if year is None else f"{year}年"
        return DeadlineProblem(
            f"还没有{which}{name}的放假安排，无法推算“{found[0]}”是哪一天。请直接写日期，例如“2月10日前”。"
        )
    return workday_on_or_before(start - timedelta(days=1))


_HOLIDAY_NAMES = "|".join(sorted(_HOLIDAY_ALIASES, key=len, reverse=True))

_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), resolver)
    for pattern, resolver in (
        (rf"上个?(?:月份?|季度?|{_WEEK})(?:[一二三四五六日天]|\d{{1,2}}[日号]|{_PARTS})?{_BY}", _past),
        (rf"(?<!\d)(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?!\d)日?{_BY}", _day),
        (rf"(?:{_YEAR})?(?<!\d)(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_BY}", _day),
        (rf"(?<!\d)(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})(?![\d.\-/])月?份?{_PART}{_BY}", _month),
        (rf"(?<![\d.\-/])(?P<m>\d{{1,2}})[./](?P<d>\d{{1,2}})(?![\d.\-/个天周年月日工])日?{_BY}", _day),
        (rf"(?:{_YEAR})?(?P<h>上半年|下半年|年中|(?<=年)中)(?P<q>底|末|内)?{_BY}", _half),
        (
            rf"(?:{_YEAR}|(?<!\d)(?P<yq>\d{{4}})(?=q))?"
            rf"(?:(?<![a-z])q(?P<qn>[1-4])|第?(?<!\d)(?P<n>[1-4])季度?)(?P<q>底|末|内)?{_BY}",
            _quarter,
        ),
        (rf"(?:{_YEAR})?(?<!\d)(?P<m>\d{{1,2}})月份?{_PART}{_BY}", _month),
        (
            r"(?<![\d.])(?P<n>\d{1,3}|半)"
            r"(?:个(?P<u1>月|工作日|星期|礼拜|周)|(?P<u2>工作日|周|星期|礼拜|天)|(?P<u3>日|年)(?=之?内|以内|[之以]?后))"
            r"(?:之?内|以内|(?P<later>[之以]?后))?",
            _duration,
        ),
        (rf"(?:(?:{_YEAR})年?|年度?)(?P<q>底|末|内|终){_BY}", _year_end),
        (rf"(?P<rm>{_REL_MONTH})月份?(?P<d>\d{{1,2}})[日号]{_BY}", _relative_month_day),
        (rf"(?:(?P<rm>{_REL_MONTH})月份?|(?<![\d个])月(?=底|末)){_PART}{_BY}", _relative_month),
        (
            rf"{_WEEK_NAMED}(?P<wd>[一二三四五六日天])?(?P<q>内|末)?{_BY}",
            _week,
        ),
        (
            rf"(?:(?P<rq>{_REL_QUARTER})季度?|(?<![\d个])季度?(?=底|末))(?P<q>底|末|内)?{_BY}",
            _relative_quarter,
        ),
        (rf"(?:{_YEAR})?(?P<h>{_HOLIDAY_NAMES})(?:假期|长假|放假)?(?P<by>之前|以前|前)", _holiday),
        (rf"(?P<dw>{'|'.join(_DAY_WORDS)}){_BY}", _day_word),
        (rf"{_YEAR}{_BY}", _year_only),
    )
)
"""Date phrases, most specific first; each match is masked so later rules cannot re-read it."""

_IMMEDIATE = re.compile(
    r"立行立改|立即(?:整改|落实|执行|改正)?|马上就?(?:改|办)|即知即改|即查即改|立查立改|立说立行|边查边改|当即"
)
_ONGOING = re.compile(r"长期坚持|长期|持续(?:推进|整改|开展|落实|改进)?|常态化|常抓不懈|久久为功|坚持不懈")
_LEFTOVER = re.compile(r"\d(?!\d*次)|(?:周|星期|礼拜)[一二三四五六日天末]")
"""What must not remain unread: numbers (except counts like 1次) and weekdays."""
_RANGE = re.compile(r"[至到~\-—–]")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    value: _Resolved


@dataclass
class _Scan:
    text: str
    immediate: bool = False
    ongoing: bool = False
    cadence: Cadence | None = None

    def take(self, found: re.Match[str]) -> None:
        start, end = found.span()
        self.text = self.text[:start] + _MASK * (end - start) + self.text[end:]

    def take_all(self, pattern: re.Pattern[str]) -> bool:
        found = list(pattern.finditer(self.text))
        for each in found:
            self.take(each)
        return bool(found)


def _scan(normalized: str, ctx: _Context) -> tuple[_Scan, list[_Hit]]:
    scan = _Scan(normalized)
    scan.immediate = scan.take_all(_IMMEDIATE)
    scan.ongoing = scan.take_all(_ONGOING)
    if (cadence := _find_cadence(scan.text)) is not None:
        scan.cadence = cadence[0]
        scan.take(cadence[1])
    hits: list[_Hit] = []
    for pattern, resolver in _RULES:
        for found in pattern.finditer(scan.text):
            scan.take(found)
            value = _after_problem(found, ctx) or _year_problem(found) or resolver(found, ctx)
            hits.append(_Hit(found.start(), found.end(), value))
    return scan, sorted(hits, key=lambda hit: hit.start)


def _after_problem(found: re.Match[str], ctx: _Context) -> DeadlineProblem | None:
    if _group(found, "by") not in _AFTER:
        return None
    return DeadlineProblem(f"“{found[0]}”是开始时间，不是完成时限。请写明最晚完成的时间，{ctx.examples}。")


def _year_problem(found: re.Match[str]) -> DeadlineProblem | None:
    """A written year outside the years meetings are held in is a typo, not a date to compute with."""
    written = _group(found, "y") or _group(found, "yq")
    if written is None or MIN_YEAR <= int(written) <= MAX_YEAR:
        return None
    return DeadlineProblem(f"“{found[0]}”中的年份{written}不对，请核对年份。")


def _problem(original: str, scan: _Scan, hits: list[_Hit], ctx: _Context) -> DeadlineProblem | None:
    for hit in hits:
        if isinstance(hit.value, DeadlineProblem):
            return hit.value
    between = [scan.text[a.end : b.start] for a, b in pairwise(hits)]
    ranged = any(_RANGE.fullmatch(gap) for gap in between)
    if len(hits) > 1 and not ranged:
        return DeadlineProblem(f"“{original}”里有不止一个时间，请只保留最终完成的时间，例如“6月底前”。")
    if ranged or (_LEFTOVER.search(scan.text) and _RANGE.search(scan.text)):
        return DeadlineProblem(f"“{original}”是一个时间段，请写明最终完成的时间，例如“6月底前”。")
    if _LEFTOVER.search(scan.text):
        return DeadlineProblem(f"没能完全看懂“{original}”，请换一种写法，{ctx.examples}。")
    return None


def immediate_due(start: date, settings: ReminderSettings = DEFAULT_SETTINGS) -> date:
    """When something to be done at once (立行立改) from ``start`` is due: the last working day of the
    period the settings give it."""
    return workday_on_or_before(add_months(start, settings.immediate_months))


def parse_deadline(
    text: str, *, meeting: date, today: date, settings: ReminderSettings = DEFAULT_SETTINGS
) -> Deadline | DeadlineProblem:
    """Read a 整改时限; see the module docstring for the rules."""
    original = text.strip()
    ctx = _Context(meeting, today, start=max(meeting, today), examples=Examples(today).deadlines)
    if not original:
        return DeadlineProblem(f"请填写整改时限，{ctx.examples}。")
    scan, hits = _scan(_normalize(original), ctx)
    if (problem := _problem(original, scan, hits, ctx)) is not None:
        return problem
    follow_on = Ongoing(scan.cadence, original) if scan.ongoing or scan.cadence else None
    if hits:
        due = hits[0].value
        assert isinstance(due, date)  # problems were returned above
        kind = Immediate if scan.immediate else DueDate
        return kind(due, original, follow_on)
    if scan.immediate:
        return Immediate(immediate_due(ctx.start, settings), original, follow_on)
    return follow_on or DeadlineProblem(f"没能识别整改时限“{original}”，请换一种写法，{ctx.examples}。")


_POSTPONED_BY = re.compile(
    r"(?:申请)?(?:延期|推迟|顺延|延长|延后|推后|往后推|再延)了?"
    r"(?P<period>(?:\d{1,3}|半)个?(?:月|工作日|星期|礼拜|周|天|日|年))(?:时间)?"
)


def postponed(text: str, current: date) -> DueDate | None:
    """延期一个月, 推迟两周, 顺延10个工作日 asked for a measure due on ``current``: that deadline moved on
    by the period (a period alone, 3个月内, is read by ``parse_deadline`` as any deadline is); None
    for any other text."""
    found = _POSTPONED_BY.fullmatch(_normalize(text.strip()).rstrip("。.，,"))
    if found is None:
        return None
    moved = parse_deadline(found["period"] + "内", meeting=current, today=current)
    return DueDate(moved.due, text.strip()) if isinstance(moved, DueDate) else None


# --- confirmation ----------------------------------------------------------------------------


def _describe_ongoing(ongoing: Ongoing) -> str:
    if ongoing.cadence is None:
        return "长期坚持：回顾周期待定"
    return f"长期坚持：{ongoing.cadence.label}回顾一次"


def describe(deadline: Deadline) -> str:
    """One line for the cadre to confirm, e.g. ``整改时限：2026年3月31日（周二）``."""
    if isinstance(deadline, Ongoing):
        return _describe_ongoing(deadline)
    if isinstance(deadline, Immediate):
        line = f"立行立改：{format_day(deadline.due)}前完成"
    else:
        line = f"整改时限：{format_day(deadline.due)}"
    if deadline.follow_on is not None:
        line += f"；此后{_describe_ongoing(deadline.follow_on)}"
    return line


def warnings(
    deadline: Deadline, *, today: date, meeting: date, settings: ReminderSettings = DEFAULT_SETTINGS
) -> list[str]:
    """Things a careful colleague would query about a date before it goes into the ledger."""
    if isinstance(deadline, Ongoing):
        return []
    due = deadline.due
    found: list[str] = []
    if due < today:
        found.append(f"整改时限{format_day(due)}已经过去，请核对年份和日期。")
    elif due > add_months(max(today, meeting), settings.far_months):
        found.append(f"整改时限{format_day(due)}距今超过{settings.far_months}个月，请确认是否写对。")
    elif isinstance(deadline, DueDate) and due < meeting:  # 立行立改 may well be done before it
        found.append(
            f"整改时限{format_day(due)}早于会议日期{format_day(meeting)}；会上提出的措施，"
            "时限一般定在会后，请核对。"
        )
    elif isinstance(deadline, DueDate) and (due - today).days < settings.near_days:
        found.append(
            f"整改时限{format_day(due)}距今不足{settings.near_days}天；如能马上完成，可写“立行立改”。"
        )
    if not is_workday(due):
        reason = holiday_name(due) or f"周{_WEEKDAYS[due.weekday()]}"
        found.append(
            f"{format_date(due)}是{reason}，不是工作日，建议改为前一个工作日"
            f"{format_day(workday_on_or_before(due))}。"
        )
    return found

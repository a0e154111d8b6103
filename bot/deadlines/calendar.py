"""China's working-day calendar: statutory holidays and 调休 workdays from ``chinesecalendar``.

The library ships one year of official 放假安排 per release (the State Council publishes the next
year's schedule each November), so it must be upgraded yearly; meanwhile an operator's holidays file
(``bot.deadlines.holidays``, installed with ``use_schedule``) covers the years it names and takes
precedence for them. For a date neither covers every function here falls back to Monday–Friday, and
holiday look-ups answer ``None``.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta

import chinese_calendar

from bot.deadlines.holidays import Schedule

_DAY = timedelta(days=1)
_schedule: Schedule | None = None


def use_schedule(schedule: Schedule | None) -> None:
    """Install the operator's holidays file for the whole process (``None`` removes it)."""
    global _schedule
    _schedule = schedule


def _library_detail(day: date) -> tuple[bool, str | None] | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return bool(on_holiday), None if name is None else HOLIDAY_NAMES.get(str(name), str(name))


def covered(year: int) -> bool:
    """Whether the official schedule of ``year`` is known (library or holidays file)."""
    return (_schedule is not None and year in _schedule.years) or _library_detail(
        date(year, 6, 1)
    ) is not None


def coverage_warning(today: date) -> str | None:
    """Said at start when next year's deadlines would fall back to Monday–Friday."""
    year = today.year + 1
    if covered(year):
        return None
    return (
        f"{year}年的法定节假日和调休安排尚未配置（chinesecalendar 不含该年，"
        f"DUIZHAO_HOLIDAYS_FILE 也未提供），{year}年的时限和提醒将按周一至周五计算。"
        "国务院公布放假安排后，请升级 chinesecalendar 或在节假日文件中补上。"
    )


HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
"""The library's holiday names and their Chinese names, which the rest of the code uses."""


def _detail(day: date) -> tuple[bool, str | None] | None:
    """``(is_day_off, holiday name)`` from the holidays file or the library, ``None`` where neither
    covers the day."""
    schedule = _schedule
    if schedule is not None:
        if day in schedule.days:
            return True, schedule.days[day]
        if day in schedule.workdays:
            return False, None
        if day.year in schedule.years:
            return day.weekday() >= 5, None
    return _library_detail(day)


def is_workday(day: date) -> bool:
    """A working day in China, counting 调休 weekends; Monday–Friday outside the covered years."""
    detail = _detail(day)
    if detail is None:
        return day.weekday() < 5
    return not detail[0]


def holiday_name(day: date) -> str | None:
    """The statutory holiday ``day`` belongs to (``"国庆节"``), ``None`` for ordinary days and weekends."""
    detail = _detail(day)
    if detail is None or not detail[0]:
        return None
    return detail[1]


def workday_on_or_before(day: date) -> date:
    while not is_workday(day):
        day -= _DAY
    return day


def workday_on_or_after(day: date) -> date:
    while not is_workday(day):
        day += _DAY
    return day


def previous_workday(day: date) -> date:
    """The last working day strictly before ``day``."""
    return workday_on_or_before(day - _DAY)


def next_workday(day: date) -> date:
    """The first working day strictly after ``day``."""
    return workday_on_or_after(day + _DAY)


def add_workdays(day: date, count: int) -> date:
    """``count`` working days after ``day`` (before it when negative); ``day`` itself is not counted."""
    step = next_workday if count >= 0 else previous_workday
    for _ in range(abs(count)):
        day = step(day)
    return day


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (1月31日 + 1 → 2月28日)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, month_end(year, month + 1).day))


def month_end(year: int, month: int) -> date:
    return date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def next_break_start(name: str, after: date) -> date | None:
    """First day of the next official break (放假) that includes holiday ``name`` and starts after ``after``.

    A break may join two holidays (2025: 国庆节 and 中秋节 together from 10月1日), so it is found by
    the holiday and then walked back to its first day. ``None`` when the break is not in the data yet.
    """
    day = after
    while holiday_name(day) is not None:  # skip a break in progress
        day += _DAY
    while True:
        day += _DAY
        detail = _detail(day)
        if detail is None:
            return None
        if detail == (True, name):
            break
    while holiday_name(day - _DAY) is not None:
        day -= _DAY
    return day

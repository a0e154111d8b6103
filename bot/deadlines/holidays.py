"""Official 放假安排 beyond ``chinesecalendar``'s data, from an operator's file (``DUIZHAO_HOLIDAYS_FILE``).

The State Council publishes next year's schedule each November; deadlines promised at a meeting fall
in that year, often before a library release covers it. The file gives, per year, the breaks (放假)
and the weekend days worked instead (调休上班)::

    2027:
      holidays:
        - {name: 元旦, from: 2027-01-01, to: 2027-01-01}
        - {name: 春节, from: 2027-02-06, to: 2027-02-13}
      workdays: [2027-02-14, 2027-02-20]

It is checked like the themes: a mistake stops the bot at start with the file, the place and what
is wrong, rather than silently moving reminders onto holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.yamlsafe import safe_load

HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "抗战胜利纪念日")
MAX_BREAK_DAYS = 10


class HolidaysError(Exception):
    """The holidays file cannot be used; the message names the file and the entry."""


class _Break(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    start: date = Field(alias="from")
    end: date = Field(alias="to")

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in HOLIDAYS:
            raise ValueError(f"“{name}”不是法定节假日，应为：{'、'.join(HOLIDAYS)}")
        return name


class _Year(BaseModel):
    model_config = ConfigDict(extra="forbid")

    holidays: list[_Break]
    workdays: list[date] = Field(default_factory=list)


@dataclass(frozen=True)
class Schedule:
    """Holiday days by name, the 调休 working days, and the years the file covers."""

    days: dict[date, str]
    workdays: frozenset[date]
    years: frozenset[int]
    source: str


def load_holidays(path: Path) -> Schedule:
    """Read and check the file; ``HolidaysError`` says what to fix."""
    source = str(path)
    try:
        raw: Any = safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HolidaysError(f"{source}: 无法读取：{exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise HolidaysError(f"{source}: 不是有效的 YAML：{exc}") from exc
    if not isinstance(raw, dict) or not raw:
        raise HolidaysError(
            f"{source}: 应为“年份: 放假安排”的映射，例如 2027: {{holidays: [...], workdays: [...]}}"
        )
    days: dict[date, str] = {}
    workdays: set[date] = set()
    for year, entry in raw.items():
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise HolidaysError(f"{source}: {year}: 年份应为四位数字，如 2027")
        try:
            parsed = _Year.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise HolidaysError(f"{source}: {year}.{where}: {first['msg']}") from None
        _check_year(source, year, parsed, days, workdays)
    return Schedule(days, frozenset(workdays), frozenset(raw), source)


def _check_year(source: str, year: int, parsed: _Year, days: dict[date, str], workdays: set[date]) -> None:
    earliest = date(year - 1, 12, 25)  # a 元旦 break may start in the last days of December
    for index, found in enumerate(parsed.holidays):
        where = f"{source}: {year}.holidays[{index}]（{found.name}）"
        if found.end < found.start:
            raise HolidaysError(f"{where}: 结束日期早于开始日期")
        if found.end.year != year or found.start < earliest:
            raise HolidaysError(f"{where}: 日期不在{year}年")
        if (found.end - found.start).days >= MAX_BREAK_DAYS:
            raise HolidaysError(f"{where}: 放假超过{MAX_BREAK_DAYS}天，请核对日期")
        day = found.start
        while day <= found.end:
            if day in days:
                raise HolidaysError(f"{where}: {day.isoformat()} 已属于{days[day]}")
            days[day] = found.name
            day += timedelta(days=1)
    for day in parsed.workdays:
        where = f"{source}: {year}.workdays: {day.isoformat()}"
        if day.year != year:
            raise HolidaysError(f"{where}: 日期不在{year}年")
        if day.weekday() < 5:
            raise HolidaysError(f"{where}: 调休上班日应是周六或周日")
        if day in days:
            raise HolidaysError(f"{where}: 同时写在了放假日期中")
        workdays.add(day)

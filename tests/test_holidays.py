"""An operator's 放假安排 file for years chinesecalendar does not cover: checked, used, warned about."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.cli import main
from bot.deadlines import calendar
from bot.deadlines.holidays import HolidaysError, load_holidays
from bot.deadlines.parse import DueDate
from bot.deadlines.plan import MeasurePlanInput, plan_reminders
from bot.deadlines.settings import ReminderSettings
from tests.test_access import make_settings

SCHEDULE_2027 = """\
2027:
  holidays:
    - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    - {name: 春节, from: 2027-02-06, to: 2027-02-13}
    - {name: 劳动节, from: 2027-05-01, to: 2027-05-05}
  workdays: [2027-02-14, 2027-05-08]
"""


@pytest.fixture(autouse=True)
def library_only() -> Iterator[None]:
    """The schedule is process-wide: every test leaves it as it found it."""
    yield
    calendar.use_schedule(None)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_extends_the_calendar_to_its_years(tmp_path: Path) -> None:
    assert not calendar.covered(2027) and calendar.is_workday(date(2027, 2, 8))  # a Monday, by default
    calendar.use_schedule(load_holidays(_file(tmp_path, SCHEDULE_2027)))
    assert calendar.covered(2027)
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.holiday_name(date(2027, 2, 8)) == "春节"
    assert calendar.is_workday(date(2027, 2, 14))  # a Sunday worked instead (调休)
    assert not calendar.is_workday(date(2027, 3, 6))  # an ordinary Saturday
    assert calendar.is_workday(date(2026, 3, 9)) and calendar.holiday_name(date(2026, 10, 1)) == "国庆节"


def test_reminders_in_a_covered_year_avoid_its_holidays(tmp_path: Path) -> None:
    settings = ReminderSettings(offsets_days=(0,), max_nudges=0)
    due = MeasurePlanInput(1, DueDate(date(2027, 2, 10), ""), False, "Asia/Shanghai", date(2026, 12, 1))
    moment = datetime(2026, 12, 6, tzinfo=UTC)
    assert plan_reminders(due, settings, now=moment)[0].key == "due_today:2027-02-10"  # weekday by default
    calendar.use_schedule(load_holidays(_file(tmp_path, SCHEDULE_2027)))
    assert plan_reminders(due, settings, now=moment)[0].key == "due_today:2027-02-05"  # before 春节


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027: {holidays: [{name: 圣诞节, from: 2027-12-25, to: 2027-12-25}]}", "“圣诞节”不是法定节假日"),
        ("2027: {holidays: [{name: 春节, from: 2027-02-13, to: 2027-02-06}]}", "结束日期早于开始日期"),
        ("2027: {holidays: [{name: 春节, from: 2026-02-06, to: 2026-02-13}]}", "日期不在2027年"),
        ("2027: {holidays: [], workdays: [2027-02-15]}", "调休上班日应是周六或周日"),
        (
            "2027: {holidays: [{name: 春节, from: 2027-02-06, to: 2027-02-13}], workdays: [2027-02-06]}",
            "同时写在",
        ),
        ("2027: {holidays: [{name: 春节, from: 2027-02-06}]}", "2027.holidays.0.to"),
        ("2027: {holiday: []}", "2027.holidays"),
        ("twenty: {holidays: []}", "年份应为四位数字"),
        ("- 2027", "应为“年份: 放假安排”的映射"),
        ("2027: {holidays: [", "不是有效的 YAML"),
    ],
)
def test_a_mistake_is_named_with_its_place(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(HolidaysError, match=message) as raised:
        load_holidays(_file(tmp_path, text))
    assert str(raised.value).startswith(str(tmp_path / "holidays.yaml"))


def test_start_up_loads_the_file_or_warns_that_next_year_is_not_covered(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="duizhao"):
        build_application(make_settings(database_url, tmp_path))
    next_year = date.today().year + 1
    warned = [r.getMessage() for r in caplog.records if "DUIZHAO_HOLIDAYS_FILE" in r.getMessage()]
    assert len(warned) == (0 if calendar.covered(next_year) else 1)  # before any file: the library alone
    caplog.clear()
    path = _file(tmp_path, SCHEDULE_2027.replace("2027", str(next_year)))
    with caplog.at_level(logging.WARNING, logger="duizhao"):
        build_application(make_settings(database_url, tmp_path, holidays_file=path))
    assert calendar.covered(next_year)
    assert not [r for r in caplog.records if "DUIZHAO_HOLIDAYS_FILE" in r.getMessage()]
    with pytest.raises(HolidaysError, match="不是法定节假日"):
        bad = _file(tmp_path, "2030: {holidays: [{name: 植树节, from: 2030-03-12, to: 2030-03-12}]}")
        build_application(make_settings(database_url, tmp_path, holidays_file=bad))


def test_the_holidays_command_checks_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    next_year = date.today().year + 1
    monkeypatch.setenv(
        "DUIZHAO_HOLIDAYS_FILE", str(_file(tmp_path, SCHEDULE_2027.replace("2027", str(next_year))))
    )
    assert main(["holidays"]) == 0
    out = capsys.readouterr().out
    assert f"{next_year}年，放假16天，调休上班2天" in out and f"{next_year}年：已配置" in out
    _file(tmp_path, "2027: {holidays: [], workdays: [2027-02-15]}")
    assert main(["holidays"]) == 1
    assert "节假日配置有误" in capsys.readouterr().err

"""整改时限 as cadres write them: dates, 立行立改, 长期坚持, and the phrasings that must be asked back."""

from __future__ import annotations

from datetime import date

import pytest

from bot.deadlines import (
    CADENCE_CHOICES,
    Cadence,
    CadenceUnit,
    Deadline,
    DeadlineProblem,
    DueDate,
    Immediate,
    Ongoing,
    ReminderSettings,
    describe,
    parse_cadence,
    parse_deadline,
    warnings,
)
from bot.deadlines.parse import postponed

MEETING = date(2026, 1, 15)  # a 2025年度 民主生活会
TODAY = date(2026, 1, 20)  # the ledger is filled in a few days later; relative periods start here
D = date

WEEKLY = Cadence(CadenceUnit.WEEK, 1)
MONTHLY = Cadence(CadenceUnit.MONTH, 1)
QUARTERLY = Cadence(CadenceUnit.MONTH, 3)
HALF_YEARLY = Cadence(CadenceUnit.MONTH, 6)


def parse(text: str, meeting: date = MEETING, today: date = TODAY) -> Deadline | DeadlineProblem:
    return parse_deadline(text, meeting=meeting, today=today)


# fmt: off
DUE_DATES = [
    ("2026年3月底前", D(2026, 3, 31)),
    ("3月底", D(2026, 3, 31)),
    ("3月份", D(2026, 3, 31)),
    ("3月上旬", D(2026, 3, 10)),
    ("3月中旬", D(2026, 3, 20)),
    ("十二月底前", D(2026, 12, 31)),
    ("6月30日前", D(2026, 6, 30)),
    ("六月三十号之前", D(2026, 6, 30)),
    ("2026-06-30", D(2026, 6, 30)),
    ("2026/6/30", D(2026, 6, 30)),
    ("2026.6.30", D(2026, 6, 30)),
    ("6.30前", D(2026, 6, 30)),
    ("２０２６年３月３１日前", D(2026, 3, 31)),
    ("二〇二六年六月三十日前", D(2026, 6, 30)),
    ("力争于2026年9月底前完成整改", D(2026, 9, 30)),
    ("1月10日前", D(2027, 1, 10)),  # already past at the meeting: the next 1月10日
    ("年底前", D(2026, 12, 31)),
    ("年内", D(2026, 12, 31)),
    ("本年度内", D(2026, 12, 31)),
    ("今年底", D(2026, 12, 31)),
    ("明年底前", D(2027, 12, 31)),
    ("明年3月", D(2027, 3, 31)),
    ("一季度末", D(2026, 3, 31)),
    ("第一季度", D(2026, 3, 31)),
    ("二季度末前", D(2026, 6, 30)),
    ("第3季度末", D(2026, 9, 30)),
    ("2027年一季度", D(2027, 3, 31)),
    ("Q2", D(2026, 6, 30)),
    ("2026年Q3", D(2026, 9, 30)),
    ("上半年", D(2026, 6, 30)),
    ("年中", D(2026, 6, 30)),
    ("2026年年中", D(2026, 6, 30)),
    ("下半年", D(2026, 12, 31)),
    ("3个月内", D(2026, 4, 20)),
    ("三个月内", D(2026, 4, 20)),
    ("半年内", D(2026, 7, 20)),
    ("一年内", D(2027, 1, 20)),
    ("两周内", D(2026, 2, 3)),
    ("30天内", D(2026, 2, 19)),
    ("10个工作日内", D(2026, 2, 3)),
    ("月底前", D(2026, 1, 31)),
    ("本月底", D(2026, 1, 31)),
    ("下个月底", D(2026, 2, 28)),
    ("下月中旬", D(2026, 2, 20)),
    ("本季度末", D(2026, 3, 31)),
    ("春节前", D(2026, 2, 14)),  # the break starts Sun 2月15日; Sat 2月14日 is a 调休 workday
    ("五一前", D(2026, 4, 30)),
    ("国庆节前", D(2026, 9, 30)),
    ("十一前", D(2026, 9, 30)),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), DUE_DATES, ids=[text for text, _ in DUE_DATES])
def test_dates(text: str, expected: date) -> None:
    assert parse(text) == DueDate(expected, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年底前", D(2026, 12, 31)),  # a December meeting's 年底 is next year's
        ("年内", D(2026, 12, 31)),
        ("今年底", D(2025, 12, 31)),  # written literally
        ("3月底前", D(2026, 3, 31)),
        ("一季度末", D(2026, 3, 31)),
        ("12月31日前", D(2025, 12, 31)),
    ],
)
def test_december_meeting(text: str, expected: date) -> None:
    assert parse(text, meeting=D(2025, 12, 25), today=D(2025, 12, 20)) == DueDate(expected, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月底前", D(2027, 3, 31)),  # the 3月底 after the meeting is past: the next one, not a date gone
        ("一季度末", D(2027, 3, 31)),
        ("6月30日前", D(2027, 6, 30)),
        ("上半年", D(2027, 6, 30)),
        ("12月底前", D(2026, 12, 31)),  # still to come: this year's
        ("年底前", D(2026, 12, 31)),  # the meeting's year's end is still ahead
        ("2026年3月底前", D(2026, 3, 31)),  # a year written is taken as written (and queried as past)
    ],
)
def test_a_yearless_date_typed_long_after_the_meeting_is_the_next_one(text: str, expected: date) -> None:
    """A measure's deadline set or moved in December for a January meeting: a bare 3月底 means the
    coming one, never one that was already past when it was typed."""
    assert parse(text, meeting=MEETING, today=D(2026, 12, 6)) == DueDate(expected, text)


def test_a_year_end_typed_after_it_has_passed_is_this_years() -> None:
    """A December meeting's 年底 is the next year's; typed when even that is past, the current one."""
    assert parse("年底前", meeting=D(2024, 12, 20), today=D(2026, 2, 1)) == DueDate(D(2026, 12, 31), "年底前")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明年1月15日前", D(2027, 1, 15)),
        ("明年3月底前", D(2027, 3, 31)),
        ("明年一季度", D(2027, 3, 31)),
        ("明年一季度末", D(2027, 3, 31)),
        ("明年上半年", D(2027, 6, 30)),
        ("明年底前", D(2027, 12, 31)),
        ("今年底", D(2026, 12, 31)),
        ("下月", D(2027, 1, 31)),
        ("下个月底", D(2027, 1, 31)),
        ("本季度末", D(2026, 12, 31)),
        ("3月底前", D(2027, 3, 31)),  # no word counted from today: the first after the meeting
    ],
)
def test_words_counted_from_today_before_a_meeting_next_year(text: str, expected: date) -> None:
    """Written in December for a January meeting, 明年 and 下个月 are counted from the day written."""
    assert parse(text, meeting=D(2027, 1, 15), today=D(2026, 12, 7)) == DueDate(expected, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3天后", D(2026, 12, 10)),
        ("三天以后完成", D(2026, 12, 10)),
        ("2天后", D(2026, 12, 9)),  # as 后天
        ("两周后", D(2026, 12, 21)),
        ("半个月后", D(2026, 12, 22)),
        ("3个月之后", D(2027, 3, 7)),
        ("10天内", D(2027, 1, 25)),  # a period: the promise starts at the meeting
        ("会后10天内", D(2027, 1, 25)),
        ("一个月内", D(2027, 2, 15)),
    ],
)
def test_a_day_named_by_its_distance_counts_from_today_and_a_period_from_the_meeting(
    text: str, expected: date
) -> None:
    """3天后 is a day three days on from the one it is written on, as 后天 is two; 10天内 is a period,
    which before the meeting begins at it."""
    assert parse(text, meeting=D(2027, 1, 15), today=D(2026, 12, 7)) == DueDate(expected, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("立行立改", Immediate(D(2026, 2, 14), "立行立改")),  # 2月20日 is in the 春节 break
        ("立即整改", Immediate(D(2026, 2, 14), "立即整改")),
        ("马上就改", Immediate(D(2026, 2, 14), "马上就改")),
        ("立行立改，3月底前全部完成", Immediate(D(2026, 3, 31), "立行立改，3月底前全部完成")),
        ("长期坚持", Ongoing(None, "长期坚持")),
        ("常态化", Ongoing(None, "常态化")),
        ("长期坚持，每季度", Ongoing(QUARTERLY, "长期坚持，每季度")),
        ("每月", Ongoing(MONTHLY, "每月")),
        ("持续推进，每半年开展一次回顾", Ongoing(HALF_YEARLY, "持续推进，每半年开展一次回顾")),
        ("每月开展2次，长期坚持", Ongoing(MONTHLY, "每月开展2次，长期坚持")),
        ("每月底前报送，长期坚持", Ongoing(MONTHLY, "每月底前报送，长期坚持")),
        (
            "立行立改，长期坚持",
            Immediate(D(2026, 2, 14), "立行立改，长期坚持", Ongoing(None, "立行立改，长期坚持")),
        ),
        (
            "2026年6月底前完成，此后每季度回顾",
            DueDate(
                D(2026, 6, 30),
                "2026年6月底前完成，此后每季度回顾",
                Ongoing(QUARTERLY, "2026年6月底前完成，此后每季度回顾"),
            ),
        ),
    ],
)
def test_immediate_and_ongoing(text: str, expected: Deadline) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本周五", D(2026, 12, 11)),
        ("这周五前", D(2026, 12, 11)),
        ("周五前", D(2026, 12, 11)),  # the next Friday to come
        ("周二前", D(2026, 12, 15)),  # this week's is past: next week's
        ("下周五", D(2026, 12, 18)),
        ("下星期三前", D(2026, 12, 16)),
        ("下下周五", D(2026, 12, 25)),
        ("本周内", D(2026, 12, 11)),  # a week without a day: its last working day
        ("下周", D(2026, 12, 18)),
        ("下周末前", D(2026, 12, 18)),
        ("明天", D(2026, 12, 10)),
        ("月底前", D(2026, 12, 31)),
        ("下个月15日前", D(2027, 1, 15)),
        ("下个月底", D(2027, 1, 31)),
    ],
)
def test_days_of_a_week_and_a_month_named_from_today(text: str, expected: date) -> None:
    """Written on Wednesday 2026年12月9日 for a January meeting: 下周五 is the Friday of the week after
    this one, whenever the meeting is."""
    assert parse(text, meeting=D(2027, 1, 15), today=D(2026, 12, 9)) == DueDate(expected, text)


def test_immediate_with_a_day_named_from_today() -> None:
    assert parse("立行立改，下周五", today=D(2026, 1, 20)) == Immediate(D(2026, 1, 30), "立行立改，下周五")


def test_immediate_counts_from_the_meeting_when_written_before_it() -> None:
    assert parse("立行立改", today=D(2026, 1, 5)) == Immediate(D(2026, 2, 14), "立行立改")


def test_immediate_without_a_date_falls_on_a_working_day_the_bot_need_not_query() -> None:
    """The bot picks the date, so it picks the last working day of the period: a month after 1月15日
    is a Sunday in the 春节 break (2月14日 is a working Saturday), one after 10月21日 a Saturday."""
    during_the_break = parse("立行立改", today=D(2026, 1, 5))
    assert during_the_break == Immediate(D(2026, 2, 14), "立行立改")
    assert warnings(during_the_break, today=D(2026, 1, 5), meeting=MEETING) == []
    assert parse("立行立改", today=D(2026, 10, 21)) == Immediate(D(2026, 11, 20), "立行立改")
    assert parse("立行立改", today=D(2026, 10, 20)) == Immediate(D(2026, 11, 20), "立行立改")  # a Friday


def test_immediate_period_is_configurable() -> None:
    settings = ReminderSettings(immediate_months=2)
    result = parse_deadline("立行立改", meeting=MEETING, today=TODAY, settings=settings)
    assert result == Immediate(D(2026, 3, 20), "立行立改")


# fmt: off
PROBLEMS = [
    ("", "请填写整改时限"),
    ("   ", "请填写整改时限"),
    ("尽快", "没能识别整改时限“尽快”"),
    ("待上级通知", "例如：2026年4月底前"),  # a quarter after TODAY
    ("2月30日前", "2月没有30日"),
    ("6.31前", "6月没有31日"),
    ("2027年2月29日", "2027年不是闰年"),
    ("13月底", "没有13月"),
    ("3月前", "是3月开始前，还是3月结束前？请写明，例如“3月底前”"),
    ("2026年前", "例如“2026年底前”"),
    ("二季度前", "季度末前"),
    ("3月至6月", "是一个时间段"),
    ("3-6月", "是一个时间段"),
    ("2026年3月-6月", "是一个时间段"),
    ("3月底或6月底", "不止一个时间"),
    ("6月30日后", "不是完成时限"),
    ("上周五", "“上周五”已经过去，请写明今后最晚完成的时间，例如：2026年4月底前"),
    ("上个月底前", "“上个月底前”已经过去"),
    ("下周前", "是下周开始前，还是下周结束前？请写明，例如“下周五前”"),
    ("周八前", "没能识别整改时限“周八前”，请换一种写法，例如："),
    ("第5季度", "没能完全看懂"),
    ("半天内", "写明完成日期"),
    ("明年春节前", "还没有2027年春节的放假安排"),
    ("春节后一周内", "“春节后”从哪天算起，我推算不出。请直接写完成日期"),  # not a week from the meeting
    ("整改方案印发后一个月内", "“整改方案印发后”从哪天算起"),
]
# fmt: on


@pytest.mark.parametrize(("text", "fragment"), PROBLEMS, ids=[text or "empty" for text, _ in PROBLEMS])
def test_problems_ask_back_helpfully(text: str, fragment: str) -> None:
    result = parse(text)
    assert isinstance(result, DeadlineProblem)
    assert fragment in result.message


def test_holiday_sharing_a_break_means_before_the_whole_break() -> None:
    # 2025: 中秋节 (10月6日) fell inside the 国庆 break, which began 10月1日
    assert parse("中秋前", meeting=D(2025, 1, 15), today=D(2025, 1, 15)) == DueDate(D(2025, 9, 30), "中秋前")


def test_holiday_beyond_the_calendar_data_is_asked_back() -> None:
    result = parse("春节前", meeting=D(2026, 3, 1), today=D(2026, 3, 1))
    assert isinstance(result, DeadlineProblem)
    assert "下一个春节" in result.message and "2月10日前" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每周", WEEKLY),
        ("每两周", Cadence(CadenceUnit.WEEK, 2)),
        ("每半个月", Cadence(CadenceUnit.WEEK, 2)),
        ("每月", MONTHLY),
        ("按月", MONTHLY),
        ("每个月", MONTHLY),
        ("每两个月", Cadence(CadenceUnit.MONTH, 2)),
        ("双月", Cadence(CadenceUnit.MONTH, 2)),
        ("每季度", QUARTERLY),
        ("按季度开展", QUARTERLY),
        ("季度一次", QUARTERLY),
        ("每半年", HALF_YEARLY),
        ("半年一次", HALF_YEARLY),
        ("每年", Cadence(CadenceUnit.MONTH, 12)),
        ("一年一次", Cadence(CadenceUnit.MONTH, 12)),
        ("长期坚持", None),
        ("每天", None),
        ("2026年3月底前", None),
    ],
)
def test_parse_cadence(text: str, expected: Cadence | None) -> None:
    assert parse_cadence(text) == expected


def test_cadence_steps_from_its_anchor_without_drift() -> None:
    anchor = D(2026, 1, 31)
    assert [MONTHLY.occurrence(anchor, n) for n in (1, 2, 3)] == [
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
    ]
    assert WEEKLY.occurrence(anchor, 2) == D(2026, 2, 14)


@pytest.mark.parametrize(
    "cadence", [*CADENCE_CHOICES, WEEKLY, Cadence(CadenceUnit.WEEK, 2), Cadence(CadenceUnit.MONTH, 4)]
)
def test_cadence_label_reads_back_and_iso_round_trips(cadence: Cadence) -> None:
    assert parse_cadence(cadence.label) == cadence
    assert Cadence.from_iso(cadence.iso) == cadence


def test_cadence_labels() -> None:
    assert [c.label for c in CADENCE_CHOICES] == ["每月", "每季度", "每半年", "每年"]
    assert Cadence(CadenceUnit.MONTH, 2).label == "每两个月"
    assert Cadence(CadenceUnit.MONTH, 24).label == "每两年"


@pytest.mark.parametrize(
    ("deadline", "line"),
    [
        (DueDate(D(2026, 3, 31), ""), "整改时限：2026年3月31日（周二）"),
        (Immediate(D(2026, 2, 15), ""), "立行立改：2026年2月15日（周日）前完成"),
        (Ongoing(QUARTERLY, ""), "长期坚持：每季度回顾一次"),
        (Ongoing(None, ""), "长期坚持：回顾周期待定"),
        (
            Immediate(D(2026, 2, 15), "", Ongoing(MONTHLY, "")),
            "立行立改：2026年2月15日（周日）前完成；此后长期坚持：每月回顾一次",
        ),
    ],
)
def test_describe(deadline: Deadline, line: str) -> None:
    assert describe(deadline) == line


def check(deadline: Deadline) -> list[str]:
    return warnings(deadline, today=TODAY, meeting=MEETING)


def test_warns_about_a_past_date() -> None:
    assert check(DueDate(D(2025, 12, 31), "")) == [
        "整改时限2025年12月31日（周三）已经过去，请核对年份和日期。"
    ]


def test_warns_about_a_holiday_and_suggests_the_previous_workday() -> None:
    assert check(DueDate(D(2026, 10, 3), "")) == [
        "2026年10月3日是国庆节，不是工作日，建议改为前一个工作日2026年9月30日（周三）。"
    ]


def test_warns_about_a_weekend_but_not_a_tiaoxiu_saturday() -> None:
    assert check(DueDate(D(2026, 3, 28), "")) == [
        "2026年3月28日是周六，不是工作日，建议改为前一个工作日2026年3月27日（周五）。"
    ]
    assert check(DueDate(D(2026, 2, 28), "")) == []  # 调休: a working Saturday


def test_warns_about_a_date_before_the_meeting_that_proposes_the_measure() -> None:
    before = DueDate(D(2026, 1, 12), "")
    assert warnings(before, today=D(2026, 1, 5), meeting=MEETING) == [
        "整改时限2026年1月12日（周一）早于会议日期2026年1月15日（周四）；会上提出的措施，时限一般定在会后，请核对。"
    ]
    assert warnings(Immediate(D(2026, 1, 12), ""), today=D(2026, 1, 5), meeting=MEETING) == []


def test_warns_about_far_and_near_dates() -> None:
    assert "超过18个月" in check(DueDate(D(2027, 12, 31), ""))[0]
    assert "不足14天" in check(DueDate(D(2026, 1, 30), ""))[0]
    assert check(Immediate(D(2026, 1, 30), "")) == []  # near is the point of 立行立改
    assert check(Ongoing(None, "")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推迟一个月", D(2026, 4, 30)),
        ("申请延期两周。", D(2026, 4, 14)),
        ("顺延半个月", D(2026, 4, 15)),
        ("延期到6月底", None),  # a date: read as any deadline is
        ("3个月内", None),  # a period alone: read as any deadline is
    ],
)
def test_a_postponement_by_a_period_counts_from_the_current_deadline(
    text: str, expected: date | None
) -> None:
    moved = postponed(text, D(2026, 3, 31))
    assert (moved.due if moved else None) == expected

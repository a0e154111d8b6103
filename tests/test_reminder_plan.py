"""Reminder planning on China's working calendar: holidays, 调休, quiet hours, time zones, downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.deadlines import (
    DEFAULT_SETTINGS,
    Cadence,
    CadenceUnit,
    Deadline,
    DueDate,
    Immediate,
    MeasurePlanInput,
    Ongoing,
    PlannedReminder,
    ReminderKind,
    ReminderSettings,
    annual_summary_time,
    coalesce_overdue,
    digest_times,
    earliest_send_time,
    plan_reminders,
)
from bot.deadlines.calendar import (
    add_workdays,
    holiday_name,
    is_workday,
    next_break_start,
    next_workday,
    previous_workday,
)

D = date
K = ReminderKind
SHANGHAI = "Asia/Shanghai"
MEETING = D(2026, 1, 15)
MONTHLY = Cadence(CadenceUnit.MONTH, 1)
QUARTERLY = Cadence(CadenceUnit.MONTH, 3)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def plan(
    deadline: Deadline,
    now: datetime,
    *,
    tz: str = SHANGHAI,
    done: bool = False,
    since: date = MEETING,
    settings: ReminderSettings = DEFAULT_SETTINGS,
) -> list[PlannedReminder]:
    return plan_reminders(MeasurePlanInput(7, deadline, done, tz, since), settings, now=now)


def keys(reminders: list[PlannedReminder]) -> list[str]:
    return [r.key for r in reminders]


# --- the calendar ----------------------------------------------------------------------------


def test_statutory_holidays_and_tiaoxiu_workdays() -> None:
    assert not is_workday(D(2025, 10, 3))  # National Day 2025
    assert is_workday(D(2025, 10, 11))  # 调休 Saturday
    assert is_workday(D(2026, 2, 14))  # 调休 Saturday before the 2026 Spring Festival
    assert not is_workday(D(2026, 2, 16))
    assert holiday_name(D(2026, 2, 16)) == "春节"
    assert holiday_name(D(2026, 2, 14)) is None


def test_workday_arithmetic_crosses_holidays() -> None:
    assert next_workday(D(2025, 9, 30)) == D(2025, 10, 9)
    assert previous_workday(D(2025, 10, 9)) == D(2025, 9, 30)
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert add_workdays(D(2025, 10, 11), -3) == D(2025, 9, 30)
    assert add_workdays(D(2026, 1, 20), 0) == D(2026, 1, 20)


def test_years_outside_the_data_fall_back_to_monday_to_friday() -> None:
    assert is_workday(D(2040, 1, 2))  # a Monday; 元旦 2040 is not in the data yet
    assert not is_workday(D(2040, 1, 7))  # Saturday
    assert holiday_name(D(2040, 1, 1)) is None
    assert next_break_start("春节", D(2040, 1, 1)) is None


def test_next_break_start() -> None:
    assert next_break_start("春节", D(2026, 2, 14)) == D(2026, 2, 15)
    assert next_break_start("国庆节", D(2025, 10, 2)) == D(2026, 10, 1)  # skips the break in progress
    assert next_break_start("中秋节", D(2025, 9, 1)) == D(2025, 10, 1)  # 2025: one break for both


# --- deadlines -------------------------------------------------------------------------------


def test_due_date_in_the_national_day_holiday() -> None:
    reminders = plan(DueDate(D(2025, 10, 3), "10月3日前"), utc(2025, 9, 1), since=D(2025, 1, 10))
    assert keys(reminders) == [
        "before_due:2025-09-26",
        "due_today:2025-09-30",  # the last working day before the holiday
        "overdue_nudge:2025-10-11",  # three working days after, counting the 调休 Saturday
        "overdue_nudge:2025-10-15",
        "overdue_nudge:2025-10-20",
        "overdue_nudge:2025-10-23",
        "overdue_nudge:2025-10-28",
    ]
    assert reminders[0].due_at == utc(2025, 9, 26, 1, 30)  # 09:30 in Beijing


def test_due_date_in_the_spring_festival_merges_reminders_on_one_day() -> None:
    reminders = plan(DueDate(D(2026, 2, 23), ""), utc(2026, 1, 20))
    assert keys(reminders)[:2] == ["due_today:2026-02-14", "overdue_nudge:2026-02-26"]


def test_immediate_is_planned_like_a_due_date() -> None:
    assert keys(plan(Immediate(D(2026, 3, 31), ""), utc(2026, 1, 20))) == keys(
        plan(DueDate(D(2026, 3, 31), ""), utc(2026, 1, 20))
    )


@pytest.mark.parametrize(
    ("tz", "before", "on_the_day"),
    [
        (SHANGHAI, utc(2026, 3, 24, 1, 30), utc(2026, 3, 31, 1, 30)),
        ("Asia/Urumqi", utc(2026, 3, 24, 3, 30), utc(2026, 3, 31, 3, 30)),
        ("Europe/Berlin", utc(2026, 3, 24, 8, 30), utc(2026, 3, 31, 7, 30)),  # summer time from 3月29日
    ],
)
def test_reminders_go_out_at_half_past_nine_local_time(
    tz: str, before: datetime, on_the_day: datetime
) -> None:
    reminders = plan(DueDate(D(2026, 3, 31), ""), utc(2026, 1, 20), tz=tz)
    assert [(r.kind, r.due_at) for r in reminders[:2]] == [(K.BEFORE_DUE, before), (K.DUE_TODAY, on_the_day)]
    assert keys(reminders)[:2] == ["before_due:2026-03-24", "due_today:2026-03-31"]


def test_every_reminder_is_on_a_workday_outside_quiet_hours_and_in_the_future() -> None:
    now = utc(2025, 9, 1)
    for tz in (SHANGHAI, "Asia/Urumqi", "Europe/Berlin"):
        for reminder in plan(DueDate(D(2025, 10, 3), ""), now, tz=tz):
            local = reminder.due_at.astimezone(ZoneInfo(tz))
            assert is_workday(local.date())
            assert not DEFAULT_SETTINGS.is_quiet(local.time())
            assert reminder.due_at > now and reminder.due_at.tzinfo is UTC


def test_moved_deadline_is_diffed_by_key() -> None:
    now = utc(2026, 1, 20)
    old = set(keys(plan(DueDate(D(2026, 3, 31), ""), now)))
    assert old == set(keys(plan(DueDate(D(2026, 3, 31), ""), now)))  # re-planning is stable
    new = set(keys(plan(DueDate(D(2026, 4, 30), ""), now)))
    assert {"before_due:2026-03-24", "due_today:2026-03-31"} <= old - new
    assert {"before_due:2026-04-23", "due_today:2026-04-30"} <= new - old


def test_completed_measure_plans_nothing() -> None:
    assert plan(DueDate(D(2026, 3, 31), ""), utc(2026, 3, 25), done=True) == []
    assert plan(Ongoing(QUARTERLY, ""), utc(2026, 3, 25), done=True) == []


def test_past_reminders_are_left_out_midway() -> None:
    reminders = plan(DueDate(D(2026, 3, 31), ""), utc(2026, 3, 25))
    assert keys(reminders)[0] == "due_today:2026-03-31"


def test_overdue_nudges_every_n_working_days_up_to_the_limit() -> None:
    settings = ReminderSettings(nudge_every_workdays=2, max_nudges=3)
    reminders = plan(DueDate(D(2026, 4, 30), ""), utc(2026, 5, 1), settings=settings)
    # 5月1日–5日 劳动节; 5月9日 (Saturday) is a 调休 workday
    assert keys(reminders) == [
        "overdue_nudge:2026-05-07",
        "overdue_nudge:2026-05-09",
        "overdue_nudge:2026-05-12",
    ]
    # planned after the whole series has passed: a fresh series from the next working day
    late = plan(DueDate(D(2026, 4, 30), ""), utc(2026, 5, 13, 12), settings=settings)
    assert keys(late) == [
        "overdue_nudge:2026-05-14",
        "overdue_nudge:2026-05-18",
        "overdue_nudge:2026-05-20",
    ]


# --- ongoing measures ------------------------------------------------------------------------


def test_ongoing_reviews_each_cadence_period() -> None:
    assert keys(plan(Ongoing(QUARTERLY, ""), utc(2026, 1, 20))) == [
        "review:2026-04-15",
        "review:2026-07-15",
        "review:2026-10-15",
    ]


def test_ongoing_reviews_move_past_holidays_and_roll_forward() -> None:
    assert keys(plan(Ongoing(MONTHLY, ""), utc(2026, 2, 1))) == [
        "review:2026-02-24",  # 2月15日 falls in the Spring Festival
        "review:2026-03-16",  # 3月15日 is a Sunday
        "review:2026-04-15",
    ]
    assert keys(plan(Ongoing(MONTHLY, ""), utc(2026, 3, 20)))[0] == "review:2026-04-15"


def test_ongoing_without_cadence_waits_for_one() -> None:
    assert plan(Ongoing(None, ""), utc(2026, 1, 20)) == []


# --- downtime, quiet hours, digests ----------------------------------------------------------


def reminder(measure: int, kind: ReminderKind, at: datetime) -> PlannedReminder:
    return PlannedReminder(measure, kind, at, f"{kind}:{at.date().isoformat()}")


def test_coalesce_keeps_the_latest_missed_reminder_per_measure() -> None:
    now = utc(2026, 4, 8, 3)
    pending = [
        reminder(1, K.BEFORE_DUE, utc(2026, 3, 24, 1, 30)),
        reminder(1, K.OVERDUE_NUDGE, utc(2026, 4, 3, 1, 30)),
        reminder(1, K.DUE_TODAY, utc(2026, 3, 31, 1, 30)),
        reminder(1, K.OVERDUE_NUDGE, utc(2026, 4, 9, 1, 30)),
        reminder(2, K.REVIEW, utc(2026, 4, 1, 1, 30)),
    ]
    assert coalesce_overdue(pending, now) == [pending[4], pending[1], pending[3]]


def test_reminder_time_must_lie_outside_quiet_hours() -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        ReminderSettings(remind_at=time(22, 0))
    with pytest.raises(ValueError, match="quiet hours"):
        ReminderSettings(remind_at=time(7, 30))
    assert not ReminderSettings(quiet_start=time(8), quiet_end=time(8)).is_quiet(time(3))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 24, 2), utc(2026, 3, 24, 2)),  # Tuesday 10:00: at once
        (utc(2026, 3, 24, 15), utc(2026, 3, 25, 1, 30)),  # Tuesday 23:00: next morning
        (utc(2026, 3, 23, 22), utc(2026, 3, 24, 1, 30)),  # Tuesday 06:00: this morning
        (utc(2026, 3, 28, 4), utc(2026, 3, 30, 1, 30)),  # Saturday noon: Monday
        (utc(2026, 2, 13, 14), utc(2026, 2, 14, 1, 30)),  # Friday 22:00: the 调休 Saturday
    ],
)
def test_catch_up_waits_for_working_hours(now: datetime, expected: datetime) -> None:
    assert earliest_send_time(now, DEFAULT_SETTINGS, tz=SHANGHAI) == expected


def test_weekly_digest_skips_the_spring_festival() -> None:
    assert digest_times(DEFAULT_SETTINGS, SHANGHAI, utc(2026, 2, 10), weeks=3) == [
        utc(2026, 2, 24, 1, 30),  # the Mondays 2月16日 and 2月23日 are both holidays
        utc(2026, 3, 2, 1, 30),
        utc(2026, 3, 9, 1, 30),
    ]


def test_weekly_digest_in_berlin_on_another_weekday() -> None:
    settings = ReminderSettings(digest_weekday=4)
    assert digest_times(settings, "Europe/Berlin", utc(2026, 3, 25), weeks=2) == [
        utc(2026, 3, 27, 8, 30),
        utc(2026, 4, 3, 7, 30),
    ]


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        (D(2026, 1, 15), utc(2026, 12, 2, 1, 30)),  # 30 days before 2027年1月
        (D(2025, 12, 25), utc(2026, 10, 30, 1, 30)),  # 11月1日 is a Sunday: the Friday before
    ],
)
def test_annual_summary_before_next_years_meeting(meeting: date, expected: datetime) -> None:
    assert annual_summary_time(meeting, DEFAULT_SETTINGS, tz=SHANGHAI) == expected

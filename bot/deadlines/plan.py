"""When to remind a cadre about a rectification measure: pure planning, no clock and no storage.

Every reminder goes out at the configured local time on a Chinese working day (statutory holidays and
调休 workdays included; a cadre abroad keeps China's calendar but their own clock). Reminders before
and on the due date move back to the previous working day, overdue nudges and reviews forward to the
next. The planner returns future reminders only; the dispatcher stores them, diffs re-plans by ``key``
(updating ``due_at`` when only the time changed, e.g. a new time zone), and after downtime keeps one
catch-up per measure (``coalesce_overdue``), sent no earlier than ``earliest_send_time``.

A measure with ``follow_on`` is planned by its date until done; the ledger then replaces its deadline
with the follow-on ``Ongoing`` and re-plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import (
    add_workdays,
    is_workday,
    next_workday,
    workday_on_or_after,
    workday_on_or_before,
)
from bot.deadlines.parse import Cadence, Deadline, Ongoing
from bot.deadlines.settings import ReminderSettings


class ReminderKind(StrEnum):
    BEFORE_DUE = "before_due"
    DUE_TODAY = "due_today"
    OVERDUE_NUDGE = "overdue_nudge"
    REVIEW = "review"


@dataclass(frozen=True)
class MeasurePlanInput:
    measure_id: int
    deadline: Deadline
    done: bool
    timezone: str
    """The cadre's zoneinfo name, e.g. ``Asia/Shanghai``."""
    since: date
    """When the measure took effect (normally the meeting); ongoing reviews count from here."""


@dataclass(frozen=True)
class PlannedReminder:
    measure_id: int
    kind: ReminderKind
    due_at: datetime
    """Aware, in UTC."""
    key: str
    """``kind:local date``, stable across re-plans so stored rows can be diffed."""


def _slot(day: date, zone: ZoneInfo, settings: ReminderSettings) -> datetime:
    return datetime.combine(day, settings.remind_at, tzinfo=zone).astimezone(UTC)


def _deadline_days(due: date, settings: ReminderSettings, today: date) -> dict[date, ReminderKind]:
    """Before, on and after ``due``; when two land on one day the one nearer the due date wins.

    A deadline planned when its whole series of nudges is already past (set late, or moved by a
    re-plan long after) gets a series counted from the next working day instead, so an overdue
    measure is never left without a reminder carrying its buttons.
    """
    days: dict[date, ReminderKind] = {}
    for offset in sorted(settings.offsets_days, reverse=True):
        kind = ReminderKind.DUE_TODAY if offset == 0 else ReminderKind.BEFORE_DUE
        days[workday_on_or_before(due - timedelta(days=offset))] = kind
    every = settings.nudge_every_workdays
    first = add_workdays(due, every)
    if add_workdays(due, settings.max_nudges * every) <= today:
        first = add_workdays(today, 1)
    for n in range(settings.max_nudges):
        days[add_workdays(first, n * every)] = ReminderKind.OVERDUE_NUDGE
    return days


def _review_days(
    cadence: Cadence | None, since: date, zone: ZoneInfo, settings: ReminderSettings, now: datetime
) -> dict[date, ReminderKind]:
    """The next few reviews still ahead of ``now``; none until the cadre has named a cadence."""
    days: dict[date, ReminderKind] = {}
    n = 1
    while cadence is not None and len(days) < settings.review_occurrences:
        day = workday_on_or_after(cadence.occurrence(since, n))
        if _slot(day, zone, settings) > now:
            days[day] = ReminderKind.REVIEW
        n += 1
    return days


def plan_reminders(
    measure: MeasurePlanInput, settings: ReminderSettings, *, now: datetime
) -> list[PlannedReminder]:
    """Future reminders for one measure, in time order; nothing once it is done."""
    if measure.done:
        return []
    zone = ZoneInfo(measure.timezone)
    deadline = measure.deadline
    if isinstance(deadline, Ongoing):
        days = _review_days(deadline.cadence, measure.since, zone, settings, now)
    else:
        days = _deadline_days(deadline.due, settings, now.astimezone(zone).date())
    planned = (
        PlannedReminder(measure.measure_id, kind, _slot(day, zone, settings), f"{kind}:{day.isoformat()}")
        for day, kind in days.items()
    )
    return sorted((reminder for reminder in planned if reminder.due_at > now), key=lambda r: r.due_at)


def coalesce_overdue(pending: Iterable[PlannedReminder], now: datetime) -> list[PlannedReminder]:
    """After downtime, keep only the latest missed reminder of each measure, and all future ones."""
    future: list[PlannedReminder] = []
    missed: dict[int, PlannedReminder] = {}
    for reminder in pending:
        if reminder.due_at > now:
            future.append(reminder)
        elif (kept := missed.get(reminder.measure_id)) is None or reminder.due_at > kept.due_at:
            missed[reminder.measure_id] = reminder
    return sorted([*missed.values(), *future], key=lambda r: r.due_at)


def earliest_send_time(now: datetime, settings: ReminderSettings, *, tz: str) -> datetime:
    """``now`` on a working day outside quiet hours, else the next working day's reminder time.

    For catch-ups and anything not planned on a slot, so nothing arrives at night or on a holiday.
    """
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    today = local.date()
    if is_workday(today) and not settings.is_quiet(local.time()):
        return now.astimezone(UTC)
    slot = _slot(today, zone, settings)
    return slot if is_workday(today) and slot > now else _slot(next_workday(today), zone, settings)


def digest_times(settings: ReminderSettings, tz: str, now: datetime, weeks: int = 4) -> list[datetime]:
    """The next ``weeks`` weekly digests; a digest day off work moves to the next working day."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=today.weekday() - settings.digest_weekday)
    times: list[datetime] = []
    week = 0
    while len(times) < weeks:
        moment = _slot(workday_on_or_after(first + timedelta(weeks=week)), zone, settings)
        if moment > now and moment not in times:
            times.append(moment)
        week += 1
    return times


def annual_summary_time(meeting: date, settings: ReminderSettings, *, tz: str) -> datetime:
    """When to send the 上年度整改 summary: ``summary_days_before`` days before next year's meeting month.

    Meetings fall anywhere in that month, so counting from its first day leaves the full lead time.
    """
    expected_month = date(meeting.year + 1, meeting.month, 1)
    day = workday_on_or_before(expected_month - timedelta(days=settings.summary_days_before))
    return _slot(day, ZoneInfo(tz), settings)

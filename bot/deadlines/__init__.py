"""Rectification deadlines: reading them as cadres write them, and planning reminders around China's
working calendar. Pure functions: no Telegram, no database, no clock."""

from bot.deadlines.parse import (
    CADENCE_CHOICES,
    Cadence,
    CadenceUnit,
    Deadline,
    DeadlineProblem,
    DueDate,
    Immediate,
    Ongoing,
    describe,
    format_day,
    parse_cadence,
    parse_deadline,
    promises_at_once,
    warnings,
)
from bot.deadlines.plan import (
    MeasurePlanInput,
    PlannedReminder,
    ReminderKind,
    annual_summary_time,
    coalesce_overdue,
    digest_times,
    earliest_send_time,
    plan_reminders,
)
from bot.deadlines.settings import DEFAULT_SETTINGS, ReminderSettings

__all__ = [
    "CADENCE_CHOICES",
    "DEFAULT_SETTINGS",
    "Cadence",
    "CadenceUnit",
    "Deadline",
    "DeadlineProblem",
    "DueDate",
    "Immediate",
    "MeasurePlanInput",
    "Ongoing",
    "PlannedReminder",
    "ReminderKind",
    "ReminderSettings",
    "annual_summary_time",
    "coalesce_overdue",
    "describe",
    "digest_times",
    "earliest_send_time",
    "format_day",
    "parse_cadence",
    "parse_deadline",
    "plan_reminders",
    "promises_at_once",
    "warnings",
]

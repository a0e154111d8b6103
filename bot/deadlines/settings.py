"""Reminder and deadline settings as plain data, so the core never reads the app's pydantic settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class ReminderSettings:
    """Defaults follow DOMAIN.md §5; the app maps its own settings onto these fields."""

    offsets_days: tuple[int, ...] = (7, 0)
    """Calendar days before the due date to remind; 0 is the reminder on the due day itself."""
    remind_at: time = time(9, 30)
    """Local time of day every planned reminder goes out."""
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    """No message between these local times (the span may wrap past midnight)."""
    nudge_every_workdays: int = 3
    max_nudges: int = 5
    """Overdue nudges counted from the due date (from the next working day for a deadline planned
    after its nudges would have ended); afterwards the weekly digest lists the item with buttons."""
    digest_weekday: int = 0
    """Weekday of the weekly digest, Monday = 0."""
    review_occurrences: int = 3
    """How many upcoming reviews of an ongoing measure to plan ahead; re-planning adds more."""
    immediate_months: int = 1
    """Default period of 立行立改 [unverified in DOMAIN.md]."""
    summary_days_before: int = 30
    """Days before the month of next year's meeting to send the 上年度整改 summary."""
    far_months: int = 18
    near_days: int = 14
    """Thresholds for warning that a 限期整改 deadline is unusually far away or near."""

    def __post_init__(self) -> None:
        if any(offset < 0 for offset in self.offsets_days):
            raise ValueError("reminder offsets must be zero or positive days")
        if min(self.nudge_every_workdays, self.review_occurrences, self.immediate_months) < 1:
            raise ValueError("nudge interval, review count and 立行立改 period must be at least 1")
        if self.max_nudges < 0 or self.summary_days_before < 0:
            raise ValueError("nudge count and summary lead time must not be negative")
        if not 0 <= self.digest_weekday <= 6:
            raise ValueError("digest weekday must be 0 (Monday) to 6 (Sunday)")
        if self.is_quiet(self.remind_at):
            raise ValueError(f"reminder time {self.remind_at:%H:%M} falls in quiet hours")

    def is_quiet(self, moment: time) -> bool:
        """Whether a local time of day falls in quiet hours; equal bounds mean no quiet hours."""
        start, end = self.quiet_start, self.quiet_end
        if start <= end:
            return start <= moment < end
        return moment >= start or moment < end


DEFAULT_SETTINGS = ReminderSettings()

"""完成情况 of a rectification measure: the one vocabulary the bot, the database and the ledger share."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class MeasureStatus(StrEnum):
    """Stored as the Chinese label itself, so a ledger edited by hand reads back unchanged."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    DONE = "已完成待销号"
    CLOSED = "已销号"
    ONGOING = "持续推进"

    @property
    def is_open(self) -> bool:
        return self not in (MeasureStatus.DONE, MeasureStatus.CLOSED)

    @property
    def is_done(self) -> bool:
        return not self.is_open

    @property
    def is_closed(self) -> bool:
        """销号 happened: done, and signed off."""
        return self is MeasureStatus.CLOSED

    @property
    def standing(self) -> str:
        """Where the measure stands, as a report's sentence says it: the label reads as a table cell
        ("目前未启动" after "正在持续整改" contradicts itself)."""
        return _STANDING[self]


_STANDING = {
    MeasureStatus.NOT_STARTED: "尚未启动",
    MeasureStatus.IN_PROGRESS: "正在推进",
    MeasureStatus.DONE: "已完成，待销号",
    MeasureStatus.CLOSED: "已完成并销号",
    MeasureStatus.ONGOING: "持续推进中",
}


def status_of(value: str) -> MeasureStatus:
    """The stored label as the enum; an unknown label (a hand edit) counts as not started."""
    try:
        return MeasureStatus(value)
    except ValueError:
        return MeasureStatus.NOT_STARTED


def rectifies_problem(statuses: Collection[str]) -> bool:
    """A problem is rectified (整改完成) once it has measures and every one of them is done."""
    return bool(statuses) and all(status_of(s).is_done for s in statuses)


def closes_problem(statuses: Collection[str]) -> bool:
    """A problem is 已销号 once it has measures and every one of them was signed off (销号), not
    merely completed (已完成待销号)."""
    return bool(statuses) and all(status_of(s).is_closed for s in statuses)

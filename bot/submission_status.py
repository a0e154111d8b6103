"""Where a submission stands and where it came from, declared once (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The latest version of a series is the material's state."""

    SUBMITTED = "submitted"  # 待审核
    RETURNED = "returned"  # 退回修改
    APPROVED = "approved"  # 已通过
    SUPERSEDED = "superseded"  # handed in again before a decision

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def of(cls, raw: str) -> Status:
        """A stored value; anything unknown reads as waiting for a decision."""
        try:
            return cls(raw)
        except ValueError:
            return cls.SUBMITTED


_LABELS = {
    Status.SUBMITTED: "待审核",
    Status.RETURNED: "退回修改",
    Status.APPROVED: "已通过",
    Status.SUPERSEDED: "已被新版本替代",
}


class Source(StrEnum):
    DRAFT = "draft"
    UPLOAD = "upload"

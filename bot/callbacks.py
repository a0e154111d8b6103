"""Compact callback data: ``flow:action:arg…`` within Telegram's 64-byte limit.

Buttons carry the draft's public id and the step they were shown for, so a tap on an old
button can be recognised and answered with the current step instead of acting on stale state.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
SEPARATOR = ":"


@dataclass(frozen=True)
class Callback:
    flow: str
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        return self.args[index] if index < len(self.args) else ""


def encode(flow: str, action: str, *args: str | int) -> str:
    parts = [flow, action, *(str(a) for a in args)]
    if any(SEPARATOR in part for part in parts):
        raise ValueError(f"callback part contains {SEPARATOR!r}: {parts}")
    data = SEPARATOR.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
    return data


def decode(data: str) -> Callback | None:
    parts = data.split(SEPARATOR)
    if len(parts) < 2 or not all(parts[:2]):
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))

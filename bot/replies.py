"""What a flow answers with, independent of Telegram; handlers turn these into Bot API calls."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass
class Reply:
    """A message in Telegram's HTML subset; any user text in it has been escaped already."""

    html: str
    buttons: list[list[Button]] = field(default_factory=list)


@dataclass
class FileReply:
    filename: str
    content: bytes
    caption: str = ""


Outgoing = Reply | FileReply

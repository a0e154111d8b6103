"""What a flow answers with, independent of Telegram; handlers turn these into Bot API calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass
class Reply:
    """A message in Telegram's HTML subset; any user text in it has been escaped already."""

    html: str
    buttons: list[list[Button]] = field(default_factory=list)
    to: int | None = None  # another user of the bot (a team member); None: the chat being answered


@dataclass(frozen=True)
class Rendering:
    """File content to produce once the update's transaction has committed, in the worker process:
    rendering a long material must not hold the user's lock (on SQLite, every writer's)."""

    job: Callable[..., bytes]
    args: tuple[Any, ...]


@dataclass
class FileReply:
    filename: str
    content: bytes | Rendering
    caption: str = ""


Outgoing = Reply | FileReply

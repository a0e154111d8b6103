"""What a flow answers with, independent of Telegram; handlers turn these into Bot API calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.worker import Limits


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass
class Reply:
    """A message in Telegram's HTML subset; any user text in it has been escaped already.

    ``later`` holds work on what the flow read (a review of the draft) that is done once the
    update's transaction has committed, outside it, so it holds no user's lock (on SQLite, every
    writer's); each amends the reply. ``heavy`` work (a review of the whole material) is done in a
    thread, so the event loop goes on serving other users meanwhile. ``then`` is for a flow that stores
    what that work found: it runs afterwards in a short transaction of its own, with a context
    whose user is locked again, and must check that the draft is still what was read.
    """

    html: str
    buttons: list[list[Button]] = field(default_factory=list)
    later: list[Callable[[Reply], None]] = field(default_factory=list)
    heavy: bool = False
    then: Callable[[Any, Reply], Awaitable[None]] | None = None

    def insert(self, text: str, after: str | None = None, before: str | None = None) -> None:
        """``text`` as a paragraph of its own: after the first ``after`` in the message, at its start
        for "", at its end for None (or when ``after`` is not there); or before the last ``before``."""
        if not text:
            return
        if before is not None and (at := self.html.rfind(before)) >= 0:
            head, tail = self.html[:at].rstrip("\n"), self.html[at:]
            self.html = f"{head}\n\n{text}\n\n{tail}" if head else f"{text}\n\n{tail}"
            return
        if after == "":
            self.html = f"{text}\n\n{self.html}" if self.html else text
            return
        at = self.html.find(after) if after is not None else -1
        if at < 0:
            self.html = f"{self.html}\n\n{text}" if self.html else text
            return
        end = at + len(after or "")
        self.html = f"{self.html[:end]}\n\n{text}{self.html[end:]}"

    def settle(self) -> None:
        """Do the work left for after the commit (see ``later``)."""
        while self.later:
            self.later.pop(0)(self)


@dataclass(frozen=True)
class Rendering:
    """File content to produce once the update's transaction has committed, in the worker process:
    rendering a long material must not hold the user's lock (on SQLite, every writer's).

    ``limits`` replaces the worker's default caps (LibreOffice needs more room and time); with
    ``failed`` set, a job that fails or breaks its limits is answered with that text instead of an
    error, for outputs that depend on programs outside Python.
    """

    job: Callable[..., Any]
    args: tuple[Any, ...]
    limits: Limits | None = None
    failed: str = ""


@dataclass
class FileReply:
    filename: str
    content: bytes | Rendering
    caption: str = ""


@dataclass
class Pictures:
    """Pictures sent in the chat (pages of the material), made by ``rendering`` as a list of PNGs;
    the caption goes with the first."""

    rendering: Rendering
    caption: str = ""
    stem: str = "page"  # file names: <stem>_第1页.png …


@dataclass(frozen=True)
class Deferred:
    """Replies that depend on work done after the commit (see ``Reply.later``), such as a review of
    the whole material deciding between two answers: ``make`` runs then, in a thread."""

    make: Callable[[], Sequence[Reply | FileReply | Pictures]]


Outgoing = Reply | FileReply | Pictures | Deferred


def settle(outgoing: list[Outgoing]) -> list[Reply | FileReply | Pictures]:
    """The replies with the work left for after the commit done (``Deferred`` made, ``later`` run)."""
    made: list[Reply | FileReply | Pictures] = []
    for item in outgoing:
        made.extend(item.make() if isinstance(item, Deferred) else [item])
    for item in made:
        if isinstance(item, Reply):
            item.settle()
    return made


def heavy(outgoing: list[Outgoing]) -> bool:
    """Whether the work left for after the commit is worth a thread."""
    return any(
        isinstance(item, Deferred) or (isinstance(item, Reply) and item.later and item.heavy)
        for item in outgoing
    )

"""The assembled material read in the chat: numbered as in the file, cut into pages that fit a message.

Each page knows which steps its lines were written in, so it can offer to jump there and edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dates import format_date
from bot.document import Item, Section
from bot.draftview import DraftView
from bot.render import LineKind, outline
from bot.texts import esc

PAGE_CHARS = 3000
"""Room for the page's text below Telegram's 4096 characters, with its header and escapes."""

MAX_STEPS = 6
"""Steps a page may show text of, each with a button to go and edit it."""

MIN_START = 500
"""Room a page must have left to start a line longer than a page there rather than on the next."""


@dataclass
class Page:
    lines: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    """Keys of the steps whose text is on this page, in order, each once."""

    @property
    def size(self) -> int:
        return sum(len(line) + 1 for line in self.lines)


def pages(view: DraftView, max_steps: int | None = None) -> list[Page]:
    """The material as escaped HTML lines, headings in bold, in pages of at most ``PAGE_CHARS``,
    closed by the 署名 and date the file prints (the meeting date, else today); with ``max_steps``,
    a page also ends before the text of a step more than that, so that every step on a page can
    have its button there."""
    document = view.to_document()
    owners: dict[int, str] = {}
    for section in document.sections:
        for node in [section, *section.items, *section.subsections]:
            owners[id(node)] = section.key or ""
        for aspect in section.subsections:
            for node in [aspect, *aspect.items]:
                owners[id(node)] = aspect.key or ""
    writable = {s.key for s in view.section_steps}
    result = [Page()]
    for line in outline(document):
        html = esc(line.display)
        if line.kind in (LineKind.TITLE, LineKind.HEADING):
            html = f"<b>{html}</b>"
        owner = owners.get(id(line.owner)) if isinstance(line.owner, Section | Item) else None
        step = owner if owner in writable else None
        page = result[-1]
        # what is left of the page, less the line break a line costs (``Page.size``)
        room = (
            PAGE_CHARS - page.size - 1 if page.lines and not _crowded(page, step, max_steps) else PAGE_CHARS
        )
        for piece in _fit(html, room if room >= MIN_START else PAGE_CHARS):
            page = result[-1]
            full = page.lines and page.size + len(piece) > PAGE_CHARS
            if full or _crowded(page, step, max_steps):
                result.append(Page())
            result[-1].lines.append(piece)
            if step and step not in result[-1].steps:
                result[-1].steps.append(step)
    dated = view.draft.meeting_date or view.today
    closing = [line for line in (view.signature, format_date(dated) if dated else None) if line]
    if closing:  # as the file closes: 署名 and date, after a blank line
        result[-1].lines += ["", *(esc(line) for line in closing)]
    return result


def _crowded(page: Page, step: str | None, max_steps: int | None) -> bool:
    """Whether text of ``step`` would be one step more than ``page`` has buttons for."""
    if not step or step in page.steps or max_steps is None:
        return False
    return len(page.steps) >= max_steps


def _fit(html: str, room: int) -> list[str]:
    """A line longer than a page (one very long item) split at a page's length, its first piece as
    long as the ``room`` the current page has left, so that a page is not left with its title alone;
    entities kept whole. A line that fits a page is never split: it goes to the next page whole."""
    if len(html) <= PAGE_CHARS:
        return [html]
    pieces, rest, size = [], html, room
    while len(rest) > size:
        cut = rest.rfind("&", 0, size)
        cut = cut if cut > size - 10 else size
        pieces.append(rest[:cut])
        rest, size = rest[cut:], PAGE_CHARS
    return [*pieces, rest] if rest else pieces

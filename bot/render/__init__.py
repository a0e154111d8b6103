"""Renderers of a Document; this module holds the outline they all share.

Numbering is derived from position in exactly one place, ``outline``, so the text, Markdown and
.docx outputs can never disagree and are always consecutive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from bot.document import Document, Item, Section
from bot.numbering import HIERARCHY, MarkerStyle, format_marker


class LineKind(StrEnum):
    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"


@dataclass(frozen=True)
class OutlineLine:
    """One output paragraph; ``level`` is the depth of its section (0 for title and byline)."""

    kind: LineKind
    level: int
    marker: str
    text: str
    owner: Section | Item | None = field(default=None, compare=False)
    """The section a heading or paragraph belongs to, or the item a line is; ``bot.layout`` uses it."""

    @property
    def display(self) -> str:
        return self.marker + self.text


def outline(doc: Document) -> list[OutlineLine]:
    """Title, byline, then every section as numbered paragraphs in reading order.

    Headings take the GB/T 9704 style of their level; items directly under a level-1 section are
    numbered ``（一）``, deeper items ``一是`` (an aspect's one item none). A section without a
    heading (the preamble) takes no number.
    """
    lines = [
        OutlineLine(kind, 0, "", text)
        for kind, text in ((LineKind.TITLE, doc.title), (LineKind.BYLINE, doc.byline))
        if text
    ]
    lines.extend(_sections(doc.sections, level=1, first=1))
    return lines


def _sections(sections: list[Section], level: int, first: int) -> Iterator[OutlineLine]:
    if sections and level > len(HIERARCHY):
        raise ValueError(f"sections nest deeper than {len(HIERARCHY)} levels")
    number = first
    for section in sections:
        if section.heading is not None:
            marker = format_marker(HIERARCHY[level - 1], number)
            yield OutlineLine(LineKind.HEADING, level, marker, section.heading, section)
            number += 1
        yield from (OutlineLine(LineKind.PARAGRAPH, level, "", p, section) for p in section.paragraphs)
        items = section.numbered_items()
        yield from _items(items, level)
        # Level-1 items are numbered （一） like aspects, so aspects after them continue the count.
        after = items[-1][0] if items and level == 1 else 0
        yield from _sections(section.subsections, level + 1, after + 1)


def _items(items: list[tuple[int, Item]], level: int) -> Iterator[OutlineLine]:
    style = MarkerStyle.LEVEL2 if level == 1 else MarkerStyle.RUN_IN
    # An aspect's one point carries no 一是: a lone 一是 reads as a list cut short. An item numbered
    # where it stands in a longer list (``Item.number``, a review of one answer) still does.
    alone = style is MarkerStyle.RUN_IN and len(items) == 1 and items[0][1].number is None
    for n, item in items:
        yield OutlineLine(LineKind.ITEM, level, "" if alone else format_marker(style, n), item.text, item)

"""Renderers of a Document; this module holds the outline they all share.

Numbering is derived from position in exactly one place, ``outline``, so the text, Markdown and
.docx outputs can never disagree and are always consecutive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from bot.document import Document, Item, Section
from bot.numbering import HIERARCHY, MarkerStyle, format_marker, list_marker


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
    numbered ``（一）``, deeper items ``一是`` (a list's one item none). A section without a
    heading (the preamble) takes no number. A material written in the chat (``Document.typed``)
    has its items end with a full stop and spaces typed for commas printed as commas.
    """
    lines = [
        OutlineLine(kind, 0, "", text)
        for kind, text in ((LineKind.TITLE, doc.title), (LineKind.BYLINE, doc.byline))
        if text
    ]
    lines.extend(_sections(doc.sections, level=1, first=1, typed=doc.typed))
    return lines


def _sections(sections: list[Section], level: int, first: int, typed: bool) -> Iterator[OutlineLine]:
    if sections and level > len(HIERARCHY):
        raise ValueError(f"sections nest deeper than {len(HIERARCHY)} levels")
    number = first
    for section in sections:
        if section.heading is not None:
            marker = format_marker(HIERARCHY[level - 1], number)
            yield OutlineLine(LineKind.HEADING, level, marker, section.heading, section)
            number += 1
        paragraphs = (with_commas(p) if typed else p for p in section.paragraphs)
        yield from (OutlineLine(LineKind.PARAGRAPH, level, "", p, section) for p in paragraphs)
        items = section.numbered_items()
        # A list of one point carries no number (``list_marker``). An item numbered where it stands
        # in a longer list (``Item.number``, a review of one answer) keeps it, as does a section's
        # item that aspects follow (their count goes on from it).
        alone = len(items) == 1 and items[0][1].number is None and not section.subsections
        # Bare paragraphs under a level-1 heading read as a point each (``bot.parsing.body``), so
        # a lone point of several lines is printed as one paragraph when written in the chat, and
        # keeps its number when it comes from a file, whose wording is printed as given.
        joined = level == 1 and alone and len(_lines(items[0][1].text)) > 1
        count = len(items) if alone and (typed or not joined) else None
        yield from _items(items, level, typed, count, joined=joined and typed)
        # Level-1 items are numbered （一） like aspects, so aspects after them continue the count.
        after = items[-1][0] if items and level == 1 else 0
        yield from _sections(section.subsections, level + 1, after + 1, typed)


def _items(
    items: list[tuple[int, Item]], level: int, typed: bool, count: int | None, *, joined: bool = False
) -> Iterator[OutlineLine]:
    """The list's lines; ``count`` its length for ``list_marker``, or None when it is numbered
    regardless: part of a longer count, or a file's lone point kept as the file numbers it."""
    style = MarkerStyle.LEVEL2 if level == 1 else MarkerStyle.RUN_IN
    for n, item in items:
        if joined:  # each line a finished sentence, run on in one paragraph
            text = "".join(finished(with_commas(line)) for line in _lines(item.text))
        else:
            text = finished(with_commas(item.text)) if typed else item.text
        yield OutlineLine(LineKind.ITEM, level, list_marker(style, n, count), text, item)


def _lines(text: str) -> list[str]:
    return [line for line in (part.strip() for part in text.split("\n")) if line]


_HAN = "\u4e00-\u9fff"
_FULL_STOPS = frozenset("。！？!?…：:")
_RUN_ON = frozenset("；")  # an ASCII ; is text.punctuation.halfwidth's to name
_CUT_OFF = frozenset("，,、")
"""A point ending in a comma was cut off mid-sentence: printed as typed, for the review to name
(``text.punctuation.unfinished``), never closed with a full stop that hides it."""
_CLOSING = frozenset("”’」』）)】》")
_SPACED = re.compile(f"(?<=[{_HAN}0-9０-９])[ \u3000]+(?=[{_HAN}])")
_CLAUSE = 4
"""The fewest characters on each side of a space that stands for a comma: a clause, not a word."""
_SENTENCES = re.compile(r"[^。！？!?；;\n]+")


def finished(text: str) -> str:
    """An item as printed: its last sentence ends with a full stop, as a careful 组织部 colleague
    would end it. A point typed without one gets 。; one ending in the semicolon of a run ("……；")
    gets it in its place; 。！？ and a colon are left, as is a quotation or bracket closed after
    one, and a comma (``_CUT_OFF``)."""
    text = text.rstrip()
    if not text:
        return text
    last = text[-1]
    if last in _FULL_STOPS or last in _CUT_OFF:
        return text
    if last == ".":  # a full stop typed on a Latin keyboard; English keeps its own
        return text if len(text) == 1 or text[-2].isascii() else text[:-1] + "。"
    if last in _RUN_ON:
        return text[:-1] + "。"
    closed = text.rstrip("".join(_CLOSING))
    if last in _CLOSING and closed and closed[-1] in _FULL_STOPS:
        return text
    return text + "。"


def with_commas(text: str) -> str:
    """Spaces typed for commas, as on a phone ("学习不够深入 今年只参加2次"), printed as ，: only in
    a sentence without a comma of its own, and only where the space parts clauses (at least
    ``_CLAUSE`` characters each side); a space inside a term or a name is left as typed."""

    def sentence(found: re.Match[str]) -> str:
        words = found[0]
        if "，" in words or "," in words or not _SPACED.search(words):
            return words
        parts = _SPACED.split(words)
        if min(len(part.strip()) for part in parts) < _CLAUSE:
            return words
        return _SPACED.sub("，", words)

    return _SENTENCES.sub(sentence, text)

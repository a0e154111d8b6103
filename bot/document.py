"""The document model every draft, parsed upload, review and report shares.

A material is a title, an optional byline and an ordered list of sections. The preamble is a
section without a heading; level-1 sections may hold free paragraphs, items, or aspects
(sub-sections, e.g. one per required aspect under 存在的主要问题) that hold items in turn.
Numbering is never stored: renderers derive it from position, so it is always consecutive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from bot.numbering import MarkerMatch

Span = tuple[int, int]
"""Character offsets ``[start, end)`` into the source text a document was parsed from."""

_HEADLINE_END = re.compile(r"[。！？]")
_MAX_HEADLINE = 60


class SectionRole(StrEnum):
    """What a level-1 section is for; reviewers and templates key on this, not on wording."""

    PREAMBLE = "preamble"
    LAST_YEAR = "last_year"
    PROBLEMS = "problems"
    EXTRA = "extra"
    CAUSES = "causes"
    MEASURES = "measures"
    OTHER = "other"


@dataclass
class Item:
    """One enumerated point: a short judgement sentence, then its elaboration.

    ``span`` and ``marker`` are offsets into the text the document was parsed from or laid out
    as (``bot.layout``). ``id`` is the stored item's id for documents assembled from a draft, so a
    finding about the item can name it and the chat can offer to edit it. ``owned`` says the draft
    keeps who answers for the item (a measure's 责任领导 picked from the team, or its 责任部门), which
    the text itself need not repeat; ``due`` the measure's 整改时限 as set at the deadline step, in
    words, which the text may not say yet; a parsed document knows only its text. ``number`` is its place
    in its list when the document holds only some of the list (the review of one answer reads just
    the new items, numbered where they stand); None numbers it by its position.
    """

    headline: str
    body: str = ""
    span: Span | None = None
    marker: MarkerMatch | None = None
    id: int | None = None
    owned: bool = False
    due: str = ""
    number: int | None = None

    @property
    def text(self) -> str:
        return self.headline + self.body

    @classmethod
    def from_text(cls, text: str, id: int | None = None, *, owned: bool = False, due: str = "") -> Item:
        """Split off the leading judgement sentence when it is short enough to be one."""
        text = text.strip()
        match = _HEADLINE_END.search(text)
        if match and match.end() <= _MAX_HEADLINE and match.end() < len(text):
            return cls(headline=text[: match.end()], body=text[match.end() :], id=id, owned=owned, due=due)
        return cls(headline=text, id=id, owned=owned, due=due)


@dataclass
class Section:
    """A heading with its content; aspects are nested sections one level down.

    A section's ``paragraphs`` come before its items: in a draft, the lead (上年度's summary
    sentence, "但仍存在一些问题：") of an items section is its one paragraph. ``key`` is the draft
    step the section or aspect is written in (``problems.3``); parsed documents have none.
    """

    role: SectionRole
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    span: Span | None = None  # the whole section, heading included
    heading_span: Span | None = None
    marker: MarkerMatch | None = None
    paragraph_spans: list[Span] = field(default_factory=list)
    key: str | None = None

    def is_empty(self) -> bool:
        return not (self.paragraphs or self.items or any(not s.is_empty() for s in self.subsections))

    def all_items(self) -> Iterator[Item]:
        """Its items and those of its sub-sections at any depth, in reading order: the points of a
        part, also when written per aspect."""
        yield from self.items
        for subsection in self.subsections:
            yield from subsection.all_items()

    def numbered_items(self) -> list[tuple[int, Item]]:
        """Each item with its number in the list: the one it carries, else its position. The one
        numbering of items that the outline writes and the review's locator names."""
        return [(item.number or n, item) for n, item in enumerate(self.items, start=1)]


@dataclass
class Document:
    title: str | None
    byline: str | None = None
    sections: list[Section] = field(default_factory=list)
    title_span: Span | None = None
    typed: bool = False
    """Written in the chat (a draft, or a draft's snapshot): the renderers finish its punctuation as
    typed on a phone (``bot.render.finished``); a parsed file's wording is printed as given."""

    def numbered_sections(self) -> list[Section]:
        """Sections that carry a level-1 number (一、二、…): all but a heading-less preamble."""
        return [s for s in self.sections if s.heading is not None]

"""The document model every draft, parsed upload, review and report shares.

A material is a title, an optional byline and an ordered list of sections. The preamble is a
section without a heading; level-1 sections may hold free paragraphs, items, or aspects
(sub-sections, e.g. one per required aspect under 存在的主要问题) that hold items in turn.
Numbering is never stored: renderers derive it from position, so it is always consecutive.
"""

from __future__ import annotations

import re
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

    ``span`` and ``marker`` are set by the parser (offsets into its source text); documents
    assembled from a draft leave them empty.
    """

    headline: str
    body: str = ""
    span: Span | None = None
    marker: MarkerMatch | None = None

    @property
    def text(self) -> str:
        return self.headline + self.body

    @classmethod
    def from_text(cls, text: str) -> Item:
        """Split off the leading judgement sentence when it is short enough to be one."""
        text = text.strip()
        match = _HEADLINE_END.search(text)
        if match and match.end() <= _MAX_HEADLINE and match.end() < len(text):
            return cls(headline=text[: match.end()], body=text[match.end() :])
        return cls(headline=text)


@dataclass
class Section:
    """A heading with its content; aspects are nested sections one level down."""

    role: SectionRole
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    span: Span | None = None  # the whole section, heading included
    heading_span: Span | None = None
    marker: MarkerMatch | None = None
    paragraph_spans: list[Span] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.paragraphs or self.items or any(not s.is_empty() for s in self.subsections))


@dataclass
class Document:
    title: str | None
    byline: str | None = None
    sections: list[Section] = field(default_factory=list)
    title_span: Span | None = None

    def numbered_sections(self) -> list[Section]:
        """Sections that carry a level-1 number (一、二、…): all but a heading-less preamble."""
        return [s for s in self.sections if s.heading is not None]

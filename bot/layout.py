"""A document assembled from a draft, laid out as numbered text with every span and marker set.

The review reads a draft exactly as it reads a parsed upload, without parsing anything back: the
structure the user gave the bot (sections, aspects, leads, items with their ids) is kept as given,
and the text is the one the renderers produce, so a finding's place is the place in the file.
"""

from __future__ import annotations

import functools

from bot.document import Document, Item, Section, Span
from bot.numbering import MarkerMatch, match_marker
from bot.parsing import ParseResult
from bot.render import LineKind, OutlineLine, outline
from bot.texts import char_count


def lay_out(document: Document) -> ParseResult:
    """The document's text (as ``render_text`` gives it) with spans and markers set in place."""
    parents = _parents(document)
    lines = outline(document)
    markers: list[MarkerMatch] = []
    byline_span: Span | None = None
    offset = 0
    for line in lines:
        span = (offset, offset + len(line.display))
        offset = span[1] + 1
        marker = _marker(line, span[0])
        if marker is not None:
            markers.append(marker)
        if line.kind is LineKind.TITLE:
            document.title_span = span
        elif line.kind is LineKind.BYLINE:
            byline_span = span
        elif isinstance(line.owner, Item):
            line.owner.span, line.owner.marker = span, marker
            _extend(parents[id(line.owner)], span, parents)
        elif isinstance(line.owner, Section):
            section = line.owner
            if line.kind is LineKind.HEADING:
                section.heading_span, section.marker = (span[0] + len(line.marker), span[1]), marker
            else:
                section.paragraph_spans.append(span)
            _extend(section, span, parents)
    text = "\n".join(line.display for line in lines)
    return ParseResult(text=text, document=document, unplaced=[], markers=markers, byline_span=byline_span)


def length(document: Document) -> int:
    """The material's 字 as the overview and the review (``length.total``) both report them: the
    laid-out text, title and headings included, counted by ``char_count``."""
    return char_count(lay_out(document).text)


def _marker(line: OutlineLine, start: int) -> MarkerMatch | None:
    found = _parsed(line.marker) if line.marker else None
    return found.moved(start, start + len(line.marker)) if found is not None else None


@functools.cache
def _parsed(marker: str) -> MarkerMatch | None:
    """What a marker the outline wrote reads as; the outline writes few distinct ones, often."""
    return match_marker(marker)


def _parents(document: Document) -> dict[int, Section]:
    """The section directly holding each item and sub-section (by object id; they are not hashable)."""
    found: dict[int, Section] = {}
    stack = list(document.sections)
    while stack:
        section = stack.pop()
        for child in [*section.items, *section.subsections]:
            found[id(child)] = section
        stack.extend(section.subsections)
    return found


def _extend(section: Section, span: Span, parents: dict[int, Section]) -> None:
    """Grow the section's span (and its ancestors') to cover ``span``."""
    current: Section | None = section
    while current is not None:
        start = current.span[0] if current.span is not None else span[0]
        current.span = (start, span[1])
        current = parents.get(id(current))

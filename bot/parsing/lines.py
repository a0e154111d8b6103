"""Lines of the normalised text with the numbering device that opens each, and heading splitting.

A ``Line`` is a stretch of one text line: the whole line, or the run-in rest of a heading line
("（三）……方面。一是……" gives the heading and a line starting at 一是). All offsets are absolute.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bot.document import Span
from bot.numbering import MarkerMatch, find_markers, match_marker
from bot.parsing.classify import AREA_WORDS, SENTENCE_END

# A colon right after an area word ends a heading too: "（二）……方面：对照要求，……".
_AREA_COLON = re.compile("(?:{})[：:]".format("|".join(AREA_WORDS)))
_HEADING_ENDS = (SENTENCE_END, _AREA_COLON)


@dataclass(frozen=True)
class Line:
    """A non-blank stretch of text; ``unplaced`` holds the reason when it belongs to no section."""

    start: int
    end: int
    marker: MarkerMatch | None
    unplaced: str | None = None

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def trim(text: str, start: int, end: int) -> Span:
    """``(start, end)`` narrowed to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def make_line(text: str, start: int, end: int) -> Line:
    marker = match_marker(text, start)
    return Line(start, end, marker if marker is not None and marker.end <= end else None)


def scan_lines(text: str) -> list[Line]:
    """Every non-blank line; the text is normalised, so lines carry no surrounding spaces."""
    lines = []
    start = 0
    for raw in text.split("\n"):
        if raw:
            lines.append(make_line(text, start, start + len(raw)))
        start += len(raw) + 1
    return lines


def run_in_markers(text: str, start: int, end: int) -> list[MarkerMatch]:
    """The ``一是`` / ``第一，`` markers within ``text[start:end]`` that may begin a point."""
    return [
        dataclasses.replace(m, start=m.start + start, end=m.end + start)
        for m in find_markers(text[start:end])
    ]


def split_heading(text: str, line: Line) -> tuple[Span, Line | None]:
    """The heading of a heading line (marker excluded) and, when it runs in, the rest as a line.

    The heading ends at whichever comes first: its first sentence end, a colon after 方面 or 情况,
    or the start of a ``一是`` list ("……方面，一是……"); a line with none of them is all heading.
    """
    start = line.marker.end if line.marker else line.start
    ends = [
        found.end() for found in (pattern.search(text, start, line.end) for pattern in _HEADING_ENDS) if found
    ]
    first_point = next((m for m in run_in_markers(text, start, line.end) if m.number == 1), None)
    if first_point is not None:
        ends.append(first_point.start)
    cut = min(ends, default=line.end)
    heading = trim(text, start, cut)
    rest = trim(text, cut, line.end)
    return heading, make_line(text, *rest) if rest[0] < rest[1] else None

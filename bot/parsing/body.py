"""Filling a section from the lines under its heading: aspects, items and free paragraphs.

Levels are assigned relative to what a section actually uses, not by GB/T 9704 rank, because
materials skip and swap levels. In a section that may have aspects (all but causes and measures) the
first numbering device at a line start is the aspect level, provided the result looks like aspects:
some aspect holds enumerated points, or some aspect heading names an area. Otherwise, and always in
causes and measures, that first device numbers the items. Within each container (a section without
aspects, the text before its first aspect, or one aspect) the first device at a line start numbers the
items; deeper devices stay inside the item they appear in. Run-in devices (一是, 第一，) number items
inline too, after a lead sentence or after a run-in heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise, takewhile

from bot.document import Item, Section, SectionRole, Span
from bot.numbering import RUN_IN_STYLES, MarkerMatch, MarkerStyle
from bot.parsing.classify import looks_like_aspect
from bot.parsing.lines import Line, run_in_markers, split_heading, trim
from bot.splitter import lead_lines, running_lines, split_answer

_ITEM_ONLY_ROLES = frozenset({SectionRole.CAUSES, SectionRole.MEASURES})
_LIST_ROLES = _ITEM_ONLY_ROLES | {SectionRole.LAST_YEAR}
"""Level-1 sections whose content is a list of points (the draft's items) after an optional lead."""


@dataclass(frozen=True)
class _Chunk:
    """One aspect's lines: the numbered heading line, then the run-in rest and the lines below."""

    opener: Line
    heading: Span
    own_line: bool
    lines: list[Line] = field(default_factory=list)


def fill_section(text: str, section: Section, lines: list[Line]) -> None:
    """Give ``section`` its paragraphs, items and aspects from ``lines`` (its heading excluded)."""
    style = _first_style(lines)
    if section.role not in _ITEM_ONLY_ROLES and style is not None and style not in RUN_IN_STYLES:
        head, chunks = _chunks(text, lines, style)
        aspects = [_aspect(text, section.role, chunk) for chunk in chunks]
        # Aspects come as a set: a list whose points merely open with an area's name here and
        # there (1.理论学习方面。…, 2.有时存在畏难情绪。…) is a list of points.
        if any(a.items for a in aspects) or all(
            looks_like_aspect(text[slice(*c.heading)], c.own_line) for c in chunks
        ):
            _fill_container(text, section, head)
            section.subsections = aspects
            for aspect in aspects:
                _lone_item(text, aspect, several_lines=True)
            return
    _fill_container(text, section, lines)
    if section.role in _LIST_ROLES:
        _lone_item(text, section, several_lines=False)


def extent(section: Section) -> Span | None:
    """The span from a section's marker or first content to its last content."""
    spans = [
        span
        for span in (
            section.marker.span if section.marker else None,
            section.heading_span,
            *section.paragraph_spans,
            *(item.span for item in section.items),
            *(sub.span for sub in section.subsections),
        )
        if span is not None
    ]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def _first_style(lines: list[Line]) -> MarkerStyle | None:
    return next((line.marker.style for line in lines if line.marker and line.unplaced is None), None)


def _chunks(text: str, lines: list[Line], style: MarkerStyle) -> tuple[list[Line], list[_Chunk]]:
    """Lines before the first aspect, and one chunk per line numbered with the aspect device."""
    head: list[Line] = []
    chunks: list[_Chunk] = []
    for line in lines:
        if line.marker is not None and line.marker.style is style and line.unplaced is None:
            heading, rest = split_heading(text, line)
            chunks.append(_Chunk(line, heading, rest is None, [rest] if rest else []))
        elif chunks:
            chunks[-1].lines.append(line)
        else:
            head.append(line)
    return head, chunks


def _aspect(text: str, role: SectionRole, chunk: _Chunk) -> Section:
    aspect = Section(
        role, text[slice(*chunk.heading)], heading_span=chunk.heading, marker=chunk.opener.marker
    )
    _fill_container(text, aspect, chunk.lines)
    aspect.span = extent(aspect)
    return aspect


def _fill_container(text: str, section: Section, lines: list[Line]) -> None:
    """Paragraphs and items of one container, in reading order.

    Text before the first item is a paragraph; unnumbered text after an item continues it (the
    elaboration under a judgement), until a line the parser could not place interrupts it.
    """
    starts = _item_starts(text, lines)
    pieces: list[tuple[MarkerMatch, int]] = []  # item marker and end offset, in order
    open_item = False
    for line in lines:
        if line.unplaced is not None:
            open_item = False
            continue
        cuts = starts.get(line.start, [])
        lead = trim(text, line.start, cuts[0].start if cuts else line.end)
        if lead[0] < lead[1] and open_item:
            pieces[-1] = (pieces[-1][0], lead[1])
        elif lead[0] < lead[1]:
            section.paragraphs.append(text[slice(*lead)])
            section.paragraph_spans.append(lead)
        bounds = [*(cut.start for cut in cuts), line.end]
        for marker, end in zip(cuts, bounds[1:], strict=True):
            pieces.append((marker, trim(text, marker.start, end)[1]))
            open_item = True
    section.items = [_item(text, marker, end) for marker, end in pieces]


def _lone_item(text: str, section: Section, *, several_lines: bool) -> None:
    """A list's one point is printed without 一是 or （一） (``bot.render``), after its lead if it has
    one: in an aspect or a list section without numbered points, what follows its lead sentences
    (``lead_lines``) is that point (unless something the parser could not place stands between its
    lines). An aspect's lines are one item, as the lines after a numbered point are; in a level-1
    section (not ``several_lines``) unnumbered paragraphs are a point each, as they always were, so
    only one paragraph after the lead is its one point."""
    if section.items or not section.paragraphs:
        return
    leads = lead_lines(section.paragraphs)
    spans = section.paragraph_spans[leads:]
    if not spans or any(text[a[1] : b[0]].strip() for a, b in pairwise(spans)):
        return  # only leads, or a line not placed (a page number) between: left as it was
    if len(spans) > 1 and not several_lines and running_lines(section.paragraphs[leads:]) < len(spans):
        return  # paragraphs a point each, but for one going on into its particulars (三是…… below)
    start, end = section.paragraph_spans[leads][0], section.paragraph_spans[-1][1]
    if len(split_answer(text[start:end]).items) != 1:
        return  # points numbered as the parser does not (①, 首先…其次…): the importer splits them
    del section.paragraphs[leads:], section.paragraph_spans[leads:]
    line_end = text.find("\n", start, end)
    line_end = end if line_end == -1 else line_end
    first = Item.from_text(text[start:line_end])
    section.items = [Item(first.headline, first.body + text[line_end:end], span=(start, end))]


def _item_starts(text: str, lines: list[Line]) -> dict[int, list[MarkerMatch]]:
    """Markers that open items, keyed by the start of their line."""
    style = _first_style(lines)
    if style is None or style in RUN_IN_STYLES:
        return _run_in_starts(text, lines, style)
    return {
        line.start: [line.marker]
        for line in lines
        if line.marker is not None and line.marker.style is style and line.unplaced is None
    }


def _run_in_starts(text: str, lines: list[Line], style: MarkerStyle | None) -> dict[int, list[MarkerMatch]]:
    """Run-in markers that open items, at line starts or inline.

    A marker at a line start always counts (so duplicates and gaps survive for the reviewer); an
    inline one must start the list at 1 or continue it upwards, and a lone inline marker is prose,
    which keeps "工作有两面，二是其中一面" whole. A paragraph whose first point runs on from words
    that are no lead (服务发展主动性不够。一是……；二是……) is one point with the particulars it lists,
    as ``bot.splitter.running_lines`` says for a message too: its markers open nothing, nor those
    of the lines below that go on with its particulars (三是…… on a line of its own).
    """
    accepted: list[tuple[Line, MarkerMatch]] = []
    previous: int | None = None
    running = 0  # lines still to come of a point going on into its particulars
    for at, line in enumerate(lines):
        if line.unplaced is not None:
            continue
        markers = run_in_markers(text, line.start, line.end)
        if running == 0 and markers and markers[0].start != line.start:
            running = running_lines(below.text(text) for below in _placed(lines, at))
        if running:
            running -= 1
            continue
        for marker in markers:
            if style is None and marker.number == 1:
                style = marker.style
            at_start = marker.start == line.start
            continues = marker.number == 1 if previous is None else marker.number > previous
            if marker.style is style and (at_start or continues):
                accepted.append((line, marker))
                previous = marker.number
    if len(accepted) == 1 and accepted[0][1].start != accepted[0][0].start:
        return {}
    starts: dict[int, list[MarkerMatch]] = {}
    for line, marker in accepted:
        starts.setdefault(line.start, []).append(marker)
    return starts


def _placed(lines: list[Line], start: int) -> Iterator[Line]:
    """The lines from ``start`` up to one the parser could not place (a page number), which no
    point goes on across."""
    return takewhile(lambda line: line.unplaced is None, (lines[at] for at in range(start, len(lines))))


def _item(text: str, marker: MarkerMatch, end: int) -> Item:
    """An item whose headline is the first sentence of its first line; the marker is kept apart."""
    start = trim(text, marker.end, end)[0]
    line_end = text.find("\n", start, end)
    line_end = end if line_end == -1 else line_end
    first = Item.from_text(text[start:line_end])
    return Item(first.headline, first.body + text[line_end:end], span=(marker.start, end), marker=marker)

"""The parts of a parsed material that rules reason about, with absolute offsets.

The parser may render a point as an ``Item`` or as a sub-section (``（一）理论学习有所松懈。…``) and an
aspect's content as items or as free paragraphs; rules should not care. A ``Unit`` is one point
whatever its form, and a ``Block`` is a heading with its body and points (an aspect of 存在的主要问题,
or a whole level-1 section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.document import Item, Section, Span
from bot.numbering import MarkerStyle, chinese_numeral, format_marker
from bot.parsing.classify import AREA_WORDS

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|$)")
_HEADLINE_END = re.compile(r"[。！？；!?;：:\n]")
_MAX_HEADLINE = 60
_MAX_LABEL = 12  # an area's name before a point's judgement: 理论学习方面, 廉洁自律情况


@dataclass(frozen=True)
class Unit:
    """One point: its span in the source, its text, its judgement sentence and a label (第二条)."""

    span: Span
    text: str
    headline: str
    label: str

    @property
    def headline_span(self) -> Span:
        """Where the judgement sentence stands; findings about the whole point are anchored here."""
        index = max(self.text.find(self.headline), 0)
        start = self.span[0] + index
        return start, start + max(len(self.headline), 1)


@dataclass(frozen=True)
class Block:
    """A heading and what follows it up to the next sibling heading."""

    section: Section
    label: str
    heading: str
    body_span: Span
    body: str
    units: tuple[Unit, ...]
    depth: int = 1
    """1 for a level-1 section, 2 for an aspect under it."""


def sentences(text: str, offset: int = 0) -> list[tuple[Span, str]]:
    """Sentences of ``text`` (ending at 。！？； or a line break) with spans shifted by ``offset``."""
    out = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group()
        if sentence.strip():
            out.append(((offset + match.start(), offset + match.end()), sentence))
    return out


def headline_of(text: str) -> str:
    """The leading judgement phrase: text up to the first sentence end, if short enough to be one.

    A point that opens with the name of its area (理论学习方面。学习不够系统，……), as outlines
    number their points, states its judgement in the sentence after that name.
    """
    text = text.strip()
    match = _HEADLINE_END.search(text)
    if match and match.start() <= _MAX_HEADLINE:
        label = text[: match.start()]
        rest = text[match.end() :].strip()
        if rest and len(label) <= _MAX_LABEL and label.endswith(AREA_WORDS):
            return headline_of(rest)
        return label
    return text[:_MAX_HEADLINE]


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prose_name(section: Section, depth: int) -> str:
    """How a sentence names a section, by its number where it has one.

    第二部分 at level 1; （三） and （3） as they are (brackets read well in a sentence); another number
    (``3.``, ``三是``) as 第三个方面 on an aspect's heading, else 第3点 / 第三点. An unnumbered section
    is named by its first words, the preamble as 导语.
    """
    marker = section.marker
    if marker is None:
        return f"“{short(section.heading, 10)}”" if section.heading else "导语"
    if depth == 1:
        return f"第{chinese_numeral(marker.number)}部分"
    if marker.style in (MarkerStyle.LEVEL2, MarkerStyle.LEVEL4):
        return format_marker(marker.style, marker.number)
    if (section.heading or "").rstrip("。：:；; ").endswith("方面"):
        return f"第{chinese_numeral(marker.number)}个方面"
    number = str(marker.number) if marker.style is MarkerStyle.LEVEL3 else chinese_numeral(marker.number)
    return f"第{number}点"


def marker_label(section: Section) -> str:
    """The section's number as it should be written (``（三）``), or nothing for unnumbered ones."""
    marker = section.marker
    return format_marker(marker.style, marker.number) if marker is not None else ""


def body_span(section: Section) -> Span | None:
    """Where a section's content starts and ends: after its heading, up to its end."""
    if section.span is None:
        return None
    start = section.heading_span[1] if section.heading_span is not None else section.span[0]
    return start, section.span[1]


def points(section: Section, text: str, *, whole_body: bool) -> tuple[Unit, ...]:
    """A section's points in reading order: its items and its sub-sections (each with its content).

    Without either, the body is one point (``whole_body``, e.g. an aspect written as running text)
    or one point per paragraph (e.g. measures written as plain paragraphs).
    """
    found = _items(section) + [
        (s.span, headline_of(s.heading or "")) for s in section.subsections if s.span is not None
    ]
    return _numbered(found or _fallback(section, text, whole_body=whole_body), text)


def block(section: Section, text: str, depth: int = 1) -> Block | None:
    """The section as a block whose points are the items at any depth below it, or its whole body."""
    body = body_span(section)
    if body is None:
        return None
    return Block(
        section=section,
        label=marker_label(section),
        heading=section.heading or "",
        body_span=body,
        body=text[body[0] : body[1]],
        units=_numbered(_leaves(section, text), text),
        depth=depth,
    )


def lists(section: Section, text: str, depth: int = 1) -> list[Block]:
    """The section's points list by list, each numbered within its own as the locator numbers it
    (第2条 of the innermost heading): the section as one block, or, written under sub-headings (a
    part written per aspect), its own items and each sub-section's lists."""
    whole = block(section, text, depth)
    if whole is None or not section.subsections:
        return [whole] if whole is not None else []
    own = _items(section)
    mine = [replace(whole, units=_numbered(own, text))] if own else []
    return mine + [found for sub in section.subsections for found in lists(sub, text, depth + 1)]


def item_span(item: Item) -> Span | None:
    """Where an item's point stands: from after its marker (the digits of ``1.`` are not a number
    the point gives) to its end; a unit made from the item has this span."""
    if item.span is None:
        return None
    return item.marker.end if item.marker is not None else item.span[0], item.span[1]


def _items(section: Section) -> list[tuple[Span, str]]:
    return [
        (span, headline_of(i.headline + i.body)) for i in section.items if (span := item_span(i)) is not None
    ]


def _leaves(section: Section, text: str) -> list[tuple[Span, str]]:
    """Items of the section and of its sub-sections; a childless section's body counts as one."""
    found = _items(section) + [leaf for sub in section.subsections for leaf in _leaves(sub, text)]
    return found or _fallback(section, text, whole_body=True)


def _fallback(section: Section, text: str, *, whole_body: bool) -> list[tuple[Span, str]]:
    body = body_span(section)
    spans = [body] if whole_body and body is not None else list(section.paragraph_spans)
    return [(s, headline_of(text[s[0] : s[1]])) for s in spans if text[s[0] : s[1]].strip()]


def _numbered(found: list[tuple[Span, str]], text: str) -> tuple[Unit, ...]:
    return tuple(
        Unit(span, text[span[0] : span[1]], headline, f"第{chinese_numeral(i)}条")
        for i, (span, headline) in enumerate(sorted(found), 1)
    )


def which(bare: list[Unit], units: tuple[Unit, ...] | list[Unit]) -> str:
    """How a message continues after naming a block: 中的第一条、第三条 / 的各条都 / nothing (one point)."""
    if len(units) <= 1:
        return ""
    if len(bare) == len(units):
        return "的各条都"
    return "中的" + "、".join(u.label for u in bare)

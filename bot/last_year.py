"""A 上年度 part pasted per aspect of last year's material, read as an uploaded file's is.

``（一）理论学习方面。一是……；二是……⏎（二）工作作风方面。……`` reports last year's problems under the
aspects that material had. Split as a plain list, each aspect would be one item holding its points
in one paragraph: numbered （一）, reviewed and edited as one. ``grouped`` reads the block with the
parser an uploaded file goes through (``bot.parsing``), so the chat stores what the file reads: the
lead, the headings, and under each its points, which the draft keeps as headings among the items
(``AnswerRole.HEADING``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.document import Section, SectionRole
from bot.parsing import parse_text
from bot.splitter import ended

_HEADING_END = "。：:；;，, \u3000"


@dataclass(frozen=True)
class Group:
    """One aspect's heading (without its marker) and its points."""

    heading: str
    points: list[str]


@dataclass(frozen=True)
class Grouped:
    """The block as the file reads it: the lead, the points before the first heading, the groups."""

    lead: str | None
    points: list[str]
    groups: list[Group]

    def count(self) -> int:
        """How many answers the block stores besides its lead: headings and points."""
        return len(self.points) + sum(1 + len(group.points) for group in self.groups)

    def all_points(self) -> list[str]:
        return self.points + [point for group in self.groups for point in group.points]

    def rows(self, kept: Collection[str] | None = None) -> tuple[list[str], list[int]]:
        """The texts to store after the lead, in order, and the indexes of the headings among them;
        with ``kept``, only those points (the others are in the list already), and a heading only
        over a point kept."""
        texts = [point for point in self.points if kept is None or point in kept]
        headings: list[int] = []
        for group in self.groups:
            if mine := [point for point in group.points if kept is None or point in kept]:
                headings.append(len(texts))
                texts += [group.heading, *mine]
        return texts, headings


def grouped(text: str, heading: str) -> Grouped | None:
    """``text``, sent to the 上年度 part headed ``heading``, read as that part of a file: None
    unless it heads aspects of its own, each with its points, and nothing of it is left unplaced."""
    result = parse_text(f"一、{heading}\n{text.strip()}")
    sections = [s for s in result.document.sections if s.heading is not None]
    if result.unplaced or len(result.document.sections) != 1 or len(sections) != 1:
        return None
    return of_section(sections[0])


def of_section(section: Section) -> Grouped | None:
    """A file's 上年度 part as the draft keeps it: None unless it heads aspects, each over points of
    its own and nothing else (a sub-part holding paragraphs or parts of its own is kept as one item)."""
    aspects = section.subsections
    if section.role is not SectionRole.LAST_YEAR or not aspects:
        return None
    if any(a.subsections or a.paragraphs or not a.items or not a.heading for a in aspects):
        return None
    return Grouped(
        lead="\n".join(section.paragraphs) or None,
        points=[ended(item.text) for item in section.items],
        groups=[
            Group((a.heading or "").strip().rstrip(_HEADING_END), [ended(i.text) for i in a.items])
            for a in aspects
        ],
    )

"""A pasted block that writes several aspects at once, each under its own heading.

Members and offices often paste their whole 存在的主要问题 in one message: "（一）在……方面" on a
line, its 一是/二是 below, then "（二）……". Read as one list, every aspect would land in the one being
answered, each point opening with another aspect's heading. ``by_aspect`` divides such a block at
the lines that name one of the draft's aspects, so each aspect's points go to that aspect. It is
total and conservative: only a line that reads as a heading and matches an aspect divides the block;
a block that also holds the material's other parts (三、产生问题的原因…) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.document import SectionRole
from bot.numbering import HIERARCHY, match_marker
from bot.parsing.classify import bare_heading_role
from bot.review.aspects import score
from bot.review.rules.problems import nothing_found

_MAX_HEADING = 60
_HEADING_END = re.compile(r"[。！？；;：:]")
_TRAILING = "。：:；;，, \u3000"
# A heading names the aspect close to verbatim, or (after its own marker) abbreviates it.
_MIN_COVERAGE = 0.8
_MIN_RATIO_MARKED = 0.4
_MIN_RATIO_BARE = 0.5
_OTHER_PARTS = frozenset({SectionRole.LAST_YEAR, SectionRole.CAUSES, SectionRole.MEASURES, SectionRole.EXTRA})


@dataclass(frozen=True)
class AspectPart:
    """The text under one heading: ``aspect`` is the 1-based aspect it names, or None for the text
    before the first heading (which belongs wherever the user was writing); ``heading`` the heading
    as written, without words run into it."""

    aspect: int | None
    text: str
    heading: str = field(default="", compare=False)


def by_aspect(text: str, aspects: Sequence[str]) -> list[AspectPart] | None:
    """``text`` divided at its aspect headings, headings removed and empty parts left out; None when
    no line heads one of ``aspects`` or the block holds other parts of the material too."""
    if not aspects:
        return None
    parts: list[tuple[int | None, str, list[str]]] = [(None, "", [])]
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        found = _heading(line, aspects)
        if found is not None:
            aspect, rest = found
            heading = line.removesuffix(rest).strip() if rest else line
            parts.append((aspect, heading, [rest] if rest else []))
        elif _part_heading(line) in _OTHER_PARTS:
            return None
        else:
            parts[-1][2].append(line)
    if len(parts) == 1:
        return None
    preface = [line for line in parts[0][2] if _part_heading(line) is not SectionRole.PROBLEMS]
    parts[0] = (None, "", preface)
    return [AspectPart(aspect, "\n".join(lines), heading) for aspect, heading, lines in parts if lines]


def _heading(line: str, aspects: Sequence[str]) -> tuple[int, str] | None:
    """The aspect a line heads (1-based) and the words run into it after the heading, if it is one.
    A line saying a check found nothing there (经自查，未发现…问题) is said of the aspect in its own
    words, as a 自查自纠报告 answers a clean checkpoint: no heading."""
    if nothing_found(line):
        return None
    marker = match_marker(line, 0, HIERARCHY)
    body = line[marker.end :].lstrip(" \u3000、，,．.") if marker is not None else line
    bare, rest = body.rstrip(_TRAILING), ""
    if (cut := _HEADING_END.search(bare)) is not None:
        if marker is None:
            return None
        bare, rest = bare[: cut.start()], body[cut.end() :].strip()  # "（三）……方面。一是……"
    if not bare or len(bare) > _MAX_HEADING:
        return None
    least = _MIN_RATIO_MARKED if marker is not None else _MIN_RATIO_BARE
    found, number = max(
        ((score(bare, aspect), n) for n, aspect in enumerate(aspects, 1)),
        key=lambda pair: (pair[0].coverage, pair[0].ratio),
    )
    if found.coverage < _MIN_COVERAGE or found.ratio < least:
        return None
    return number, rest


def _part_heading(line: str) -> SectionRole | None:
    """The role of a line that heads a part of the material (二、存在的主要问题), with or without its
    marker; None for any other line."""
    marker = match_marker(line, 0, HIERARCHY)
    return bare_heading_role(line[marker.end :].strip() if marker is not None else line)

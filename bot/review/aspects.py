"""Matching the （一）…（N） headings of 存在的主要问题 against a year's aspects.

Headings quote the notice's aspects "close to verbatim" but wrapped (在……方面), sometimes abbreviated,
sometimes with slips. Matching therefore compares normalised text by how much of the shorter side is
found in the longer (so an abbreviation still finds its aspect), and wording is compared by plain
similarity (so only near-verbatim headings with small slips are reported).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.catalog import Catalog, ThemeSpec
    from bot.review.engine import ReviewContext

_NOISE = re.compile(r"[\s\W_]+")
_WRAPPER_HEAD = re.compile(r"^(?:在|关于)")
_WRAPPER_TAIL = re.compile(r"(?:方面)?(?:存在的?(?:主要)?问题)?$|方面$|情况$")
_CONTEXT = 4


def normalise(text: str) -> str:
    """Heading or aspect text without punctuation, spaces and the 在……方面 wrapper."""
    text = _NOISE.sub("", text)
    text = _WRAPPER_HEAD.sub("", text)
    return _WRAPPER_TAIL.sub("", text)


@dataclass(frozen=True)
class Score:
    ratio: float
    """Overall similarity (difflib ratio)."""
    coverage: float
    """Share of the shorter text found in the longer one."""


def score(written: str, expected: str) -> Score:
    aspect = normalise(expected)
    return _score(SequenceMatcher(None, b=aspect, autojunk=False), normalise(written), aspect)


def score_as_written(written: str, expected: str) -> Score:
    """``score`` of the texts as they are: a part's heading (存在的主要问题) is all wrapper."""
    return _score(SequenceMatcher(None, b=expected, autojunk=False), written, expected)


def _score(matcher: SequenceMatcher[str], written: str, expected: str) -> Score:
    """Score of normalised ``written`` against ``expected``, the text the matcher was built on."""
    if not written or not expected:
        return Score(0.0, 0.0)
    matcher.set_seq1(written)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return Score(2 * matched / (len(written) + len(expected)), matched / min(len(written), len(expected)))


def assign(headings: list[str], expected: list[str], threshold: float) -> list[int | None]:
    """For each heading the index of its aspect, or None; greedy by best coverage, one-to-one."""
    written = [normalise(h) for h in headings]
    pairs = []
    for j, aspect in enumerate(map(normalise, expected)):
        matcher = SequenceMatcher(None, b=aspect, autojunk=False)  # the aspect is indexed once
        pairs += [(_score(matcher, w, aspect).coverage, i, j) for i, w in enumerate(written)]
    pairs.sort(reverse=True)
    result: list[int | None] = [None] * len(headings)
    taken: set[int] = set()
    for coverage, i, j in pairs:
        if coverage >= threshold and result[i] is None and j not in taken:
            result[i] = j
            taken.add(j)
    return result


def differences(written: str, expected: str, limit: int = 2) -> list[tuple[str, str]]:
    """Up to ``limit`` (as written, as it should be) pairs, each with a few characters of context."""
    a, b = normalise(written), normalise(expected)
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((a[max(0, i1 - _CONTEXT) : i2 + 1], b[max(0, j1 - _CONTEXT) : j2 + 1]))
    return out[:limit]


MATCH = 0.6
"""A heading is taken for an aspect when this share of the shorter normalised text is found in the other."""


def own_assignment(ctx: ReviewContext) -> list[int | None]:
    """For each aspect heading of the material, the index of the expected aspect it covers."""
    return ctx.memo(
        "aspects.own",
        lambda: assign([b.heading for b in ctx.aspect_blocks], [a.text for a in ctx.aspects], MATCH),
    )


def foreign_theme(ctx: ReviewContext) -> ThemeSpec | None:
    """A packaged theme of another year whose aspects the headings follow, e.g. last year's list.

    Only looked for when the material's own year has known aspects that the headings do not follow:
    without them (e.g. a branch reusing a former year's areas) a match proves nothing.
    """
    return ctx.memo("aspects.foreign", lambda: _foreign_theme(ctx))


def _foreign_theme(ctx: ReviewContext) -> ThemeSpec | None:
    headings = [b.heading for b in ctx.aspect_blocks]
    if len(headings) < 2 or ctx.year is None or not ctx.aspects:
        return None
    return _foreign(headings, own_assignment(ctx), ctx.year, ctx.catalog)


def _foreign(
    headings: list[str], assignment: list[int | None], year: int, catalog: Catalog
) -> ThemeSpec | None:
    needed = max(2, math.ceil(len(headings) * MATCH))
    if sum(i is not None for i in assignment) >= needed:
        return None
    best: tuple[int, ThemeSpec] | None = None
    for theme in catalog.themes.values():
        if theme.year is None or theme.year == year:
            continue
        hits = sum(i is not None for i in assign(headings, [a.text for a in theme.aspects], MATCH))
        if hits >= needed and (best is None or hits > best[0]):
            best = (hits, theme)
    return best[1] if best is not None else None


def missing(headings: list[str], theme: ThemeSpec, catalog: Catalog) -> tuple[list[int], list[int | None]]:
    """The indices of the theme's aspects that none of a material's aspect ``headings`` covers, as
    structure.aspects.missing names them (none when the headings are not held against the theme
    at all: none of them matches it, or they follow another year's aspects), and for each heading
    the aspect it covers (``assign``'s), so a caller placing the missing ones among the headings
    does not match them again."""
    expected = [a.text for a in theme.aspects]
    assignment = assign(headings, expected, MATCH)
    if not headings or not any(i is not None for i in assignment):
        return [], assignment
    if len(headings) >= 2 and theme.year is not None and _foreign(headings, assignment, theme.year, catalog):
        return [], assignment
    return [j for j in range(len(expected)) if j not in assignment], assignment

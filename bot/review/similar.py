"""Near-duplicate texts between materials: one normalisation, one candidate search and one measure,
shared by the review rule ``problems.stock.shared`` (what an author sees) and the reviewer's
duplicate view (``bot.desk``), so both find the same pairs.

Texts are compared without spaces, punctuation and numbering. Candidates are pairs from different
materials that share at least ``MIN_SHARED`` character shingles (``SHINGLE`` characters long) that
are not common wording: a shingle found in more than ``COMMON`` texts is stock phrasing
(理论学习不够…), which says nothing about copying. Each candidate is then measured with rapidfuzz's
``fuzz.ratio`` (Indel similarity of the characters): copied text with a few words changed stays
above 0.85, two independently written items on one topic stay well below. The shingle index keeps
the work close to linear in the batch's size, where comparing every pair grows with its square.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, combinations

from rapidfuzz import fuzz

MIN_CHARS = 12
"""Shorter texts (a bare 理想信念有所松懈) are stock wording, not evidence of copying."""
SHINGLE = 5
MIN_SHARED = 2
COMMON = 40

_NOISE = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Letters, CJK characters and digits only."""
    return _NOISE.sub("", text)


def pairs(texts: Sequence[str], groups: Sequence[int], cutoff: float) -> list[tuple[int, int, float]]:
    """Every ``(i, j, score)``, ``i < j``, of texts from different groups (materials) at least
    ``cutoff`` (0–1) similar; texts shorter than ``MIN_CHARS`` take no part."""
    normal = [normalise(t) for t in texts]
    postings: dict[str, list[int]] = {}
    for index, text in enumerate(normal):
        if len(text) >= MIN_CHARS:
            for shingle in {text[p : p + SHINGLE] for p in range(len(text) - SHINGLE + 1)}:
                postings.setdefault(shingle, []).append(index)
    busy = (members for members in postings.values() if 1 < len(members) <= COMMON)
    shared = Counter(chain.from_iterable(combinations(members, 2) for members in busy))
    found = []
    for (a, b), count in shared.items():
        if count >= MIN_SHARED and groups[a] != groups[b]:
            score = fuzz.ratio(normal[a], normal[b], score_cutoff=100 * cutoff)
            if score:
                found.append((a, b, score / 100))
    return sorted(found)


def matching(own: Sequence[str], others: Sequence[str], cutoff: float) -> set[int]:
    """Indexes of ``own`` texts at least ``cutoff`` similar to one of ``others`` (another material's)."""
    texts = [*own, *others]
    groups = [0] * len(own) + [1] * len(others)
    return {a for a, b, _ in pairs(texts, groups, cutoff) if a < len(own) <= b}

"""Breaking a long title into lines the way GB/T 9704-2012 §7.3.1 asks: whole words, balanced lines,
arranged as a trapezoid (each line no shorter, or no longer, than the one above) or a diamond (longest
in the middle), and never a line of one character.

Word breaks come from the review's jieba segmenter; a few fixed names of the genre (民主生活会,
对照检查材料 …) are kept whole even where the segmenter would split them, and ``2025年度`` stays together.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterator, Sequence

from bot.review.tokens import tokenizer

# Names a title line must not break inside, whatever the segmenter says.
KEEP_WHOLE = (
    "专题民主生活会",
    "民主生活会",
    "组织生活会",
    "对照检查材料",
    "发言提纲",
    "情况报告",
    "领导班子",
    "常委班子",
)
_NO_LINE_END = "（《“‘〔【("  # an opening mark stays with what it opens
_NO_LINE_START = "，。、；：！？）》”’〕】)的"  # nor does a line open with a particle
_GLUED_AFTER_DIGIT = ("年", "月", "日", "届", "次")
_MIN_LINE_CHARS = 2
_MAX_LINES = 6


def char_width(ch: str) -> float:
    """Width in title characters: CJK and full-width marks take one, Latin letters and digits half."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


AUTOSPACE = 0.25
"""The gap Word and LibreOffice put between Chinese and Latin or digits (自动调整中文与西文间距), in
title characters: without it “王建国同志2026年度组织生活会个人发言提纲” reckons at exactly one line and
is printed with 纲 alone on the second."""


def text_width(text: str) -> float:
    """Width in title characters, with the gaps the renderer adds where Chinese meets Latin or digits."""
    gaps = sum(
        1 for a, b in itertools.pairwise(text) if _script(a) and _script(b) and _script(a) != _script(b)
    )
    return sum(char_width(ch) for ch in text) + AUTOSPACE * gaps


def _script(ch: str) -> str:
    """``han`` or ``latin`` for the characters between which the renderer adds space; "" otherwise."""
    if ch.isascii():
        return "latin" if ch.isalnum() else ""
    return "han" if unicodedata.east_asian_width(ch) == "W" and ch.isalnum() else ""


def title_lines(title: str, max_width: int) -> list[str]:
    """The title as balanced lines of at most ``max_width`` characters each.

    Tries the fewest lines first; among the layouts that break only between words and have the
    required shape, the one whose longest and shortest lines differ least wins (an upright trapezoid
    on a tie). A title no word layout can fit is wrapped between characters as a last resort.
    """
    title = " ".join(title.split())
    width = text_width(title)
    if width <= max_width or max_width < _MIN_LINE_CHARS:
        return [title]
    breaks = _break_points(title)
    for count in range(math.ceil(width / max_width), _MAX_LINES + 1):
        best = min(_layouts(title, breaks, count, max_width), key=_score, default=None)
        if best is not None:
            return best
    return _wrap(title, max_width)


def _break_points(title: str) -> list[int]:
    """Offsets between words where a line may end."""
    ends = {end for _, _, end in tokenizer()(title)}
    protected = {
        offset
        for name in KEEP_WHOLE
        for start in _occurrences(title, name)
        for offset in range(start + 1, start + len(name))
    }
    return sorted(
        end
        for end in ends
        if 0 < end < len(title)
        and end not in protected
        and title[end - 1] not in _NO_LINE_END
        and title[end] not in _NO_LINE_START
        and not (title[end - 1].isdigit() and title[end:].startswith(_GLUED_AFTER_DIGIT))
    )


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start != -1:
        yield start
        start = text.find(word, start + 1)


def _layouts(title: str, breaks: Sequence[int], count: int, max_width: int) -> Iterator[list[str]]:
    for cut in itertools.combinations(breaks, count - 1):
        bounds = (0, *cut, len(title))
        lines = [title[a:b].strip() for a, b in itertools.pairwise(bounds)]
        widths = [text_width(line) for line in lines]
        if (
            max(widths) <= max_width
            and min(len(line) for line in lines) >= _MIN_LINE_CHARS
            and _shaped(widths)
        ):
            yield lines


def _shaped(widths: Sequence[float]) -> bool:
    """Widening up to the longest line, then narrowing: a trapezoid either way up, or a diamond."""
    peak = widths.index(max(widths))
    rising = all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
    falling = all(a >= b for a, b in itertools.pairwise(widths[peak:]))
    return rising and falling


def _score(lines: list[str]) -> tuple[float, bool]:
    widths = [text_width(line) for line in lines]
    return max(widths) - min(widths), widths[0] > widths[-1]


def _wrap(title: str, max_width: int) -> list[str]:
    lines = [""]
    for ch in title:
        if text_width(lines[-1] + ch) > max_width:
            lines.append("")
        lines[-1] += ch
    if len(lines) > 1 and len(lines[-1]) < _MIN_LINE_CHARS:  # pull a character down to the last line
        lines[-1] = lines[-2][-1] + lines[-1]
        lines[-2] = lines[-2][:-1]
    return lines

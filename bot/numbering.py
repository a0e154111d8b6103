"""The numbering devices of Chinese official writing, shared by renderers, the splitter and the parser.

GB/T 9704 §7.3.3 fixes four heading levels (``一、`` → ``（一）`` → ``1.`` → ``（1）``); materials add the
run-in devices ``一是……二是……`` and ``第一，…第二，…``, used at any level and often inline. Renderers
*format* markers; everything reading user text *matches* them, accepting the variants people type
(half-width brackets, ``1、`` / ``1．``). A marker's numeral is 1..99, written and read here (the tests
check both directions against cn2an for every number); numerals in running text (``二〇二六``, ``两百``)
go through cn2an, imported only when one is read, so a process that never does starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

MAX_NUMBER = 99
"""Largest number a marker may carry; enough for any list a material contains."""


class MarkerStyle(StrEnum):
    """One numbering device; the canonical form is what renderers write."""

    LEVEL1 = "level1"  # 一、
    LEVEL2 = "level2"  # （一）  input also (一)
    LEVEL3 = "level3"  # 1.    input also 1、 1．
    LEVEL4 = "level4"  # （1）  input also (1)
    RUN_IN = "run_in"  # 一是
    ORDINAL = "ordinal"  # 第一，  input also 第一、 第一：


HIERARCHY: tuple[MarkerStyle, ...] = (
    MarkerStyle.LEVEL1,
    MarkerStyle.LEVEL2,
    MarkerStyle.LEVEL3,
    MarkerStyle.LEVEL4,
)
"""Heading styles in GB/T 9704 order: ``HIERARCHY[level - 1]`` numbers headings of that level."""

RUN_IN_STYLES: frozenset[MarkerStyle] = frozenset({MarkerStyle.RUN_IN, MarkerStyle.ORDINAL})
"""Devices that enumerate points within running text rather than heading them."""

_FORMATS: dict[MarkerStyle, str] = {
    MarkerStyle.LEVEL1: "{cn}、",
    MarkerStyle.LEVEL2: "（{cn}）",
    MarkerStyle.LEVEL3: "{n}.",
    MarkerStyle.LEVEL4: "（{n}）",
    MarkerStyle.RUN_IN: "{cn}是",
    MarkerStyle.ORDINAL: "第{cn}，",
}

_DIGITS = "一二三四五六七八九"
_TEN = "十"
_CN = f"[{_DIGITS}{_TEN}]+"
_AN = "[0-9０-９]{1,2}"
_PATTERNS: dict[MarkerStyle, re.Pattern[str]] = {
    MarkerStyle.LEVEL1: re.compile(rf"(?P<num>{_CN})、"),
    MarkerStyle.LEVEL2: re.compile(rf"[（(](?P<num>{_CN})[）)]"),
    # A digit may follow 、 ("；2、1批次陪餐超标") but not a point ("2.5" is a number) unless a year
    # follows it ("4.2027年3月底前完成…").
    MarkerStyle.LEVEL3: re.compile(rf"(?P<num>{_AN})(?:[.．](?:(?![0-9０-９])|(?=20[0-9]{{2}}年))|、)"),
    MarkerStyle.LEVEL4: re.compile(rf"[（(](?P<num>{_AN})[）)]"),
    MarkerStyle.RUN_IN: re.compile(rf"(?P<num>{_CN})是"),
    MarkerStyle.ORDINAL: re.compile(rf"第(?P<num>{_CN})[，、：,:]"),
}
_ARABIC_STYLES = frozenset({MarkerStyle.LEVEL3, MarkerStyle.LEVEL4})

# What may precede a marker in running text. Any device may follow the end of a sentence or clause;
# run-in devices also follow a comma or 顿号 ("对照检查，一是……"). A CJK character never qualifies,
# which is what keeps 统一是 and 唯一是 from reading as markers.
_SENTENCE_BREAK = frozenset("。；;：:！!？?")
_PAUSE = frozenset("，,、")


@dataclass(frozen=True)
class MarkerMatch:
    """A marker found in text: which device, which number, where, and how it was typed."""

    style: MarkerStyle
    number: int
    start: int
    end: int
    text: str
    half_width: bool
    """Written with ASCII brackets, ``(一)`` for ``（一）``; reviewers flag it."""

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def canonical(self) -> bool:
        """Whether the marker is written exactly as a renderer would write it."""
        return self.text == format_marker(self.style, self.number)

    def moved(self, start: int, end: int) -> MarkerMatch:
        """The same marker at ``start``..``end`` (``dataclasses.replace`` costs several times more,
        and the review places every marker of a material)."""
        return MarkerMatch(self.style, self.number, start, end, self.text, self.half_width)


def _check_range(n: int) -> None:
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"marker number {n} outside 1..{MAX_NUMBER}")


@cache
def chinese_numeral(n: int) -> str:
    """``12`` → ``十二``, ``20`` → ``二十``; cached, since every prompt renumbers its items."""
    _check_range(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else _TEN if tens == 1 else _DIGITS[tens - 1] + _TEN
    return head + (_DIGITS[ones - 1] if ones else "")


@cache
def _numerals() -> dict[str, int]:
    """Every way a marker may write 1..MAX_NUMBER: the usual form, and 一十二 for 12 as well."""
    table = {chinese_numeral(n): n for n in range(1, MAX_NUMBER + 1)}
    table.update({_DIGITS[0] + chinese_numeral(n): n for n in range(10, 20)})
    return table


def parse_chinese_numeral(text: str) -> int | None:
    """``十二`` → ``12``; ``None`` for anything that is not a numeral in 1..MAX_NUMBER (e.g. ``三一``)."""
    return _numerals().get(text)


def numeral_value(text: str) -> int | None:
    """A numeral as people write it in running text (``二〇二六``, ``十二``, ``两百``); ``None`` if malformed.

    cn2an's lenient mode raises ``KeyError`` as well as ``ValueError`` on some malformed numerals
    (``零十一``), so both mean "not a numeral" here.
    """
    import cn2an  # about 60 ms to import: only for running text, never for markers

    try:
        return int(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError):
        return None


@cache
def format_marker(style: MarkerStyle, n: int) -> str:
    """The canonical marker, e.g. ``(LEVEL2, 3)`` → ``（三）``, ``(RUN_IN, 2)`` → ``二是``."""
    return _FORMATS[style].format(n=n, cn=chinese_numeral(n))


def list_marker(style: MarkerStyle, n: int, count: int | None) -> str:
    """The marker of item ``n`` in a list of ``count`` items (None: a part of a longer list, such as
    an item reviewed where it stands). A list of one point carries none: materials write no 一是
    where no 二是 follows, and a lone （一） reads as a list cut short. The one rule the chat's lists,
    查看全文 and the files all mark a list by."""
    return "" if count == 1 else format_marker(style, n)


def match_marker(
    text: str, pos: int = 0, styles: Collection[MarkerStyle] = tuple(MarkerStyle)
) -> MarkerMatch | None:
    """The marker starting exactly at ``pos``, if any; what precedes ``pos`` is not checked."""
    for style in styles:
        found = _PATTERNS[style].match(text, pos)
        if found is not None and (marker := _to_marker(style, found)) is not None:
            return marker
    return None


def find_markers(text: str, styles: Collection[MarkerStyle] = RUN_IN_STYLES) -> list[MarkerMatch]:
    """Markers anywhere in ``text`` that stand where a point can begin, in order of position.

    By default only the run-in devices, i.e. the ``一是`` points inside a paragraph. Line starts count
    as positions where a point can begin, so passing all styles finds one-per-line numbering as well.
    """
    markers = []
    for style in styles:
        for found in _PATTERNS[style].finditer(text):
            marker = _to_marker(style, found)
            if marker is not None and _may_start_point(text, marker):
                markers.append(marker)
    return sorted(markers, key=lambda m: m.start)


def _to_marker(style: MarkerStyle, found: re.Match[str]) -> MarkerMatch | None:
    digits = found["num"]
    number = int(digits) if style in _ARABIC_STYLES else parse_chinese_numeral(digits)
    if number is None or not 1 <= number <= MAX_NUMBER:
        return None
    marker = found[0]
    return MarkerMatch(
        style=style,
        number=number,
        start=found.start(),
        end=found.end(),
        text=marker,
        half_width="(" in marker or ")" in marker,
    )


def _may_start_point(text: str, marker: MarkerMatch) -> bool:
    if marker.start == 0:
        return True
    before = text[marker.start - 1]
    return (
        before.isspace() or before in _SENTENCE_BREAK or (marker.style in RUN_IN_STYLES and before in _PAUSE)
    )

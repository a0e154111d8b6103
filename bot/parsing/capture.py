"""Damage that copying a material from a PDF or a web page leaves, and the repaired text to review.

Cadres paste 范文 from websites and PDFs: sentences broken across lines, page counters and running
heads between them, the site's boilerplate around them, spaces inside words, headings in Traditional
script, the title twice. Reviewing that text as written produces findings about the damage, not the
material ("unfinished sentence", "numbering gap", "problems section missing"), and advice that would
damage correct sentences. ``repair`` finds each kind of damage and builds, for the review only, the
text without it, with a map back to the text as given so every finding still points into it. The
material itself is never changed.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from bot.document import Span
from bot.numbering import match_marker
from bot.parsing.classify import (
    AREA_WORDS,
    bare_heading_role,
    is_date_line,
    looks_like_byline,
    looks_like_signature,
)

DamageKind = Literal["boilerplate", "title", "pages", "traditional", "spaces", "breaks", "linebreaks"]
"""``linebreaks`` are sentences a .docx breaks with Shift+Enter: no copy damage, but read alike."""

_CJK = "\u4e00-\u9fff"
# Lines a web page wraps around an article: the site's header, its byline bar, its share bar.
_BOILERPLATE = re.compile(
    r"^【(?:写作参考|范文|文章来源|温馨提示)】"
    r"|(?:复制|下载)(?:全文|本文)|可复制下载|^（?(?:复制|下载)全文）?$"
    r"|^(?:来源|文章来源|作者|责任编辑|编辑)：.{0,30}(?:发布时间|时间|日期|字号|浏览|点击)"
    r"|^(?:发布时间|发布日期|浏览次数|阅读次数|浏览量|阅读量|点击量|访问量)[：:]"
    r"|^[^，。！]{1,12}[，,]\s*欢迎(?:您|你)?(?:访问|光临)?[！!。]?$"
    r"|字号[：:]\s*(?:大|【大】)"
    r"|^分享(?:到|至)?[：:]|^朗读(?:本文)?$|^打印本页|^关闭窗口|^(?:上一篇|下一篇)[：:]"
)
_MAX_BOILERPLATE = 80
# A page counter on a line of its own: "— 3 —", "- 3 -", "3", "第3页", "第3页 共9页", "3/9", "3、".
_PAGE_COUNTER = re.compile(
    r"^[—–\-－·•\s]*(?:第\s*)?[0-9０-９]{1,3}\s*(?:页)?(?:\s*[/／]\s*[0-9０-９]{1,3}|\s*共\s*[0-9０-９]{1,3}\s*页)?"
    r"[、.．]?[—–\-－·•\s]*$"
)
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}，。、；：])[ \u3000\t]+(?=[{_CJK}])")
_CLAUSE = re.compile(r"[，。；、：,;]")
_MID_CLAUSE = re.compile(r"[，；、,;]")  # a sentence under way (not 对照检查人：张三)
_SENTENCE = "。！？"
# A line ending in one of these finishes its paragraph; one ending in a "pause" cannot.
_TERMINAL = (*tuple("。！？；：…!?;:"), "。”", "！”", "？”", "。）", "”", "》", "）")
_PAUSE = tuple("，、“（《,")
_TITLE_WINDOW = 4
_MIN_WRAP = 16
_MIN_WIDTH_LINES = 3


@dataclass(frozen=True)
class Damage:
    """One kind of damage and every place it occurs, as spans of the text as given."""

    kind: DamageKind
    places: tuple[Span, ...]
    example: str
    fixed: str = ""


@dataclass(frozen=True)
class Repair:
    """The text as given (``source``), the text the rules read, and for each character of the latter
    its offset in the former."""

    source: str
    text: str
    origin: tuple[int, ...]
    damage: tuple[Damage, ...]

    def original(self, span: Span) -> Span:
        """Where ``span`` of the repaired text lies in the text as given."""
        start, end = span
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def read(self, offset: int) -> int:
        """Where the text as given at ``offset`` is read in the repaired text: that character, or the
        first one kept after it when it was removed (a space inside a word, a break in a sentence)."""
        return bisect.bisect_left(self.origin, offset)


@dataclass
class _Line:
    start: int
    end: int
    text: str
    gone: DamageKind | None = None


def repair(text: str, soft_breaks: frozenset[int] = frozenset()) -> Repair | None:
    """The repaired text and what was repaired, or None when ``text`` shows no capture damage.

    ``soft_breaks`` are the lines of a .docx that end in a line break typed inside a paragraph
    (``ParseResult.soft_breaks``): a sentence broken there is Word's ``linebreaks``, not a copy's.
    """
    lines = list(_split(text))
    deleted: dict[DamageKind, list[Span]] = {}
    replaced: dict[int, str] = {}
    found: list[Damage] = []

    def drop(kind: DamageKind, index: int) -> None:
        line = lines[index]
        line.gone = kind
        deleted.setdefault(kind, []).append((line.start, min(line.end + 1, len(text))))

    title = _mark_front(lines, drop)
    _mark_pages(lines, title, drop)
    found += [_line_damage(kind, text, spans) for kind, spans in deleted.items()]
    kept = [line for line in lines if line.gone is None]
    traditional = _traditional(kept, replaced)
    if traditional is not None:
        found.append(traditional)
    byline = _byline(lines, title)
    spaces = [
        (line.start + m.start(), line.start + m.end())
        for index, line in enumerate(lines)
        if line.gone is None and index != byline and _CLAUSE.search(line.text)
        for m in _INNER_SPACE.finditer(line.text)
    ]
    if spaces:
        found.append(Damage("spaces", tuple(spaces), _around(text, spaces[0])))
    breaks = _breaks(lines, title, soft_breaks)
    for kind in ("breaks", "linebreaks"):
        places = breaks[kind]
        if places:
            found.append(Damage(kind, tuple(places), _around(text, places[0])))
    if not found:
        return None
    removed = sorted(span for spans in deleted.values() for span in spans) + spaces
    removed += [span for places in breaks.values() for span in places]
    return _build(text, removed, replaced, tuple(sorted(found, key=lambda d: d.places[0])))


def _split(text: str) -> Iterator[_Line]:
    start = 0
    for words in text.split("\n"):
        yield _Line(start, start + len(words), words)
        start += len(words) + 1


def _mark_front(lines: list[_Line], drop: Callable[[DamageKind, int], None]) -> int | None:
    """Drop web boilerplate lines and a second copy of the title; the title's index, if any."""
    for index, line in enumerate(lines):
        if len(line.text) <= _MAX_BOILERPLATE and _BOILERPLATE.search(line.text):
            drop("boilerplate", index)
    filled = [i for i, line in enumerate(lines) if line.gone is None and line.text]
    if not filled:
        return None
    title = filled[0]
    first = lines[title].text
    if len(filled) > 1 and lines[filled[1]].text == first and not any(c in first for c in "，。；！？"):
        drop("title", filled[1])
    return title


def _byline(lines: list[_Line], title: int | None) -> int | None:
    """The line under the title naming unit, position and name (县商务局　党组书记、局长　张三), whose
    parts a space separates by design, as the bot's own .docx writes it: not copy damage. A byline
    as the parser reads one (``looks_like_byline``)."""
    if title is None:
        return None
    below = next((i for i in range(title + 1, len(lines)) if lines[i].gone is None and lines[i].text), None)
    return below if below is not None and looks_like_byline(lines[below].text.strip()) else None


def _mark_pages(lines: list[_Line], title: int | None, drop: Callable[[DamageKind, int], None]) -> None:
    """Drop page counters, and running heads: the title, or a short line repeated next to a counter."""
    counters = {
        i
        for i, line in enumerate(lines)
        if line.gone is None and line.text and _PAGE_COUNTER.match(line.text)
    }
    if not counters:
        return
    heads = {lines[title].text} if title is not None else set()
    beside = Counter(
        lines[j].text for i in counters for j in (i - 1, i + 1) if 0 <= j < len(lines) and j != title
    )
    heads |= {words for words, n in beside.items() if n >= 2 and words and _CLAUSE.search(words) is None}
    for index in sorted(counters):
        drop("pages", index)
    for index, line in enumerate(lines):
        if index != title and line.gone is None and line.text in heads:
            drop("pages", index)


def _line_damage(kind: DamageKind, text: str, spans: list[Span]) -> Damage:
    spans = sorted(spans)
    first = text[spans[0][0] : spans[0][1]].strip()
    return Damage(
        kind, tuple((start, start + len(text[start:end].rstrip("\n"))) for start, end in spans), first
    )


_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _within_gb2312(lines: list[_Line]) -> bool:
    try:
        "".join(run for line in lines for run in _HANZI.findall(line.text)).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _converter() -> Callable[[str], str]:
    """OpenCC's Traditional-to-Simplified conversion (phrase-aware), loaded on first need."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def _traditional(lines: list[_Line], replaced: dict[int, str]) -> Damage | None:
    """Characters in Traditional script, converted one for one where the conversion keeps length.

    A text whose Chinese characters all belong to GB 2312 (the Simplified set) is not converted:
    text copied from a Traditional source always carries characters outside it (們, 這, 會…), and
    the converter, with its dictionaries, is loaded only for a text that may need it.
    """
    if _within_gb2312(lines):
        return None
    convert = _converter()
    places: list[Span] = []
    example = fixed = ""
    for line in lines:
        simple = convert(line.text)
        if simple == line.text:
            continue
        if len(simple) != len(line.text):
            simple = "".join(convert(char) if len(convert(char)) == 1 else char for char in line.text)
        changed = [i for i, (a, b) in enumerate(zip(line.text, simple, strict=True)) if a != b]
        for i in changed:
            replaced[line.start + i] = simple[i]
        places += _runs(line.start, changed)
        if not example and changed:
            example, fixed = line.text, simple
    if not places:
        return None
    return Damage("traditional", tuple(places), example, fixed)


def _runs(offset: int, indexes: list[int]) -> Iterator[Span]:
    """Consecutive indexes grouped into spans."""
    start = previous = None
    for index in indexes:
        if start is None or previous is None or index != previous + 1:
            if start is not None and previous is not None:
                yield offset + start, offset + previous + 1
            start = index
        previous = index
    if start is not None and previous is not None:
        yield offset + start, offset + previous + 1


def _breaks(lines: list[_Line], title: int | None, soft: frozenset[int]) -> dict[str, list[Span]]:
    """Line breaks inside sentences, by kind: the newline after a line that cannot end where it ends,
    as ``linebreaks`` where Word's Shift+Enter made it (a line of ``soft``), else ``breaks``.

    A line is broken when it ends in a pause (，、“), or is as long as the page width the copy shows
    (many lines of exactly one length) without finishing its sentence, or holds a finished sentence
    and then stops mid-way, or, broken by Shift+Enter, stops in the middle of a clause; lines
    numbered as headings and area headings (…方面) are never joined.
    """
    kept = [(i, line) for i, line in enumerate(lines) if line.gone is None]
    width = _page_width([line for _, line in kept])
    breaks: dict[str, list[Span]] = {"breaks": [], "linebreaks": []}
    for (index, line), (_, after) in itertools.pairwise(kept):
        if (title is not None and index <= title + 1) or not line.text or not after.text:
            continue
        if _broken(line.text, after.text, width, index in soft):
            breaks["linebreaks" if index in soft else "breaks"].append((line.end, line.end + 1))
    return breaks


def _broken(line: str, after: str, width: int | None, soft: bool) -> bool:
    end = line.rstrip()
    if end.endswith(_TERMINAL) or end.endswith(AREA_WORDS):
        return False
    if width is not None and len(line) >= width:
        return True
    if bare_heading_role(after) is not None:
        return False
    if match_marker(after, 0) is not None:
        return False  # a point that follows a line left hanging: an unfinished sentence, not a wrap
    if soft and _MID_CLAUSE.search(line) and not is_date_line(after) and not looks_like_signature(after):
        return True  # a paragraph's line in the middle of its sentence, not a heading or a signature
    return end.endswith(_PAUSE) or (len(line) >= _MIN_WRAP and any(c in line for c in _SENTENCE))


def _page_width(lines: list[_Line]) -> int | None:
    """The line length of a copy wrapped at a fixed width, when enough lines share it."""
    lengths = Counter(len(line.text) for line in lines if len(line.text) >= _MIN_WRAP)
    if not lengths:
        return None
    width, count = lengths.most_common(1)[0]
    return width if count >= _MIN_WIDTH_LINES and count * 4 >= sum(lengths.values()) else None


def _around(text: str, span: Span) -> str:
    start, end = max(0, span[0] - 4), min(len(text), span[1] + 4)
    return text[start:end].replace("\n", "⏎")


def _build(text: str, removed: list[Span], replaced: dict[int, str], damage: tuple[Damage, ...]) -> Repair:
    gone = bytearray(len(text) + 1)
    for start, end in removed:
        gone[start:end] = b"\x01" * (end - start)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if not gone[index]:
            chars.append(replaced.get(index, char))
            origin.append(index)
    origin.append(len(text))
    return Repair(text, "".join(chars), tuple(origin), damage)

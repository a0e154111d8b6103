"""A Word paragraph's text as the reader sees it on screen, not as python-docx's ``.text`` gives it.

Word keeps automatic list numbering outside the text (``w:numPr`` pointing into numbering.xml, often
with ``chineseCounting`` levels such as "%1、" and "（%2）"), keeps tracked changes as ``w:ins`` and
``w:del`` wrappers, and breaks lines inside a paragraph with ``w:br``. Read naively, headings lose
their markers, inserted text vanishes and deleted text reappears. Here the markers are rendered the way
Word counts them, tracked changes are read as accepted (insertions in, deletions out), soft breaks
become line breaks, hidden text is skipped, text boxes are read once each (before the paragraph they are
anchored in), and comments, headers and footers stay out of the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.numbering import MAX_NUMBER, chinese_numeral

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT, _TAB, _BREAK, _RETURN = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_PARAGRAPH = f"{_W}p"
_TEXT_BOX = f"{_W}txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose text is not the paragraph's own as accepted: deletions, moved-away text, text boxes,
# and the fallback copy of content Word also writes in a newer form (mc:AlternateContent).
_OUTSIDE = frozenset({f"{_W}del", f"{_W}moveFrom", _TEXT_BOX, _PARAGRAPH, _FALLBACK})
_REVISIONS = (f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo", f"{_W}pPrChange", f"{_W}rPrChange")
"""Tracked changes that change what is read once accepted: text inserted, deleted or moved, and
paragraph or run properties (a list number added or taken away, a style, text hidden)."""
LINE_BREAK = "\u2028"
"""How ``paragraph_text`` writes a line break typed inside a paragraph (Shift+Enter), so that the
reader can tell it from the end of a paragraph (bot.parsing.sources.docx_text)."""
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_MAX_VALUE = 32767
"""Largest start value read from numbering.xml; a larger or malformed one is ignored, so no file
can make a marker long or slow to write."""
_LEVELS = 9
"""Word's list levels are ilvl 0–8."""
_OFF = "0"
"""numId 0: numbering switched off (a paragraph's own, over its style's)."""


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}") if element is not None else None
    return child.get(f"{_W}val") if child is not None else None


def _on(element: Any, tag: str) -> bool:
    """A toggle such as ``w:isLgl``: on when present, unless its value says off."""
    child = element.find(f"{_W}{tag}")
    return child is not None and child.get(f"{_W}val", "true") not in ("0", "false", "off")


def _number(text: str | None, high: int = _MAX_VALUE) -> int | None:
    """An integer attribute in ``0..high``; None when absent, malformed or out of range."""
    if text is None or not re.fullmatch(r"\s*[0-9]{1,6}\s*", text):
        return None
    value = int(text)
    return value if value <= high else None


def _circled(first: int, last: int) -> Callable[[int], str]:
    return lambda n: chr(first + n - 1) if 1 <= n <= last else str(n)


_ROMAN = (
    *((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")),
    *((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")),
)


def _roman(n: int) -> str:
    if not 1 <= n < 4000:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letter(n: int) -> str:
    """a … z, then aa … zz: Word repeats the letter rather than counting in base 26."""
    if not 1 <= n <= 26 * 26:
        return str(n)
    return chr(0x61 + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _chinese(n: int) -> str:
    return chinese_numeral(n) if 1 <= n <= MAX_NUMBER else str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "taiwaneseCounting": _chinese,
    "chineseLegalSimplified": _chinese,
    "ideographTraditional": lambda n: _HEAVENLY[n - 1] if 1 <= n <= 10 else str(n),
    "ideographZodiac": lambda n: _ZODIAC[n - 1] if 1 <= n <= 12 else str(n),
    "decimalEnclosedCircle": _circled(0x2460, 20),
    "decimalEnclosedCircleChinese": _circled(0x2460, 20),
    "decimalEnclosedParen": _circled(0x2474, 20),
    "decimalEnclosedFullstop": _circled(0x2488, 20),
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}
"""Word's ``w:numFmt`` values and how each writes a number; bullets and ``none`` write no marker.
The 大写 of ``chineseLegalSimplified`` (壹、贰) is written 一、二, the markers this genre reads."""


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int
    style: str | None = None
    """The paragraph style linked to this level (``w:pStyle``): a style numbered without a level
    of its own takes this one."""
    restart: int | None = None
    """``w:lvlRestart``: the level (from 1) whose use starts this one again, 0 never; None: any
    higher level."""
    legal: bool = False
    """``w:isLgl``: every number of this level's text in Arabic digits (1.1, not 一.1)."""

    @classmethod
    def of(cls, element: Any) -> tuple[int, _Level] | None:
        """A ``w:lvl`` and its ilvl; None when the ilvl is none of Word's."""
        ilvl = _number(element.get(f"{_W}ilvl", "0"), high=_LEVELS - 1)
        if ilvl is None:
            return None
        start = _number(_val(element, "start"))
        level = cls(
            _format(element),
            _val(element, "lvlText") or "",
            1 if start is None else start,
            _val(element, "pStyle"),
            _number(_val(element, "lvlRestart"), high=_LEVELS),
            _on(element, "isLgl"),
        )
        return ilvl, level

    def restarts(self, ilvl: int, used: int) -> bool:
        """Whether this level, at ``ilvl``, starts again when the higher level ``used`` is used."""
        after = ilvl if self.restart is None or self.restart > ilvl else self.restart
        return after != 0 and used < after

    def write(self, n: int) -> str | None:
        """``n`` in this level's format; None for bullets and unknown formats."""
        write = _FORMATS.get(self.fmt)
        return write(n) if write is not None else None


def _format(level: Any) -> str:
    """A level's ``w:numFmt``. Word 2010 writes a custom format (001, 002…) inside markup
    compatibility, with a standard one as the fallback for older readers: that one is read."""
    fmt = _val(level, "numFmt")
    if fmt is None:
        fmt = _val(level.find(f"{_ALTERNATE}/{_FALLBACK}"), "numFmt")
    return fmt or "decimal"


@dataclass(frozen=True)
class _List:
    """A ``w:num``: the abstract list whose counters it advances, and its levels, some redefined
    or started anew (``w:lvlOverride``)."""

    abstract: str
    levels: dict[int, _Level]
    restarted: frozenset[int]
    """Levels given a ``w:startOverride``: they start again where the list is first used."""

    @classmethod
    def of(cls, element: Any, abstracts: dict[str, dict[int, _Level]], links: dict[str, str]) -> _List:
        abstract = _val(element, "abstractNumId") or ""
        abstract = links.get(abstract, abstract)
        levels = dict(abstracts.get(abstract, {}))
        restarted = set()
        for override in element.findall(f"{_W}lvlOverride"):
            ilvl = _number(override.get(f"{_W}ilvl", "0"), high=_LEVELS - 1)
            if ilvl is None:
                continue
            redefined = override.find(f"{_W}lvl")
            if redefined is not None and (parsed := _Level.of(redefined)) is not None:
                levels[ilvl] = parsed[1]
            start = _number(_val(override, "startOverride"))
            if start is not None and ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
                restarted.add(ilvl)
        return cls(abstract, levels, frozenset(restarted))


@dataclass
class Numbering:
    """numbering.xml's lists, and the counters Word keeps while laying out the body.

    Lists (``w:num``) of one abstract list share its counters, as Word counts them: a list goes on
    where another of the same definition stopped, unless it starts a level again.
    """

    lists: dict[str, _List] = field(default_factory=dict)
    styles: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    _counters: dict[str, dict[int, int]] = field(default_factory=dict)
    _started: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        """The lists of a python-docx document; none when it has no numbering part."""
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstracts: dict[str, dict[int, _Level]] = {}
        defining: dict[str, str] = {}
        naming: dict[str, str] = {}
        for abstract in root.findall(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId", "")
            parsed = (_Level.of(level) for level in abstract.findall(f"{_W}lvl"))
            abstracts[abstract_id] = dict(level for level in parsed if level is not None)
            if (name := _val(abstract, "styleLink")) is not None:
                defining[name] = abstract_id
            if (name := _val(abstract, "numStyleLink")) is not None:
                naming[abstract_id] = name
        nums = {
            num.get(f"{_W}numId", ""): _val(num, "abstractNumId") or "" for num in root.findall(f"{_W}num")
        }
        numbering.styles, list_styles = _style_numbering(document)
        links: dict[str, str] = {}
        for abstract_id, name in naming.items():
            target = defining.get(name)
            if target is None and name in list_styles:  # the list style's own list, through its num
                target = nums.get(list_styles[name])
            if target and target != abstract_id:
                links[abstract_id] = target
        for num in root.findall(f"{_W}num"):
            numbering.lists[num.get(f"{_W}numId", "")] = _List.of(num, abstracts, links)
        return numbering

    def marker(self, paragraph: Any) -> str:
        """The marker Word shows before ``paragraph`` (a ``w:p``), advancing the list's counters.

        The paragraph's own ``w:numPr`` wins over its style's (numId 0 switches numbering off; an
        ilvl alone sets the level of the style's list); a style numbered without a level takes the
        level linked to it, and a list that only names a list style is that style's list.
        """
        own_id, own_level = _numbering_of(paragraph)
        style = _val(paragraph.find(f"{_W}pPr"), "pStyle") or ""
        style_id, style_level = self.styles.get(style) or (None, None)
        num_id = own_id if own_id is not None else style_id
        if num_id is None or num_id == _OFF or num_id not in self.lists:
            return ""
        numbered = self.lists[num_id]
        levels = numbered.levels
        ilvl = own_level if own_level is not None or own_id is not None else style_level
        if ilvl is None and own_id is None:
            ilvl = next((n for n, level in levels.items() if style and level.style == style), 0)
        ilvl = ilvl or 0
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(numbered.abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restarted in numbered.restarted:
                counters.pop(restarted, None)
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [n for n in counters if n > ilvl and (n not in levels or levels[n].restarts(n, ilvl))]:
            del counters[deeper]
        return self._render(levels, counters, ilvl)

    @staticmethod
    def _render(levels: dict[int, _Level], counters: dict[int, int], ilvl: int) -> str:
        level = levels[ilvl]
        if level.fmt not in _FORMATS:
            return ""
        text = level.text
        for index in range(_LEVELS - 1, -1, -1):
            placeholder = f"%{index + 1}"
            if placeholder in text:
                shown = levels.get(index, level)
                value = counters.get(index, shown.start)
                written = str(value) if level.legal else shown.write(value)
                text = text.replace(placeholder, str(value) if written is None else written)
        return text


_DIGITS_END = re.compile(r"[0-9０-９][.．、]?$")
"""A marker ending in an Arabic number, or in one and its full stop or 顿号 (2. 2、 1.1)."""


def numbered(marker: str, text: str) -> str:
    """A paragraph's text after the marker Word shows before it. Word sets the number apart from
    the text (a tab, by default), so a marker ending in an Arabic number keeps a space before a
    text that starts with a digit: “2.” or “2、” before “2025年以来……” is no number 2.2025."""
    if text[:1].isdecimal() and _DIGITS_END.search(marker):
        return f"{marker} {text}"
    return marker + text


def _numbering_of(element: Any) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a paragraph's or style's own ``w:numPr``, each None where it is not given."""
    numpr = element.find(f"{_W}pPr/{_W}numPr")
    if numpr is None:
        return None, None
    ilvl = _val(numpr, "ilvl")
    return _val(numpr, "numId") or None, int(ilvl) if ilvl and ilvl.isdigit() else None


def _style_numbering(document: Any) -> tuple[dict[str, tuple[str, int | None]], dict[str, str]]:
    """Paragraph styles numbered through their definition (or a style they are based on), and the
    numId of each list style (``w:type="numbering"``)."""
    try:
        styles = {s.get(f"{_W}styleId"): s for s in document.styles.element.findall(f"{_W}style")}
    except (KeyError, NotImplementedError, AttributeError):
        return {}, {}
    found: dict[str, tuple[str, int | None]] = {}
    lists: dict[str, str] = {}
    for style_id, style in styles.items():
        seen = set()
        current = style
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            num_id, ilvl = _numbering_of(current)
            if num_id is not None:
                if style.get(f"{_W}type") == "numbering":
                    lists[style_id] = num_id
                elif num_id != _OFF:
                    found[style_id] = num_id, ilvl
                break
            current = styles.get(_val(current, "basedOn"))
    return found, lists


def paragraph_text(paragraph: Any) -> str:
    """The text of a ``w:p`` with tracked changes accepted, soft breaks as ``LINE_BREAK`` and page or
    column breaks as ``\\n``; hidden text (a template's instructions formatted as 隐藏) is not
    shown, so not read."""
    parts: list[str] = []
    for node in paragraph.iter(_TEXT, _TAB, _BREAK, _RETURN):
        if _outside(node, paragraph) or _hidden(node.getparent()):
            continue
        if node.tag == _TEXT:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        elif node.get(f"{_W}type") in ("page", "column"):
            parts.append("\n")
        else:
            parts.append(LINE_BREAK)
    return "".join(parts)


def _hidden(run: Any) -> bool:
    """Whether a run (or a paragraph's mark, through its ``w:pPr``) is formatted hidden (w:vanish)."""
    props = run.find(f"{_W}rPr") if run is not None else None
    vanish = props.find(f"{_W}vanish") if props is not None else None
    return vanish is not None and vanish.get(f"{_W}val", "true") not in ("0", "false", "off")


def joined(paragraph: Any) -> bool:
    """Whether a paragraph's mark is a tracked deletion: accepted, what is left of the paragraph
    runs on into the next one, which keeps its own mark (and so its number)."""
    mark = paragraph.find(f"{_W}pPr/{_W}rPr")
    return mark is not None and (mark.find(f"{_W}del") is not None or mark.find(f"{_W}moveFrom") is not None)


def removed(paragraph: Any, text: str) -> bool:
    """A paragraph Word no longer shows: nothing left of it once changes are accepted (its mark a
    tracked deletion) or nothing visible at all (its mark hidden). It has no line and no number."""
    mark = paragraph.find(f"{_W}pPr")
    if text.strip() or mark is None:
        return False
    return joined(paragraph) or _hidden(mark)


def text_boxes(paragraph: Any) -> list[Any]:
    """The contents (``w:txbxContent``) of the text boxes anchored in a paragraph, each once: Word
    writes a box twice, as DrawingML and as a VML fallback, and only the first is read."""
    found = []
    for box in paragraph.iter(_TEXT_BOX):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag in (_FALLBACK, _TEXT_BOX):
                break
            ancestor = ancestor.getparent()
        else:
            found.append(box)
    return found


def _outside(node: Any, paragraph: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in _OUTSIDE:
            return True
        parent = parent.getparent()
    return False


def has_revisions(body: Any) -> bool:
    """Whether a document body holds tracked changes not yet accepted or rejected."""
    return any(True for _ in body.iter(*_REVISIONS))

"""Turning whatever a user uploads into the plain text the parser reads.

Uploads are .txt (UTF-8 or the GB18030 family older Windows editors write), Markdown (the bot's own
export among them) and .docx. Every route ends in ``normalise``, and the parser indexes the normalised
text, so a span always points at what the parser saw. Failures raise ``ParseError`` with a message a
user can act on, in Chinese.
"""

from __future__ import annotations

import bisect
import codecs
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from bot.numbering import MAX_NUMBER, chinese_numeral, match_marker
from bot.parsing.word import (
    LINE_BREAK,
    Numbering,
    has_revisions,
    joined,
    numbered,
    paragraph_text,
    removed,
    text_boxes,
)

_OWN_TITLE_STYLE = "DZTitle"  # the style id python-docx gives bot.render.official_docx.TITLE


class ParseError(Exception):
    """An upload that cannot be read as a material; the message is shown to the user as is."""


# Characters that are invisible but break marker matching at a line start ("\u200b一、").
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
# Line terminators; \v and \f are what Word's manual line and page breaks become when copied.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# Control characters no text file contains; their presence means a renamed binary file.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
_NOT_TEXT = "这不是文本文件（含有二进制内容），请上传 .docx、.txt 或 .md 文件"


def normalise(raw: str) -> str:
    """One ``\\n`` per line break, no BOM or zero-width characters, no spaces at either end of a line.

    Lines stay one-to-one with the source, so a line number in the result is one in the upload.
    """
    lines = _LINE_BREAK.split(raw.translate(_INVISIBLE))
    return "\n".join(line.strip() for line in lines)


@dataclass(frozen=True)
class SourceMap:
    """Offsets of the normalised text mapped back to the text as given (before ``normalise``).

    ``origin[i]`` is where character ``i`` of the normalised text stands in the original, and
    ``line_starts`` are the original's line starts, so a finding can be reported by line and column
    of the file itself even when its lines are indented or hold invisible characters.
    """

    origin: tuple[int, ...]
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> SourceMap:
        origin: list[int] = []
        starts = [0]
        position = 0
        for found in [*_LINE_BREAK.finditer(raw), None]:
            end = found.start() if found is not None else len(raw)
            kept = [i for i in range(position, end) if ord(raw[i]) not in _INVISIBLE]
            words = "".join(raw[i] for i in kept)
            lead = len(words) - len(words.lstrip())
            origin += kept[lead : lead + len(words.strip())]
            if found is None:
                break
            origin.append(found.start())  # the line break itself
            position = found.end()
            starts.append(position)
        origin.append(len(raw))
        return cls(tuple(origin), tuple(starts))

    def place(self, offset: int) -> tuple[int, int, int]:
        """Offset, 1-based line and 1-based column in the text as given."""
        raw = self.origin[min(offset, len(self.origin) - 1)]
        line = bisect.bisect_right(self.line_starts, raw)
        return raw, line, raw - self.line_starts[line - 1] + 1

    def span(self, span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        return self.origin[start], (self.origin[end - 1] + 1 if end > start else self.origin[start])


def decode_text(data: bytes) -> str:
    """The text of an uploaded text file: UTF-8 (BOM or not), else GB18030, UTF-16 only with its BOM."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in data:
        raise ParseError(_NOT_TEXT)
    text = _decode(data, ("utf-16",) if utf16 else _TEXT_ENCODINGS)
    if _BINARY.search(text):
        raise ParseError(_NOT_TEXT)
    return text


def _decode(data: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("无法识别文件的文字编码，请另存为 UTF-8 编码的文本后再上传")


MAX_DOCX_ENTRIES = 1000
MAX_DOCX_UNPACKED = 32 * 1024 * 1024
MAX_DOCX_ENTRY = 16 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_PARAGRAPHS = 5000
MAX_DOCX_ELEMENTS = 400_000
_RATIO_FLOOR = 2 * 1024 * 1024
"""Entries smaller than this unpacked are not held to the ratio: repetitive XML compresses well."""
_CHUNK = 64 * 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STRUCTURE = (
    "这个 Word 文件的内部结构异常（{what}），为安全起见不予处理；请在 Word 中另存为新的 .docx 后再上传"
)
TOO_MANY_PARAGRAPHS = (
    f"材料超过{MAX_PARAGRAPHS}段，远长于一份对照检查材料，未予处理。"
    "请只上传需要审核的那份材料，或删减后再上传"
)


def check_docx_archive(data: bytes) -> None:
    """Refuse what would be dangerous or pointless to unpack, before python-docx touches it.

    A .docx is a zip: a hostile one can claim gigabytes (a zip bomb), hide one huge entry among
    small ones, or hold millions of tiny XML elements that cost far more to parse than to unpack.
    Every entry is therefore unpacked as a stream and stopped as soon as it passes a limit on its
    own size, its own compression ratio, the total, or the number of XML elements and paragraphs.
    A password-protected Word file is not a zip at all but an OLE container.
    """
    if data.startswith(_OLE_SIGNATURE):
        raise ParseError("这个文件设置了打开密码，或是旧版 .doc 格式：请取消密码并另存为 .docx 后再上传")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_DOCX_ENTRIES:
                raise ParseError(_STRUCTURE.format(what=f"超过{MAX_DOCX_ENTRIES}个部件"))
            budget = _Budget()
            for entry in entries:
                budget.stream(archive, entry)
    except (zipfile.BadZipFile, zlib.error, ValueError, RuntimeError, NotImplementedError, EOFError, OSError):
        raise ParseError("无法打开这个 Word 文件：文件已损坏，或不是 .docx 格式") from None


class _Budget:
    """Counts across the whole archive while its entries are unpacked one chunk at a time."""

    def __init__(self) -> None:
        self.unpacked = 0
        self.elements = 0
        self.paragraphs = 0

    def stream(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
        if entry.is_dir():
            return
        xml = entry.filename.endswith((".xml", ".rels"))
        body = entry.filename == "word/document.xml"
        size = 0
        tail = b""
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                self._check_size(size, entry.compress_size)
                if xml:
                    self._count(tail + chunk, len(tail), body)
                    tail = chunk[-4:]

    def _check_size(self, size: int, packed: int) -> None:
        if size > MAX_DOCX_ENTRY:
            raise ParseError(_STRUCTURE.format(what=f"其中一个部件解压后超过{MAX_DOCX_ENTRY // 2**20} MB"))
        if size > _RATIO_FLOOR and size > MAX_DOCX_RATIO * max(packed, 1):
            raise ParseError(_STRUCTURE.format(what=f"其中一个部件解压后过大，压缩比超过{MAX_DOCX_RATIO}倍"))
        if self.unpacked > MAX_DOCX_UNPACKED:
            raise ParseError(_STRUCTURE.format(what=f"解压后过大，超过{MAX_DOCX_UNPACKED // 2**20} MB"))

    def _count(self, window: bytes, overlap: int, body: bool) -> None:
        """Count opening tags and ``<w:p>`` paragraphs in ``window``, whose first ``overlap`` bytes
        were already counted as the previous chunk's tail (so a tag split across chunks counts once)."""
        seen = window[:overlap]
        self.elements += _opening_tags(window) - _opening_tags(seen)
        if self.elements > MAX_DOCX_ELEMENTS:
            raise ParseError(_STRUCTURE.format(what=f"XML 元素超过{MAX_DOCX_ELEMENTS}个"))
        if body:
            self.paragraphs += _paragraphs(window) - _paragraphs(seen)
            if self.paragraphs > MAX_PARAGRAPHS:
                raise ParseError(TOO_MANY_PARAGRAPHS)


_OPENING_TAG = re.compile(rb"<[^/?!]")
_PARAGRAPH = re.compile(rb"<w:p[\s/>]")


def _opening_tags(data: bytes) -> int:
    return len(_OPENING_TAG.findall(data))


def _paragraphs(data: bytes) -> int:
    return len(_PARAGRAPH.findall(data))


def check_paragraphs(text: str) -> None:
    """The same paragraph limit for text files, whose lines are the paragraphs."""
    if text.count("\n") >= MAX_PARAGRAPHS:
        raise ParseError(TOO_MANY_PARAGRAPHS)


@dataclass(frozen=True)
class DocxText:
    """A .docx body as the reader sees it, whether it held tracked changes (read as accepted), and
    which of its lines end in a line break typed inside their paragraph (numbers from 0)."""

    text: str
    revisions: bool
    soft_breaks: frozenset[int] = frozenset()


def docx_text(data: bytes) -> DocxText:
    """Body paragraphs and tables in document order, one per line (bot.parsing.word, _table_texts).

    Automatic numbering is rendered as the markers Word shows, tracked changes are read as accepted
    and soft line breaks become line breaks; headers, footers and comments are not body text.
    """
    import docx  # only .docx files need python-docx: a .txt check starts without it

    check_docx_archive(data)
    try:
        document = docx.Document(BytesIO(data))
        numbering = Numbering.of(document)
        text = "\n".join(_block_texts(document.element.body, numbering))
    except Exception as error:  # an untrusted upload can fail in any of python-docx's layers
        raise ParseError("无法打开这个 Word 文件：文件已损坏，或不是 .docx 格式") from error
    lines = re.split(f"(\n|{LINE_BREAK})", text)
    soft = frozenset(index for index, end in enumerate(lines[1::2]) if end == LINE_BREAK)
    return DocxText(text.replace(LINE_BREAK, "\n"), has_revisions(document.element.body), soft)


def _block_texts(container: Any, numbering: Numbering) -> Iterator[str]:
    """The lines of a body, table cell, content control or text box (lxml elements), in order:
    paragraphs (after the text boxes anchored in them), tables, and what content controls
    (``w:sdt``, as unit templates wrap their fields) and custom XML hold."""
    carried = ""  # a paragraph whose mark was deleted, to run on into the next one
    for block in container:
        if block.tag != _P and carried:
            yield carried
            carried = ""
        if block.tag == _P:
            for box in text_boxes(block):
                yield from _block_texts(box, numbering)
            text = paragraph_text(block)
            if removed(block, text):
                continue
            if joined(block):
                carried += text
                continue
            # Our own exports break a long title into lines (bot/render/title.py): still one title.
            if LINE_BREAK in text and block.style == _OWN_TITLE_STYLE:
                text = text.replace(LINE_BREAK, "")
            yield numbered(numbering.marker(block), carried + text)
            carried = ""
        elif block.tag == _TABLE:
            yield from _table_texts(block, numbering)
        elif block.tag in _WRAPPERS:
            yield from _block_texts(_unwrapped(block), numbering)
    if carried:
        yield carried


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TABLE, _SDT, _SDT_CONTENT = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}sdtContent"
_ROW, _CELL = f"{_W}tr", f"{_W}tc"
_MAX_COLUMNS = 63
_WRAPPERS = frozenset({_SDT, f"{_W}customXml"})


_COLUMN_WORDS = re.compile(r"序号|编号|问题|措施|责任|时限|时间|完成|目标|内容|方面|类型|部门|领导|进展|情况")
_SERIAL = re.compile(r"序号|编号")
_MAX_HEADER_CHARS = 10


def _table_texts(table: Any, numbering: Numbering) -> Iterator[str]:
    """A table's (``w:tbl``) text: a list under a header row (序号 | 整改措施 | 责任领导 | 完成时限, as
    units tabulate their measures) one row a line; any other table one cell a line.

    A row reads as its number as a run-in marker (``一是``, at home at any level), its first column,
    then each other column after its header (``责任领导：王强``): each measure is one item with its
    own deadline and owner. The header row itself is only those labels.
    """
    rows = [_row_cells(row, numbering) for row in _within(table, _ROW)]
    header = ["".join(cell).strip() for cell in rows[0]] if rows else []
    if not _is_header(header):
        yield from (text for cells in rows for cell in cells for text in cell)
        return
    for cells in rows[1:]:
        line = _row_line(header, ["".join(cell).strip() for cell in cells])
        if line:
            yield line


def _row_cells(row: Any, numbering: Numbering) -> list[list[str]]:
    """A row's lines per column of the table's grid, so that each stands under its header: a cell
    spanning columns (``w:gridSpan``) is read once and leaves the others empty, as do columns the
    row skips (``w:gridBefore``) and a cell that continues the one above (``w:vMerge``): its words,
    had it any, are read where it stands."""
    cells: list[list[str]] = [[] for _ in range(_span(row.find(f"{_W}trPr/{_W}gridBefore"), 0))]
    for cell in _within(row, _CELL):
        lines = list(_block_texts(cell, numbering))
        merged = cell.find(f"{_W}tcPr/{_W}vMerge")
        if merged is not None and merged.get(f"{_W}val") != "restart":
            lines = [line for line in lines if line.strip()]  # empty as merged, unless it holds words
        cells.append(lines)
        cells += [[] for _ in range(_span(cell.find(f"{_W}tcPr/{_W}gridSpan"), 1) - 1)]
    return cells


def _span(element: Any, default: int) -> int:
    """A count of grid columns (``w:val``), within the 63 columns Word allows."""
    value = element.get(f"{_W}val", "") if element is not None else ""
    return min(int(value), _MAX_COLUMNS) if value.isascii() and value.isdigit() else default


def _within(container: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of a table or row, also those a content control or custom XML wraps
    (Word's repeating sections wrap rows, a template's fields wrap cells)."""
    for child in container:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _within(_unwrapped(child), tag)


def _unwrapped(wrapper: Any) -> Any:
    """What a content control (its ``w:sdtContent``) or custom XML element holds."""
    content = wrapper.find(_SDT_CONTENT) if wrapper.tag == _SDT else wrapper
    return content if content is not None else ()


def _is_header(cells: list[str]) -> bool:
    named = [c for c in cells if _COLUMN_WORDS.search(c)]
    return len(named) >= 2 and all(
        c and len(c) <= _MAX_HEADER_CHARS and not any(ch.isdigit() for ch in c) for c in cells
    )


def _row_line(header: list[str], cells: list[str]) -> str:
    marker = ""
    parts: list[str] = []
    for name, text in zip(header, cells, strict=False):
        if not text:
            continue
        if _SERIAL.search(name) and not marker and (serial := _serial(text)) is not None:
            marker = f"{chinese_numeral(serial)}是"
        elif not parts:
            parts.append(text if text.endswith(("。", "；")) else text + "。")
        else:
            parts.append(f"{name}：{text}；")
    line = "".join(parts).removesuffix("；")
    return marker + (line if line.endswith("。") else line + "。") if line else marker


def _serial(cell: str) -> int | None:
    """The number of a 序号 cell holding nothing else: typed (``3``) or a marker, as Word's automatic
    numbering of a table column writes it (``3.``, ``（3）``, ``三、``)."""
    if cell.isdecimal():
        number = int(cell) if len(cell) <= 3 else 0
    else:
        marker = match_marker(cell)
        number = marker.number if marker is not None and marker.end == len(cell) else 0
    return number if 1 <= number <= MAX_NUMBER else None


# Markdown: the bot's own export escapes ASCII punctuation and numbers headings with #.
_MD_RULE = re.compile(r"^ {0,3}(?:([-*_=])[ \t]*)(?:\1[ \t]*){2,}$")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_MD_HEADING_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_MD_BULLET = re.compile(r"^[ \t]*[-+*][ \t]+")
_MD_INLINE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<mark>\*\*|__)(?=\S)(?P<strong>.+?)(?<=\S)(?P=mark)"
    r"|\*(?=[^\s*])(?P<em>[^*]+?)(?<=\S)\*"
)
_MD_HARD_BREAK = re.compile(r"\\$")


def markdown_text(markdown: str) -> str:
    """Markdown reduced to its words: no heading marks, quotes, bullets, emphasis, rules or escapes.

    Ordered-list numbers stay, since ``1.`` is a numbering device of the material itself.
    """
    return "\n".join(_markdown_line(line) for line in _LINE_BREAK.split(markdown))


def _markdown_line(line: str) -> str:
    if _MD_RULE.match(line):
        return ""
    line = _MD_QUOTE.sub("", line)
    heading = _MD_HEADING.match(line)
    if heading:
        line = _MD_HEADING_CLOSE.sub("", line[heading.end() :])
    line = _MD_HARD_BREAK.sub("", _MD_BULLET.sub("", line))
    return _MD_INLINE.sub(_inline, line)


def _inline(match: re.Match[str]) -> str:
    if match["escaped"] is not None:
        return match["escaped"]
    return _MD_INLINE.sub(_inline, match["strong"] or match["em"])

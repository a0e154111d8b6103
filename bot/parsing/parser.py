"""Reading an uploaded material into the shared Document model, with spans into its normalised text.

The parser never renumbers, merges or drops: duplicated and skipped numbers parse as written (the
markers are kept for the reviewer), and text it cannot place in the structure is returned in
``unplaced`` with a reason. Everything non-blank ends up in exactly one of: title, byline, a heading
(with its marker), a paragraph, an item, or ``unplaced``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.document import Document, Item, Section, SectionRole, Span
from bot.numbering import HIERARCHY, MarkerMatch, MarkerStyle
from bot.parsing.body import extent, fill_section
from bot.parsing.classify import (
    MAX_TITLE,
    SENTENCE_END,
    bare_heading_role,
    classify_heading,
    cue_role,
    has_title_words,
    is_artifact,
    is_date_line,
    looks_like_byline,
    looks_like_signature,
    looks_like_title,
)
from bot.parsing.lines import Line, make_line, run_in_markers, scan_lines, split_heading, trim
from bot.parsing.sources import ParseError, check_paragraphs, decode_text, docx_text, markdown_text, normalise

BEFORE_TITLE = "标题前的文字无法归入任何部分"
ARTIFACT = "不含汉字的行（疑似分隔线、页码或网页残留），无法归入任何部分"
SIGNATURE = "文末的署名或日期，不属于正文的任何部分"

_TITLE_WINDOW = 3  # lines a title may be preceded by (e.g. "附件2")
_TITLE_HEAD = re.compile(r"年度|生活会|班子|同志|党组|党委|支部")
"""Words of a title's first half (who, which year's meeting): a unit's name alone is no title."""
_MAX_SIGNATURE_LINES = 3
_LEAD_END = "。！？；;：:，, "
_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".docx": "docx"}


@dataclass(frozen=True)
class Unplaced:
    """Text the parser could not place in the structure; reported, never silently dropped."""

    span: Span
    text: str
    reason: str


@dataclass
class ParseResult:
    text: str
    """The normalised source text that every span points into."""
    document: Document
    unplaced: list[Unplaced]
    markers: list[MarkerMatch]
    """Every numbering marker recognised, in order: those of sections, aspects and items, those
    opening lines nested inside items, and inline 一是 lists (starting at 一, two or more) inside text."""
    byline_span: Span | None = None
    revisions: bool = False
    """The .docx held tracked changes, which were read as accepted."""
    soft_breaks: frozenset[int] = frozenset()
    """The lines (numbered from 0) of a .docx that end in a line break typed inside their paragraph
    (Shift+Enter), not at its end: bot.parsing.capture words a sentence broken there for Word."""
    from_text: bool = False
    """Parsed from text as given (an upload or a file), which may carry copy damage; False for a
    result laid out from the draft model."""

    @property
    def closing(self) -> tuple[str | None, str | None]:
        """The 署名 and the date the text closes with, as written: kept out of the structure, and
        still part of the material a reformatted or approved file prints."""
        lines = [u.text.strip() for u in self.unplaced if u.reason == SIGNATURE]
        if not lines:
            return None, None
        *names, dated = lines
        return "　".join(names) or None, dated

    def locate(self, offset: int) -> tuple[Section | None, Section | None, Item | None]:
        """The level-1 section, aspect and item containing ``offset``; None where there is none."""
        section = _containing(self.document.sections, offset)
        if section is None:
            return None, None, None
        aspect = _containing(section.subsections, offset)
        items = (aspect or section).items
        item = next((i for i in items if i.span and i.span[0] <= offset < i.span[1]), None)
        return section, aspect, item


def _containing(sections: list[Section], offset: int) -> Section | None:
    return next((s for s in sections if s.span and s.span[0] <= offset < s.span[1]), None)


def parse_text(raw: str) -> ParseResult:
    """Parse a material given as plain text; it is normalised first and spans index the result."""
    text = normalise(raw)
    lines = [_mark_artifact(text, line) for line in scan_lines(text)]
    title, byline = _front_matter(text, lines)
    front = set(title) | ({byline} - {None})
    body = [line for i, line in enumerate(lines) if i not in front]
    if title:
        body = [_unplace(ln, BEFORE_TITLE) if _before(ln, lines[title[0]]) else ln for ln in body]
    body = _mark_signature(text, body)
    document = Document(
        title="".join(lines[i].text(text) for i in title) if title else None,
        byline=_line_text(text, lines, byline),
        sections=_sections(text, body),
        title_span=(lines[title[0]].start, lines[title[-1]].end) if title else None,
    )
    return ParseResult(
        text=text,
        document=document,
        unplaced=[Unplaced((ln.start, ln.end), ln.text(text), ln.unplaced) for ln in body if ln.unplaced],
        markers=_markers(text, body, document),
        byline_span=_line_span(lines, byline),
        from_text=True,
    )


def parse_markdown(markdown: str) -> ParseResult:
    """Parse Markdown; spans point into the text left after removing its markup."""
    return parse_text(markdown_text(markdown))


def parse_docx(data: bytes) -> ParseResult:
    """Parse a .docx: body paragraphs and tables in order, one per line (``docx_text``)."""
    content = docx_text(data)
    return dataclasses.replace(
        parse_text(content.text), revisions=content.revisions, soft_breaks=content.soft_breaks
    )


def parse_file(path: Path) -> ParseResult:
    """Parse a .docx, .txt or .md file by its suffix; ParseError says in Chinese what is wrong."""
    if path.suffix.lower() not in _SUFFIXES:
        raise ParseError(_unsupported(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"找不到文件：{path.name}") from None
    except OSError as error:
        raise ParseError(f"无法读取文件 {path.name}：{error.strerror or error}") from None
    return parse_bytes(path.name, data)


def parse_bytes(filename: str, data: bytes) -> ParseResult:
    """Parse a file's content by its name's suffix (an upload, or a file read from disk)."""
    path = Path(filename)
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ParseError(_unsupported(path))
    if kind == "docx":
        result = parse_docx(data)
    else:
        text = decode_text(data)
        check_paragraphs(text)
        result = parse_markdown(text) if kind == "markdown" else parse_text(text)
    if not result.text.strip():
        raise ParseError(f"文件 {path.name} 是空的，没有可读的文字")
    return result


def _unsupported(path: Path) -> str:
    if path.suffix.lower() in (".doc", ".wps"):
        return f"不支持 {path.suffix} 格式，请在 Word 或 WPS 中另存为 .docx 后再上传"
    shown = path.suffix or "（无扩展名）"
    return f"不支持的文件类型 {shown}：请上传 .docx、.txt 或 .md 文件"


def _before(line: Line, title: Line) -> bool:
    return line.start < title.start and line.unplaced is None


def _unplace(line: Line, reason: str) -> Line:
    return dataclasses.replace(line, unplaced=reason)


def _mark_artifact(text: str, line: Line) -> Line:
    return _unplace(line, ARTIFACT) if line.marker is None and is_artifact(line.text(text)) else line


def _line_text(text: str, lines: list[Line], index: int | None) -> str | None:
    return None if index is None else lines[index].text(text)


def _line_span(lines: list[Line], index: int | None) -> Span | None:
    return None if index is None else (lines[index].start, lines[index].end)


def _front_matter(text: str, lines: list[Line]) -> tuple[list[int], int | None]:
    """Indexes of the title's lines and of the byline, if the material has them.

    The title is a line with title words (对照检查材料, 发言提纲, …) among the first few, or else a
    short first line without punctuation; the byline is a short line right below it. A title set on
    two lines (“东湖区卫生健康局领导班子2026年度民主生活会⏎对照检查材料”, as official titles are and
    a PDF copies them) is one title: the line above it belongs to it when it names whose material
    or which meeting (``_TITLE_HEAD``) and has no title words of its own.
    """
    window = [i for i in _opening_lines(text, lines) if lines[i].unplaced is None]
    title = next((i for i in window if _is_title(text, lines[i], strict=True)), None)
    if title is None and window[:1] == [0] and _is_title(text, lines[0], strict=False):
        title = 0
    if title is None:
        return [], None
    head = lines[title - 1].text(text) if title - 1 in window else ""
    first = title - 1 if _TITLE_HEAD.search(head) and not has_title_words(head) else title
    if len("".join(lines[i].text(text) for i in range(first, title + 1))) > MAX_TITLE:
        first = title
    last = (
        title + 1
        if title + 1 in window and _cut_in_its_words(text, lines[title], lines[title + 1])
        else title
    )
    if last + 1 >= len(lines):
        return list(range(first, last + 1)), None
    below = lines[last + 1]
    is_byline = _is_free_line(text, below) and looks_like_byline(below.text(text))
    return list(range(first, last + 1)), last + 1 if is_byline and below.unplaced is None else None


def _cut_in_its_words(text: str, line: Line, below: Line) -> bool:
    """A title a copy broke inside its title words (“…民主生活会对照检⏎查材料(含案例)”): they are
    there only when the two lines are read as one."""
    one, two = line.text(text), below.text(text)
    return (
        not has_title_words(one)
        and not has_title_words(two)
        and _is_title(text, line, strict=False)
        and (has_title_words(one + two) and looks_like_title(one + two))
    )


def _opening_lines(text: str, lines: list[Line]) -> Iterator[int]:
    """Leading lines that could be a title: up to the first numbered, heading or long line."""
    for i, line in enumerate(lines[:_TITLE_WINDOW]):
        if not _is_free_line(text, line) or not looks_like_title(line.text(text)):
            return
        yield i


def _is_free_line(text: str, line: Line) -> bool:
    """Neither numbered nor a bare section heading."""
    return line.marker is None and bare_heading_role(line.text(text)) is None


def _is_title(text: str, line: Line, strict: bool) -> bool:
    words = line.text(text)
    return looks_like_title(words) and (has_title_words(words) or not strict)


def _mark_signature(text: str, lines: list[Line]) -> list[Line]:
    """Mark a closing date, and the name lines right above it, as outside the structure."""
    if not lines or not is_date_line(lines[-1].text(text)):
        return lines
    count = 1
    while count < min(_MAX_SIGNATURE_LINES, len(lines)):
        line = lines[-count - 1]
        if line.unplaced or not _is_free_line(text, line) or not looks_like_signature(line.text(text)):
            break
        count += 1
    return lines[:-count] + [_unplace(line, SIGNATURE) for line in lines[-count:]]


def _sections(text: str, lines: list[Line]) -> list[Section]:
    """The preamble (when there is text before the first heading) and the level-1 sections.

    A material with no heading at all (a 发言提纲 written as paragraphs) is divided where a lead
    sentence announces a part instead: "对照检查，我主要存在以下问题：", "究其原因：一是……", on a line
    of its own or closing a paragraph. The lead is then that part's heading, as a bare heading would
    be, so nothing is read as one long 导语.
    """
    top = _top_style(text, lines)
    groups = _groups(lines, lambda line, role: _opens_section(text, line, top, role))
    if len(groups) == 1:
        cut = [part for line in lines for part in _split_cue(text, line)]
        groups = _groups(cut, lambda line, role: _cue(text, line, role))
    preamble = _section(text, None, SectionRole.PREAMBLE, groups[0][2])
    sections = [_section(text, opener, role, body) for opener, role, body in groups[1:]]
    return [preamble, *sections] if extent(preamble) else sections


_Group = tuple[Line | None, SectionRole, list[Line]]


def _groups(lines: list[Line], opens: Callable[[Line, SectionRole], SectionRole | None]) -> list[_Group]:
    """The lines before the first opener, then each opener with the lines up to the next."""
    groups: list[_Group] = [(None, SectionRole.PREAMBLE, [])]
    for line in lines:
        role = opens(line, groups[-1][1])
        if role is not None:
            groups.append((line, role, []))
        else:
            groups[-1][2].append(line)
    return groups


def _top_style(text: str, lines: Sequence[Line]) -> MarkerStyle | None:
    """The device of level-1 headings: 一、 when present, else a deeper device that clearly names
    sections (at least two different roles, e.g. （一）存在的问题 and （二）问题产生的原因)."""
    styles = {line.marker.style for line in lines if line.marker and line.unplaced is None}
    if MarkerStyle.LEVEL1 in styles:
        return MarkerStyle.LEVEL1
    for style in HIERARCHY[1:]:
        roles = {
            classify_heading(text[slice(*split_heading(text, line)[0])])
            for line in lines
            if line.marker and line.marker.style is style and line.unplaced is None
        }
        if len(roles - {SectionRole.OTHER}) >= 2:
            return style
    return None


def _opens_section(
    text: str, line: Line, top: MarkerStyle | None, current: SectionRole
) -> SectionRole | None:
    """The role of the section ``line`` opens, or None when it opens none.

    A bare heading ("存在的主要问题" alone on a line) opens a section only when its role differs from
    the section it would otherwise belong to, so a repeated keyword line inside a section stays text.
    """
    if line.unplaced is not None:
        return None
    if line.marker is not None:
        if line.marker.style is not top:
            return None
        return classify_heading(text[slice(*split_heading(text, line)[0])])
    role = bare_heading_role(line.text(text))
    return role if role is not None and role is not current else None


def _cue(text: str, line: Line, current: SectionRole) -> SectionRole | None:
    """The role of the part an unnumbered lead sentence opens: one ending its line with a colon,
    or one followed by a ``一是`` list on the same line ("产生上述问题的原因：一是……")."""
    if line.unplaced is not None or line.marker is not None:
        return None
    first = next((m for m in run_in_markers(text, line.start, line.end) if m.number == 1), None)
    if first is not None:
        role = cue_role(text[line.start : first.start])
    elif line.text(text).endswith(("：", ":")):
        role = cue_role(line.text(text))
    else:
        return None
    return role if role is not None and role is not current else None


def _split_cue(text: str, line: Line) -> list[Line]:
    """A paragraph whose last sentence is a lead ("……谈心谈话5人次。对照检查，我主要存在以下问题：")
    as two lines, that sentence apart, so the lead opens its part as one on its own line would.

    The lead is what ends the line with a colon, or what comes before its ``一是``; a paragraph of
    one sentence is left to ``_cue`` as it is.
    """
    if line.unplaced is not None or line.marker is not None:
        return [line]
    first = next((m for m in run_in_markers(text, line.start, line.end) if m.number == 1), None)
    if first is not None:
        lead_end = first.start
    elif line.text(text).endswith(("：", ":")):
        lead_end = line.end
    else:
        return [line]
    lead = text[line.start : lead_end].rstrip(_LEAD_END)
    ends = [m.end() for m in SENTENCE_END.finditer(lead)]
    if not ends or cue_role(lead[ends[-1] :]) is None:
        return [line]
    cut = line.start + ends[-1]
    return [make_line(text, *trim(text, line.start, cut)), make_line(text, *trim(text, cut, line.end))]


def _section(text: str, opener: Line | None, role: SectionRole, lines: list[Line]) -> Section:
    if opener is None:
        section = Section(role, None)
    else:
        heading, rest = split_heading(text, opener)
        section = Section(role, text[slice(*heading)], heading_span=heading, marker=opener.marker)
        lines = [rest, *lines] if rest else lines
    fill_section(text, section, lines)
    section.span = extent(section)
    return section


def _markers(text: str, lines: list[Line], document: Document) -> list[MarkerMatch]:
    """Structural markers, markers opening any placed line, and inline 一是 lists in placed lines."""
    found: dict[int, MarkerMatch] = {}
    for marker in _structure_markers(document.sections):
        found[marker.start] = marker
    for line in lines:
        if line.unplaced is None:
            if line.marker is not None:
                found.setdefault(line.start, line.marker)
            for marker in _inline_lists(text, line):
                found.setdefault(marker.start, marker)
    return sorted(found.values(), key=lambda m: m.start)


def _structure_markers(sections: list[Section]) -> Iterator[MarkerMatch]:
    for section in sections:
        if section.marker is not None:
            yield section.marker
        yield from (item.marker for item in section.items if item.marker is not None)
        yield from _structure_markers(section.subsections)


def _inline_lists(text: str, line: Line) -> list[MarkerMatch]:
    """Run-in markers of ``line`` belonging to a list that starts at 一 and has two or more points."""
    by_style: dict[MarkerStyle, list[MarkerMatch]] = {}
    for marker in run_in_markers(text, line.start, line.end):
        by_style.setdefault(marker.style, []).append(marker)
    return [m for run in by_style.values() if len(run) > 1 and run[0].number == 1 for m in run]

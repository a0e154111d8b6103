"""Damaged and .docx copies of a corpus material, made the way people really produce them.

Damage (one kind per copy, as text.capture reports one finding per kind): PDF line wrapping, page
counters and running heads, web-page boilerplate, spaces inside words, headings in Traditional script
and a title printed twice. .docx forms: Word's automatic numbering (chineseCounting and decimal
levels), tracked changes, soft line breaks, runs split anywhere, and headers, footers and comments.
Everything is deterministic, so a failing copy can be rebuilt and looked at.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from bot.numbering import RUN_IN_STYLES, MarkerStyle, format_marker, match_marker

WRAP = 30
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _wrap(text: str) -> str:
    """PDF copy: every body line longer than the page width broken at the width."""
    out = []
    for number, line in enumerate(_lines(text)):
        while number and len(line) > WRAP:
            out.append(line[:WRAP])
            line = line[WRAP:]
        out.append(line)
    return "\n".join(out)


def _pages(text: str) -> str:
    """PDF copy: a page counter and the running head at every page break (every 12 lines, or in the
    middle of a shorter text)."""
    lines = _lines(text)
    counters = ("— {n} —", "- {n} -", "{n}", "第{n}页")
    page_lines = min(12, len(lines) // 2)
    out = []
    page = 1
    for number, line in enumerate(lines):
        if number and number % page_lines == 0:
            page += 1
            out += [counters[page % len(counters)].format(n=page), lines[0]]
        out.append(line)
    return "\n".join(out)


def _web(text: str) -> str:
    """Web copy: a site's header, byline bar and share bar around the article."""
    head = [
        "【写作参考】本文约3000字，可复制下载全文",
        "来源：党建文库网　发布时间：2025-12-03 09:12　字号：大 中 小",
    ]
    tail = ["分享到：微信 微博 QQ空间", "朗读本文", "（复制下载全文）"]
    return "\n".join([*head, text, *tail])


def _spaces(text: str) -> str:
    """Copy from a justified PDF: a space inside a word every 40 Chinese characters of body text."""
    out = []
    for number, line in enumerate(_lines(text)):
        if number == 0 or not re.search("[，。；]", line):
            out.append(line)
            continue
        chars = list(line)
        for index in range(len(chars) - 2, 0, -1):
            if index % 40 == 0 and _CJK.match(chars[index]) and _CJK.match(chars[index + 1]):
                chars.insert(index + 1, " ")
        out.append("".join(chars))
    return "\n".join(out)


def _traditional(text: str) -> str:
    """Level-1 headings (一、存在的主要问题) in Traditional script, as some sites print them."""
    import opencc

    convert = opencc.OpenCC("s2t").convert
    out = []
    for line in _lines(text):
        marker = match_marker(line, 0)
        out.append(convert(line) if marker is not None and marker.style is MarkerStyle.LEVEL1 else line)
    return "\n".join(out)


def _title(text: str) -> str:
    """Web copy: the page's heading and the article's own title, the same words twice."""
    lines = _lines(text)
    return "\n".join([lines[0], *lines])


DAMAGE: dict[str, Callable[[str], str]] = {
    "breaks": _wrap,
    "pages": _pages,
    "web": _web,
    "spaces": _spaces,
    "traditional": _traditional,
    "title": _title,
}


def damage(text: str, kind: str) -> str:
    return DAMAGE[kind](text)


# .docx ------------------------------------------------------------------------------------------

# Word list levels: the marker style each ilvl renders, as lvlText and numFmt.
_LEVELS = (
    (MarkerStyle.LEVEL1, "%1、", "chineseCounting"),
    (MarkerStyle.LEVEL2, "（%2）", "chineseCounting"),
    (MarkerStyle.LEVEL3, "%3.", "decimal"),
    (MarkerStyle.LEVEL4, "（%4）", "decimal"),
)
_NUM_ID = "7"
_ABSTRACT_ID = "70"


def _numbering_definition(document: docx.document.Document) -> None:
    """A multi-level list whose levels restart under the level above, as Word's outline lists do."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), _ABSTRACT_ID)
    for ilvl, (_, text, fmt) in enumerate(_LEVELS):
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:suff", "nothing")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            level.append(child)
        abstract.append(level)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), _NUM_ID)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), _ABSTRACT_ID)
    num.append(ref)
    numbering.append(num)


def _set_numbering(paragraph: Paragraph, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(ilvl)), ("w:numId", _NUM_ID)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        numpr.append(child)
    ppr.append(numpr)


def _numbered(document: docx.document.Document, lines: list[str]) -> None:
    """Line-start markers Word would number itself become automatic numbering; others stay text."""
    _numbering_definition(document)
    styles = [style for style, _, _ in _LEVELS]
    counters = [0] * len(styles)
    for number, line in enumerate(lines):
        marker = match_marker(line, 0) if number else None
        if marker is None or marker.style not in styles or marker.style in RUN_IN_STYLES:
            document.add_paragraph(line)
            continue
        ilvl = styles.index(marker.style)
        literal = line[: marker.end] == format_marker(marker.style, marker.number)
        if marker.number != counters[ilvl] + 1 or marker.end == len(line) or not literal:
            document.add_paragraph(line)
            continue
        counters[ilvl] += 1
        counters[ilvl + 1 :] = [0] * (len(counters) - ilvl - 1)
        _set_numbering(document.add_paragraph(line[marker.end :]), ilvl)


def _revisions(document: docx.document.Document, lines: list[str]) -> None:
    """Every third line's second half is a tracked insertion, and a tracked deletion precedes it."""
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph()
        if number % 3 != 1 or len(line) < 4:
            paragraph.add_run(line)
            continue
        half = len(line) // 2
        paragraph.add_run(line[:half])
        deletion = OxmlElement("w:del")
        deletion.set(qn("w:id"), str(2 * number))
        deletion.set(qn("w:author"), "审稿人")
        gone = OxmlElement("w:r")
        gone_text = OxmlElement("w:delText")
        gone_text.text = "（此处删去的旧表述）"
        gone.append(gone_text)
        deletion.append(gone)
        paragraph._p.append(deletion)
        insertion = OxmlElement("w:ins")
        insertion.set(qn("w:id"), str(2 * number + 1))
        insertion.set(qn("w:author"), "审稿人")
        run = copy.deepcopy(paragraph.runs[0]._r)
        for t in run.findall(qn("w:t")):
            t.text = line[half:]
        insertion.append(run)
        paragraph._p.append(insertion)


def _soft_breaks(document: docx.document.Document, lines: list[str]) -> None:
    """Lines typed with Shift+Enter: pairs of lines share one paragraph, split by a line break."""
    for index in range(0, len(lines), 2):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(lines[index])
        if index + 1 < len(lines):
            run.add_break()
            paragraph.add_run(lines[index + 1])


def _split_runs(document: docx.document.Document, lines: list[str]) -> None:
    """Runs cut every 3 characters (through markers and words), alternating formatting, with noise."""
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph._p.append(OxmlElement("w:proofErr"))
        for start in range(0, len(line), 3):
            paragraph.add_run(line[start : start + 3]).bold = start % 2 == 0
        paragraph.add_run("")


def _furniture(document: docx.document.Document, lines: list[str]) -> None:
    """A running head with the title, a page-number footer and reviewers' comments in the margin."""
    section = document.sections[0]
    section.header.paragraphs[0].text = lines[0]
    footer = section.footer.paragraphs[0]
    footer.add_run("第")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    footer.add_run("页")
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if number % 5 == 2 and paragraph.runs:
            document.add_comment(paragraph.runs, text="这里再具体一些", author="审稿人")


DOCX_FORMS: dict[str, Callable[[docx.document.Document, list[str]], None]] = {
    "numbering": _numbered,
    "revisions": _revisions,
    "softbreaks": _soft_breaks,
    "runs": _split_runs,
    "furniture": _furniture,
}


def docx_variant(text: str, form: str) -> bytes:
    """The material as a .docx in one of DOCX_FORMS."""
    document = docx.Document()
    DOCX_FORMS[form](document, _lines(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

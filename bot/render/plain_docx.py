"""A plain, tidy .docx of a Document; the full GB/T 9704 layout lives in its own module.

Word picks Chinese glyphs from ``w:rFonts/@w:eastAsia`` and ``w:lang/@w:eastAsia``, which python-docx
never sets on its own, so both go on the Normal style that every paragraph here inherits.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.document import Document
from bot.render import LineKind, outline

LATIN_FONT = "Times New Roman"
EAST_ASIAN_FONT = "仿宋"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
_LANG_SUCCESSORS = ("w:eastAsianLayout", "w:specVanish", "w:oMath")  # w:rPr children that follow w:lang


def render_docx(doc: Document) -> bytes:
    """A4, centred title and byline, bold level-1 headings, other paragraphs indented two characters."""
    out = new_docx()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)

    normal = out.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.paragraph_format.first_line_indent = BODY_SIZE * 2
    r_pr = normal.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    lang = OxmlElement("w:lang", attrs={qn("w:eastAsia"): "zh-CN"})
    r_pr.insert_element_before(lang, *_LANG_SUCCESSORS)

    for line in outline(doc):
        paragraph = out.add_paragraph()
        run = paragraph.add_run(line.display)
        if line.kind in (LineKind.TITLE, LineKind.BYLINE):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = 0
        if line.kind is LineKind.TITLE:
            run.font.size = TITLE_SIZE
        if line.kind is LineKind.TITLE or (line.kind is LineKind.HEADING and line.level == 1):
            run.bold = True

    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()

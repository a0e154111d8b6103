"""The official-format .docx of a Document: GB/T 9704 layout by default, any unit's via a profile.

Formatting lives in named styles (``DZ Title``, ``DZ Heading 1``…, ``DZ Body``), so an office can restyle
the whole file from Word's style pane. Runs carry only ``w:rFonts`` and ``w:lang``: python-docx never writes
``w:eastAsia`` itself, and WPS and older Word take the CJK font from the run rather than the style, so
without it the body shows in the theme's Latin-only font.

Items directly under a level-1 section are numbered ``（一）`` like level-2 headings; an office prints them
run-in, the way a ``（一）……。`` heading runs into its paragraph: marker and judgement sentence in the
level-2 heading font, the elaboration continuing in body text. Deeper ``一是……`` items are body paragraphs
whose lead sentence has its own character style (plain under GB/T 9704; a unit profile may bold it). An item
of one sentence has no elaboration to lead into: it is body text after its marker, as a run-in heading's
sentence alone would read as a heading with nothing under it. A list of one point prints it without a number
(``bot.render.outline``), its judgement sentence in the item style, as no heading runs into it.
"""

from __future__ import annotations

import math
import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.document import CT_Body
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Pt, Twips
from docx.styles.style import BaseStyle, ParagraphStyle, StyleFactory

from bot.dates import format_date
from bot.document import Document, Item
from bot.render import LineKind, OutlineLine, outline
from bot.render.profile import PAGE_PLACEHOLDER, FontSpec, Profile, load_profile, mm_to_twips
from bot.render.title import text_width, title_lines

TITLE = "DZ Title"
BYLINE = "DZ Byline"
BODY = "DZ Body"
HEADINGS = ("DZ Heading 1", "DZ Heading 2", "DZ Heading 3", "DZ Heading 4")
SIGNATURE = "DZ Signature"
DATE = "DZ Date"
PAGE_NUMBER = "DZ Page Number"
HEADING2_RUN_IN = "DZ Heading 2 Run-in"
ITEM_LEAD = "DZ Item Lead"

_LANG = "zh-CN"
_CONTROL = re.compile(r"[\n\t\r]")
# Children of w:rPr / w:pPr that must follow the element being inserted (OOXML fixes their order).
_LANG_SUCCESSORS = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
# The tail of w:pPr's child order, from the first child added here without a python-docx property.
_PPR_ORDER = (
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_LINE_STYLES = {LineKind.TITLE: TITLE, LineKind.BYLINE: BYLINE, LineKind.PARAGRAPH: BODY}  # headings by level
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


@dataclass(frozen=True)
class _RunFormat:
    """What every run of one role carries: its character style, if any, and its fonts.

    Runs are copied from a template element: python-docx's child-insertion helpers cost more than
    the whole bare document does.
    """

    template: CT_R

    @classmethod
    def of(cls, rpr: BaseOxmlElement) -> _RunFormat:
        run = OxmlElement("w:r")
        run.append(rpr)
        text = OxmlElement("w:t", attrs={"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        run.append(text)
        return cls(run)

    def run(self, text: str) -> CT_R:
        run: CT_R = deepcopy(self.template)
        if _CONTROL.search(text):
            run.text = text  # python-docx turns "\n" and "\t" into w:br and w:tab
        else:
            run[-1].text = text
        return run

    def apply(self, paragraph: BaseOxmlElement, text: str) -> None:
        if text:
            paragraph.append(self.run(text))


def render_official_docx(
    doc: Document,
    *,
    profile: Profile | None = None,
    date_line: date | str | None = None,
    signature: str | None = None,
) -> bytes:
    """The material as .docx bytes: one paragraph per outline line, then the closing block (署名 and
    date, each if given and the profile shows it; a date as written is printed as it is)."""
    profile = profile or load_profile()
    out = new_docx()
    _set_document_defaults(out, profile)
    _set_page(out, profile)
    styles = _Styles(out, profile)
    _add_page_numbers(out, profile, styles)

    body = out.element.body
    title_block_end: CT_P | None = None
    for line in outline(doc):
        if line.kind is LineKind.BYLINE and not profile.show_byline:
            continue
        paragraph = styles.add(body, line)
        if line.kind in (LineKind.TITLE, LineKind.BYLINE):
            title_block_end = paragraph
    if title_block_end is not None:  # one blank line between title (and byline) and text, as offices print
        title_block_end.get_or_add_pPr().spacing_after = Twips(profile.line_pitch_twips)
    closing = [
        (name, text)
        for name, text, shown in (
            (SIGNATURE, signature, profile.show_signature),
            (DATE, format_date(date_line) if isinstance(date_line, date) else date_line, profile.show_date),
        )
        if text and shown
    ]
    if closing:
        _add_closing(body, styles, profile, closing)

    properties = out.core_properties
    properties.title = doc.title or ""
    properties.author = properties.last_modified_by = properties.comments = ""
    properties.language = _LANG
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


class _Styles:
    """The document's named styles and the run formats that go with them."""

    def __init__(self, out: DocxDocument, profile: Profile) -> None:
        self.profile = profile
        fonts = profile.styles
        indent = profile.first_line_indent_chars
        self.styles: dict[str, BaseStyle] = {}
        self.runs: dict[str, _RunFormat] = {}
        self.paragraphs: dict[str, CT_P] = {}
        body = self._paragraph(out, BODY, None, fonts.body, WD_ALIGN_PARAGRAPH.JUSTIFY, indent)
        body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        body.paragraph_format.line_spacing = Pt(profile.line_spacing_pt)
        body.paragraph_format.space_before = body.paragraph_format.space_after = 0
        body.paragraph_format.widow_control = True
        title = self._paragraph(out, TITLE, body, fonts.title, WD_ALIGN_PARAGRAPH.CENTER, 0)
        _add_ppr_child(title, "w:snapToGrid", "0")  # larger type: the line grid would double its lines
        self._paragraph(out, BYLINE, body, fonts.byline, WD_ALIGN_PARAGRAPH.CENTER, 0)
        for level, name in enumerate(HEADINGS, start=1):
            heading = self._paragraph(out, name, body, fonts.heading(level), None, indent)
            heading.paragraph_format.keep_with_next = True
            _add_ppr_child(heading, "w:outlineLvl", str(level - 1))  # Word's navigation pane
        signature = self._paragraph(out, SIGNATURE, body, fonts.date, WD_ALIGN_PARAGRAPH.RIGHT, 0)
        signature.paragraph_format.keep_with_next = True
        _set_indent(signature, "right", profile.signature_right_indent_chars, fonts.date.size_pt)
        date_style = self._paragraph(out, DATE, body, fonts.date, WD_ALIGN_PARAGRAPH.RIGHT, 0)
        _set_indent(date_style, "right", profile.date_right_indent_chars, fonts.date.size_pt)
        self._character(out, HEADING2_RUN_IN, fonts.heading2)
        self._character(out, ITEM_LEAD, fonts.item_lead)
        number = profile.page_number
        spec = FontSpec(east_asian=number.font, size_pt=number.size_pt)
        self._paragraph(out, PAGE_NUMBER, None, spec, None, 0, latin=number.font)

    def _paragraph(
        self,
        out: DocxDocument,
        name: str,
        base: ParagraphStyle | None,
        font: FontSpec,
        align: WD_ALIGN_PARAGRAPH | None,
        indent_chars: float,
        latin: str | None = None,
    ) -> ParagraphStyle:
        style = self._new_style(out, name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = base or out.styles["Normal"]
        style.next_paragraph_style = self.styles.get(BODY, style)
        style.quick_style = True
        if align is not None:
            style.paragraph_format.alignment = align
        _set_indent(style, "firstLine", indent_chars, font.size_pt)
        self._register(style, font, latin)
        return style

    def _character(self, out: DocxDocument, name: str, font: FontSpec) -> None:
        style = self._new_style(out, name, WD_STYLE_TYPE.CHARACTER)
        style.quick_style = True
        self._register(style, font, None)

    @staticmethod
    def _new_style(out: DocxDocument, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        """``styles.add_style`` without its duplicate-name scan, which alone costs more than a whole
        bare document; the names are ours and the template has none of them."""
        return StyleFactory(out.styles.element.add_style_of_type(name, kind, False))

    def _register(self, style: BaseStyle, font: FontSpec, latin: str | None) -> None:
        latin = latin or self.profile.latin_font
        style.font.size = Pt(font.size_pt)  # type: ignore[attr-defined]
        style.font.bold = font.bold  # type: ignore[attr-defined]
        _set_fonts(style.element.get_or_add_rPr(), latin, font.east_asian)
        if font.size_pt == self.profile.styles.body.size_pt:
            _set_char_spacing(style.element.get_or_add_rPr(), self.profile.char_spacing_twips(font.size_pt))
        run = OxmlElement("w:rPr")
        if style.type == WD_STYLE_TYPE.CHARACTER:
            run.append(OxmlElement("w:rStyle", attrs={qn("w:val"): style.style_id}))
        _set_fonts(run, latin, font.east_asian)
        self.styles[style.name] = style
        self.runs[style.name] = _RunFormat.of(run)
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            paragraph = OxmlElement("w:p")
            paragraph.get_or_add_pPr().style = style.style_id
            self.paragraphs[style.name] = paragraph

    def add(self, body: CT_Body, line: OutlineLine) -> CT_P:
        if line.kind is LineKind.ITEM:
            return self.item(body, line)
        name = _LINE_STYLES.get(line.kind) or HEADINGS[line.level - 1]
        text = line.display
        if line.kind is LineKind.TITLE:  # python-docx writes each "\n" as a line break (w:br)
            text = "\n".join(title_lines(text, self.profile.title_chars_per_line))
        return self.paragraph(body, name, [(text, self.runs[name])])

    def item(self, body: CT_Body, line: OutlineLine) -> CT_P:
        """The item's paragraph, its judgement sentence run in; a line the writer began inside the
        item is a body paragraph of its own, for as a line break (w:br) in a justified paragraph
        Word and LibreOffice stretch the line before it across the page."""
        # A level-1 list's one point has no （一） to run a heading in from: it reads as body text.
        lead_style = HEADING2_RUN_IN if line.level == 1 and line.marker else ITEM_LEAD
        first, *more = line.display.split("\n")
        item = Item.from_text(line.text)
        lead = line.marker + (item.headline if item.body else "")
        if not first.startswith(lead):  # surrounding whitespace, or a judgement running past the line
            lead = line.marker
        rest = first[len(lead) :]
        paragraph = self.paragraph(body, BODY, [(lead, self.runs[lead_style]), (rest, self.runs[BODY])])
        for text in filter(None, (extra.strip() for extra in more)):
            paragraph = self.paragraph(body, BODY, [(text, self.runs[BODY])])
        return paragraph

    def paragraph(self, body: CT_Body, name: str, runs: list[tuple[str, _RunFormat]]) -> CT_P:
        """A paragraph of style ``name`` before the body's section properties, copied from a template."""
        paragraph: CT_P = deepcopy(self.paragraphs[name])
        body.get_or_add_sectPr().addprevious(paragraph)
        for text, run in runs:
            run.apply(paragraph, text)
        return paragraph


def _add_closing(body: CT_Body, styles: _Styles, profile: Profile, lines: list[tuple[str, str]]) -> None:
    """署名 and date one blank line below the text, kept on the page of the text's last lines."""
    last = body.get_or_add_sectPr().getprevious()
    if isinstance(last, CT_P):
        last.get_or_add_pPr().keepNext_val = True
    for index, (name, text) in enumerate(lines):
        indent = profile.signature_right_indent_chars
        if name == SIGNATURE:
            text, indent = signature_layout(text, profile)
        paragraph = styles.paragraph(body, name, [(text, styles.runs[name])])
        if index == 0:
            paragraph.get_or_add_pPr().spacing_before = Twips(profile.line_pitch_twips)
        if name == SIGNATURE and indent != profile.signature_right_indent_chars:
            _set_indent(paragraph, "right", indent, profile.styles.date.size_pt)


def signature_layout(text: str, profile: Profile) -> tuple[str, float]:
    """署名 as printed, with its right indent in characters. A name or unit too long for the line
    left of the profile's indent takes as much of the indent as it needs, down to none; one longer
    than a whole line is broken between words into balanced lines (``title_lines``, the title's
    rule), each ending at the indent, so no character stands alone on a line of its own."""
    indent = profile.signature_right_indent_chars
    per_line = profile.closing_chars_per_line
    width = text_width(text)
    if width <= per_line - indent:
        return text, indent
    if width <= per_line:
        return text, float(min(indent, math.floor(per_line - width)))
    return "\n".join(title_lines(text, math.floor(per_line - indent))), indent


def _set_char_spacing(rpr: BaseOxmlElement, twips: int) -> None:
    if twips >= 0:
        return
    spacing = OxmlElement("w:spacing", attrs={qn("w:val"): str(twips)})
    rpr.insert_element_before(spacing, *_AFTER_SPACING)


_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang")


def _set_fonts(rpr: BaseOxmlElement, latin: str, east_asian: str) -> None:
    """Latin/digits in ``latin``, CJK in ``east_asian``; ambiguous marks (“” — …) follow the CJK font.

    A replaced ``w:rFonts`` drops theme attributes, which would otherwise win over explicit names.
    """
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    fonts = OxmlElement(
        "w:rFonts",
        attrs={
            qn("w:ascii"): latin,
            qn("w:hAnsi"): latin,
            qn("w:eastAsia"): east_asian,
            qn("w:cs"): latin,
            qn("w:hint"): "eastAsia",
        },
    )
    rpr.insert(0 if rpr.find(qn("w:rStyle")) is None else 1, fonts)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successors = [e for tag in _LANG_SUCCESSORS if (e := rpr.find(qn(tag))) is not None]
        if successors:
            successors[0].addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:eastAsia"), _LANG)


def _add_ppr_child(style: ParagraphStyle, tag: str, value: str) -> None:
    element = OxmlElement(tag, attrs={qn("w:val"): value})
    style.element.get_or_add_pPr().insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _set_indent(target: ParagraphStyle | CT_P, side: str, chars: float, size_pt: float) -> None:
    """Indent in characters (``w:firstLineChars`` etc., which follow the grid) plus the same in twips for
    readers that ignore character units; of a style, or of one paragraph."""
    ppr = target.get_or_add_pPr() if isinstance(target, CT_P) else target.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    ind.set(qn(f"w:{side}"), str(round(chars * size_pt * 20)))
    ind.set(qn(f"w:{side}Chars"), str(round(chars * 100)))


def _set_document_defaults(out: DocxDocument, profile: Profile) -> None:
    """Body font and size as the defaults; the template's theme fonts and ja-JP theme language would
    otherwise win over the explicit fonts of the styles."""
    defaults = out.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None
    _set_fonts(rpr, profile.latin_font, profile.styles.body.east_asian)
    # The character grid's pitch is relative to the default size: Word reads the defaults, LibreOffice
    # the Normal style, so both must have the body's.
    size = str(round(profile.styles.body.size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), size)
    out.styles["Normal"].font.size = Pt(profile.styles.body.size_pt)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
    theme_lang = out.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), _LANG)


def _set_page(out: DocxDocument, profile: Profile) -> None:
    page = profile.page
    section = out.sections[0]
    section.page_width, section.page_height = _twips(page.width_mm), _twips(page.height_mm)
    margins = page.margins_mm
    section.top_margin, section.bottom_margin = _twips(margins.top), _twips(margins.bottom)
    section.left_margin, section.right_margin = _twips(margins.left), _twips(margins.right)
    section.header_distance, section.footer_distance = _twips(page.header_mm), _twips(page.footer_mm)
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(profile.line_pitch_twips))


def _twips(mm: float) -> Length:
    return Twips(mm_to_twips(mm))


def _add_page_numbers(out: DocxDocument, profile: Profile, styles: _Styles) -> None:
    """``— N —`` with a PAGE field in separate odd and even footers (``w:evenAndOddHeaders``)."""
    spec = profile.page_number
    out.settings.odd_and_even_pages_header_footer = True
    section = out.sections[0]
    before, after = spec.template.split(PAGE_PLACEHOLDER)
    run = styles.runs[PAGE_NUMBER]
    for footer, side in ((section.footer, spec.odd), (section.even_page_footer, spec.even)):
        paragraph = footer.paragraphs[0]
        paragraph._p.style = styles.styles[PAGE_NUMBER].style_id
        paragraph.alignment = _ALIGN[side]
        indent = Pt(spec.size_pt * spec.edge_indent_chars)
        if side == "right":
            paragraph.paragraph_format.right_indent = indent
        elif side == "left":
            paragraph.paragraph_format.left_indent = indent
        run.apply(paragraph._p, before)
        field = OxmlElement("w:fldSimple", attrs={qn("w:instr"): " PAGE "})
        field.append(run.run("1"))
        paragraph._p.append(field)
        run.apply(paragraph._p, after)

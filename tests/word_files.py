"""Word files as people send them, built from raw WordprocessingML for the upload tests.

python-docx has no API for list definitions, tracked changes, content controls or text boxes, so the
body is written as XML: ``p(...)`` and friends return fragments, ``word(...)`` packs them into a .docx
(with python-docx, so the package itself is a valid one).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def run(text: str, *, hidden: bool = False) -> str:
    """A run of text; ``<br>`` in the text becomes a soft line break (Shift+Enter)."""
    props = "<w:rPr><w:vanish/></w:rPr>" if hidden else ""
    parts = [f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in text.split("<br>")]
    return f"<w:r>{props}{'<w:br/>'.join(parts)}</w:r>"


def inserted(text: str) -> str:
    return f'<w:ins w:id="1" w:author="审稿人" w:date="2026-01-05T10:00:00Z">{run(text)}</w:ins>'


def _struck(text: str) -> str:
    return f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r>'


def deleted(text: str) -> str:
    return f'<w:del w:id="2" w:author="审稿人" w:date="2026-01-05T10:00:00Z">{_struck(text)}</w:del>'


def moved(text: str, *, away: bool) -> str:
    """Text moved with changes tracked: where it was (``away``, struck through) or where it went."""
    tag, body = ("w:moveFrom", _struck(text)) if away else ("w:moveTo", run(text))
    return f'<{tag} w:id="5" w:author="审稿人" w:date="2026-01-05T10:00:00Z">{body}</{tag}>'


def inserted_then_deleted(text: str) -> str:
    """Text one reviewer inserted and another deleted, as Word nests the two."""
    return (
        f'<w:ins w:id="7" w:author="审稿人"><w:del w:id="8" w:author="组织部">{_struck(text)}</w:del></w:ins>'
    )


def alternate(choice: str, fallback: str) -> str:
    """Content Word writes twice: in a newer form and as a fallback for older readers."""
    return (
        f'<mc:AlternateContent><mc:Choice Requires="w14">{choice}</mc:Choice>'
        f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent>"
    )


def p(
    *content: str,
    num: tuple[int, int] | None = None,
    style: str | None = None,
    mark: str | None = None,
) -> str:
    """A paragraph of runs (plain strings are runs); ``num`` = (numId, ilvl) as Word's numPr;
    ``mark`` "deleted" or "inserted" tracks the paragraph mark itself (a whole paragraph removed
    or added with changes tracked)."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if mark == "deleted":
        props += '<w:rPr><w:del w:id="3" w:author="审稿人" w:date="2026-01-05T10:00:00Z"/></w:rPr>'
    elif mark == "inserted":
        props += '<w:rPr><w:ins w:id="4" w:author="审稿人" w:date="2026-01-05T10:00:00Z"/></w:rPr>'
    runs = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def tr(*cells: str) -> str:
    """A table row; each cell is XML of its blocks (paragraphs, tables, content controls), led by
    its properties where it has some (``<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>``)."""
    return "<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in cells) + "</w:tr>"


def table(*rows: list[str] | str) -> str:
    """A table of rows, each its cells (see ``tr``) or the XML of rows (``control(tr(…), tr(…))``)."""
    body = "".join(row if isinstance(row, str) else tr(*row) for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{body}</w:tbl>"


def control(*blocks: str) -> str:
    """A content control (w:sdt) around blocks, as unit templates wrap their fields."""
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{''.join(blocks)}</w:sdtContent></w:sdt>"


def text_box(*blocks: str) -> str:
    """A run holding a floating text box, in the two copies Word writes (DrawingML and VML)."""
    inner = "".join(blocks)
    drawing = (
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"<w:txbxContent>{inner}</w:txbxContent>"
        "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    vml = f"<w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>"
    return (
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def level(
    ilvl: int, fmt: str, text: str, *, style: str | None = None, start: int = 1, extra: str = ""
) -> str:
    """A list level; ``extra`` is more of its XML (``<w:lvlRestart w:val="0"/>``, ``<w:isLgl/>``)."""
    linked = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>{linked}<w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{escape(text)}"/><w:suff w:val="nothing"/></w:lvl>'
    )


OUTLINE_LEVELS = (
    level(0, "chineseCounting", "%1、")
    + level(1, "chineseCounting", "（%2）")
    + level(2, "decimal", "%3.")
    + level(3, "decimal", "（%4）")
)
"""一、 （一） 1. （1）: the levels of GB/T 9704 as a Word multilevel list."""


def abstract(abstract_id: int, levels: str = OUTLINE_LEVELS, *, link: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{link}{levels}</w:abstractNum>'


def num(
    num_id: int,
    abstract_id: int,
    *,
    restart: dict[int, int] | None = None,
    redefine: dict[int, str] | None = None,
) -> str:
    """A list of ``abstract_id``: ``restart`` {ilvl: start} as Word's 重新开始编号, ``redefine``
    {ilvl: ``level(...)``} levels this list defines anew."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (restart or {}).items()
    ) + "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}">{xml}</w:lvlOverride>' for ilvl, xml in (redefine or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def style(
    style_id: str, *, kind: str = "paragraph", num_id: int | None = None, ilvl: int | None = None
) -> str:
    """A style numbered by list ``num_id`` (at ``ilvl``); ``kind`` "numbering" for a list style."""
    numbering = ""
    if num_id is not None:
        level_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        numbering = f'<w:pPr><w:numPr>{level_xml}<w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    name = f'<w:name w:val="{style_id}"/>'
    return f'<w:style w:type="{kind}" w:styleId="{style_id}">{name}{numbering}</w:style>'


def word(*blocks: str, numbering: str = "", styles: str = "", comment_on: str | None = None) -> bytes:
    """A .docx whose body is ``blocks``; ``numbering`` holds abstractNum then num elements;
    ``comment_on``: a reviewer's comment is anchored to the first paragraph holding that text."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    section = body[-1]
    for block in parse_xml(f"<w:body {_NAMESPACES}>{''.join(blocks)}</w:body>"):
        section.addprevious(block)
    if numbering:
        root = document.part.numbering_part.element
        for child in list(root):
            root.remove(child)
        for element in parse_xml(f"<w:numbering {_NAMESPACES}>{numbering}</w:numbering>"):
            root.append(element)
    if styles:
        for element in parse_xml(f"<w:styles {_NAMESPACES}>{styles}</w:styles>"):
            document.styles.element.append(element)
    if comment_on is not None:
        paragraph = next(x for x in document.paragraphs if comment_on in x.text)
        document.add_comment(paragraph.runs, text="这里要再具体一些（审稿意见）", author="审稿人")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

"""Plain-text and Markdown renderings: the draft shown in chat and the .md export."""

from __future__ import annotations

import re

from bot.document import Document
from bot.render import LineKind, outline

# ASCII characters with inline meaning in CommonMark or GFM; a backslash makes each literal.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|#&])")
# At the start of a line: list bullets, setext underlines and ordered-list markers ("2024." or "1)").
_MD_LINE_START = re.compile(r"^(\d{1,9}(?=[.)])|(?=[-+=]))")


def render_text(doc: Document) -> str:
    """One paragraph per line, numbered, without a trailing newline."""
    return "\n".join(line.display for line in outline(doc))


def render_markdown(doc: Document) -> str:
    """Title as ``#``, level-n headings as ``#`` × (n + 1), other paragraphs plain, blank-line separated."""
    blocks = []
    for line in outline(doc):
        text = escape_markdown(line.display)
        if line.kind is LineKind.TITLE:
            text = f"# {text}"
        elif line.kind is LineKind.HEADING:
            text = f"{'#' * (line.level + 1)} {text}"
        blocks.append(text)
    return "\n\n".join(blocks) + "\n"


def escape_markdown(text: str) -> str:
    """Make user text render literally; line breaks inside it become hard breaks."""
    lines = (_MD_INLINE.sub(r"\\\1", line.lstrip(" \t")) for line in text.split("\n"))
    return "\\\n".join(_MD_LINE_START.sub(r"\1\\", line, count=1) for line in lines)

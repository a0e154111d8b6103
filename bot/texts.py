"""Small helpers for user-facing text shared by several flows."""

from __future__ import annotations

import html

from bot.numbering import MarkerStyle, format_marker


def esc(text: str) -> str:
    """Escape user text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters, unescaped: for button labels, which Telegram
    shows as plain text."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def short_heading(heading: str, limit: int) -> str:
    """A heading cut to about ``limit`` characters, keeping the 方面 that ends an aspect's, so a
    notice's long aspect still reads as one (带头牢记我们党是什么、要…方面)."""
    if len(heading) <= limit:
        return heading
    tail = "方面" if heading.endswith("方面") else ""
    kept = heading[: limit - 2]
    if kept.count("“") > kept.count("”"):  # not cut inside a quotation: 心怀“国之大…
        kept = kept[: kept.rindex("“")]
    return kept.rstrip("，、,；;：: ") + "…" + tail


def preview(text: str, limit: int = 40) -> str:
    """One escaped line of at most ``limit`` characters, for a message in HTML parse mode."""
    return esc(shorten(text, limit))


_INNER_QUOTES = str.maketrans("“”", "‘’")


def quoted(text: str) -> str:
    """``text`` in “…”, its own “…” turned ‘…’: Chinese nests quotation marks double outside, single
    inside, and “履行“一岗双责”不到位” reads as two quotations. Unescaped, for document text."""
    return f"“{text.translate(_INNER_QUOTES)}”"


def level2(n: int) -> str:
    return format_marker(MarkerStyle.LEVEL2, n)


def char_count(text: str) -> int:
    """字数 as offices count them: every non-space character."""
    return sum(1 for ch in text if not ch.isspace())


def utf16_len(text: str) -> int:
    """Telegram measures message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


MESSAGE_LIMIT = 4096
"""The longest text message Telegram takes, in UTF-16 code units (``utf16_len``)."""


def split_message(html_text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at line breaks into chunks Telegram accepts; over-long lines are cut between characters
    outside tags and entities, so every chunk stays valid HTML for our one-line markup."""
    chunks: list[str] = []
    current = ""
    for line in html_text.split("\n"):
        for piece in _cut_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if utf16_len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current or not chunks:
        chunks.append(current)
    return [c for c in chunks if c.strip()] or [html_text[:limit]]


def _cut_line(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while utf16_len(line) > limit:
        cut = _safe_cut(line, limit)
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def fitting(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 code units."""
    cut = min(len(text), limit)
    while utf16_len(text[:cut]) > limit:
        cut -= 1
    return cut


def _safe_cut(line: str, limit: int) -> int:
    cut = fitting(line, limit)
    for opener, closer in (("<", ">"), ("&", ";")):
        start = line.rfind(opener, 0, cut)
        if start != -1 and line.find(closer, start) >= cut:
            cut = start
    return max(cut, 1)


_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"} | {0x7F: None, 0xFEFF: None, 0x200B: None}


def clean_input(text: str) -> str:
    """User text as stored: control characters and zero-width marks dropped, line ends unified."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).strip()

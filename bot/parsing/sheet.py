"""Opinions collected before the meeting, as a spreadsheet: one opinion a row, and its source.

Read in the upload worker (limited memory and time), read-only and values only. The header row, if
any, names the columns: the opinion under 意见/内容/问题, its source under 来源; without one the first
non-empty column is the opinion. Total: a file that is not a readable .xlsx is a ``ParseError``.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from bot.parsing import ParseError

MAX_ROWS = 200
_TEXT_HEADERS = ("意见", "内容", "问题", "建议")
_SOURCE_HEADERS = ("来源", "渠道", "方式")
UNREADABLE = "无法打开这个表格：文件已损坏，或不是 .xlsx 格式（.xls 请先另存为 .xlsx）"


def opinion_rows(data: bytes) -> list[tuple[str, str]]:
    """``(opinion, source cell)`` for each non-empty row of the first sheet, at most ``MAX_ROWS``."""
    try:
        from openpyxl import load_workbook  # only when a workbook is read

        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        rows = [
            ["" if v is None else str(v).strip() for v in row]
            for row in book.worksheets[0].iter_rows(max_row=MAX_ROWS + 1, max_col=20, values_only=True)
        ]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError):
        raise ParseError(UNREADABLE) from None
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    text_col, source_col, start = _columns(rows[0])
    found = []
    for row in rows[start:]:
        text = row[text_col] if text_col < len(row) else ""
        if text:
            found.append((text, row[source_col] if source_col is not None and source_col < len(row) else ""))
    return found[:MAX_ROWS]


def _header(first: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, v in enumerate(first) if len(v) <= 8 and any(n in v for n in names)), None)


def _columns(first: list[str]) -> tuple[int, int | None, int]:
    """The opinion's column, the source's (or None), and the first data row (after a header)."""
    text_col, source_col = _header(first, _TEXT_HEADERS), _header(first, _SOURCE_HEADERS)
    if text_col is None and source_col is None:  # no header: the first non-empty column, from row 1
        return next((i for i, v in enumerate(first) if v), 0), None, 0
    if text_col is None:  # a 来源 header only: the opinion is the first other column but a 序号
        others = [i for i, v in enumerate(first) if i != source_col and v and not v.isdigit() and v != "序号"]
        text_col = others[0] if others else 0
    return text_col, source_col, 1

"""/report in three formats and /ledger, as a user gets them in chat."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from docx import Document as open_docx

from tests.conftest import Chat
from tests.test_followup import _draft_with_deadlines


async def test_report_offers_formats_and_sends_the_official_docx(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    await chat.say("/report")
    assert chat.labels() == ["Word（公文格式）", "Markdown", "纯文本"]
    await chat.press("Word（公文格式）")
    document = chat.api.documents(chat.user_id)[-1]
    assert document.filename == "通用组织生活会个人发言提纲.docx"  # named after the material
    reopened = open_docx(io.BytesIO(document.data))
    styles = {p.style.name for p in reopened.paragraphs if p.style is not None}
    assert {"DZ Title", "DZ Heading 1"} <= styles
    section = reopened.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28

    await chat.say("/report")
    await chat.press("Markdown")
    markdown = chat.api.documents(chat.user_id)[-1]
    assert markdown.filename.endswith(".md")
    assert "每周自学不少于4小时" in markdown.data.decode()


async def test_ledger_lists_every_measure_with_its_deadline(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    await chat.say("/ledger")
    ledger = chat.api.documents(chat.user_id)[-1]
    assert ledger.filename.endswith("_整改台账.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(ledger.data)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert rows[0][4] == "每周自学不少于4小时，形成读书笔记。"
    assert rows[0][8] == datetime(2027, 3, 31) and rows[0][7] == "限期整改"
    assert rows[1][7] == "长期坚持" and "每季度" in str(rows[1][8])


async def test_ledger_without_a_draft_says_what_to_do(chat: Chat) -> None:
    reply = await chat.say("/ledger")
    assert "/new" in reply

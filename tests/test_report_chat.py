"""/report in three formats and /ledger, as a user gets them in chat."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document as open_docx

from bot.render import pages
from tests.conftest import Chat
from tests.test_followup import _draft_with_deadlines
from tests.test_rectification_chain import _ledger, _rows


async def test_report_offers_formats_and_sends_the_official_docx(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    await chat.say("/report")
    converts = ["PDF", "第1页预览图", "全部页面图片"] if pages.available() else []
    assert chat.labels() == ["Word（公文格式）", *converts[:1], *converts[1:], "Markdown", "纯文本"]
    await chat.press("Word（公文格式）")
    document = chat.api.documents(chat.user_id)[-1]
    assert document.filename == "2025年度组织生活会个人发言提纲.docx"  # named after the material
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
    rows = _rows(_ledger(chat))
    by_measure = {str(r["整改措施"]): r for r in rows}
    assert set(by_measure) == {"每周自学不少于4小时，形成读书笔记。", "每月到联系点接访一次。"}
    studied = by_measure["每周自学不少于4小时，形成读书笔记。"]
    assert studied["现时限"] == datetime(2027, 3, 31) and studied["整改类型"] == "限期整改"
    visits = by_measure["每月到联系点接访一次。"]
    assert visits["整改类型"] == "长期坚持" and "每季度" in str(visits["现时限"])
    assert rows[0]["问题"] == "学习不够深入。"  # rows follow the problems, each with its measures


async def test_ledger_without_a_draft_says_what_to_do(chat: Chat) -> None:
    reply = await chat.say("/ledger")
    assert "/new" in reply

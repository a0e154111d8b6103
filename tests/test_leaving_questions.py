"""A question about the draft being written goes when the user leaves it: for a step of another draft
(opened from /drafts, created with /new), as it does for another step of the same one."""

from __future__ import annotations

from sqlalchemy import select

from bot.settings import Settings
from storage.db import Database
from storage.models import Draft
from tests.conftest import Chat
from tests.test_typed_labels import ITEM, _texts, _to_problems


async def _open_draft(chat: Chat, showing: str) -> str:
    """/drafts, then 打开 on the draft whose progress line reads ``showing``."""
    listing = await chat.say("/drafts")
    number = next(n for n, part in enumerate(listing.split("\n　　")) if showing in part)
    return await chat.press(f"{number}. 打开")


async def test_another_draft_opened_or_created_closes_the_item_question(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say(ITEM)
    await chat.press("修改条目")
    await chat.press(ITEM[:14])  # the list's one point: no 一是
    await chat.press("修改")
    await chat.say("/new")  # the item question goes with the draft left behind
    reply = await chat.say("个人对照检查材料")
    assert "请点击下面的按钮选择材料类型" in reply  # the new material's kind, not the item's wording
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")

    await _open_draft(chat, "第3/")
    await chat.press("修改条目")
    await chat.press(ITEM[:14])  # the list's one point: no 一是
    await chat.press("修改")
    reply = await _open_draft(chat, "基本信息填写中")
    assert "已切换到" in reply and "姓名" in reply
    reply = await chat.say("张三")
    assert "已记下：张三" in reply and "单位" in reply  # a step's answer again, not the item's wording

    assert await _texts(settings) == [
        "根据县委要求，会前本人认真学习，征求意见9条。现将个人对照检查情况报告如下：",
        ITEM,
    ]
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        drafts = (await session.scalars(select(Draft).order_by(Draft.id))).all()
    await db.dispose()
    assert [d.meeting_date is not None for d in drafts] == [True, True]
    assert drafts[1].meta.get("name") == "张三"

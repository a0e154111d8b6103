"""A text part takes one message and the bot moves on, so a phone user's next paragraph of it arrives
at the next part: it is stored there, and the reply offers to put it back under the part it follows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.settings import Settings
from storage.db import Database
from storage.models import Answer
from tests.conftest import Chat
from tests.test_review_chat import _to_preamble

FIRST = "根据县委通知要求，会前本人认真学习了有关文件，征求意见建议12条。"
SECOND = "同时，本人与班子成员逐一谈心谈话8人次。现将个人对照检查情况报告如下："
JOIN = "接到上一部分末尾"


async def _stored(settings: Settings) -> dict[str, list[str]]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = (await session.execute(select(Answer.section, Answer.text).order_by(Answer.id))).all()
    await db.dispose()
    stored: dict[str, list[str]] = {}
    for section, text in rows:
        stored.setdefault(section, []).append(text)
    return stored


@pytest.mark.parametrize(
    ("second", "stored_as"),
    [
        (SECOND, "开头一段已作为本部分的引言"),
        ("同时，本人与班子成员逐一谈心谈话8人次。", "已记下。本部分共1条"),
    ],
)
async def test_a_second_paragraph_goes_back_under_the_part_it_continues(
    chat: Chat, settings: Settings, second: str, stored_as: str
) -> None:
    await _to_preamble(chat)
    await chat.say(FIRST)
    reply = await chat.say(second)
    assert stored_as in reply  # the next part's lead, or its first item
    assert "如果这段是上一部分“导语”的后一段" in reply and JOIN in chat.labels()
    reply = await chat.press(JOIN)
    assert "已接到“导语”末尾" in reply and "上年度民主生活会查摆问题整改落实情况" in reply
    assert await _stored(settings) == {"preamble": [FIRST, second]}
    await chat.press("上一步")
    shown = chat.last_text()  # the 导语 again: both paragraphs are its content
    assert f"当前内容：{FIRST} {second[:10]}" in shown and "发送新内容会替换当前内容" in shown


async def test_an_item_typed_later_or_a_second_item_is_not_offered_to_the_part_before(chat: Chat) -> None:
    await _to_preamble(chat)
    await chat.say(FIRST)
    await chat.say("一是理论学习不够深入。今年只参加集中学习2次。\n二是调研不够。今年调研3次。")
    assert JOIN not in chat.labels()  # a numbered list is the part's own
    await chat.press("撤销最后一条")
    await chat.press("撤销最后一条")
    await chat.say("上年度查摆问题5条，已完成4条。")
    assert JOIN not in chat.labels()  # the 导语 was not the last thing written
    reply = await chat.say("对照上年度问题，个人学习计划已按月落实。")
    assert "上一部分" not in reply and JOIN not in chat.labels()


async def test_a_part_ending_in_a_colon_is_not_offered_what_comes_next(chat: Chat) -> None:
    """现将…报告如下： hands over to the parts after it: the next message starts the next part."""
    await _to_preamble(chat)
    await chat.say(f"{FIRST}{SECOND}")
    reply = await chat.say("上年度查摆的问题，个人学习计划已按月落实，完成专题研讨4次。")
    assert "已记下。本部分共1条" in reply
    assert "上一部分" not in reply and JOIN not in chat.labels()


async def test_each_paragraph_put_back_is_edited_by_its_own_message(chat: Chat, settings: Settings) -> None:
    """Editing the first message changes the first paragraph only, and the second the second: the
    paragraph put back is not lost when the message before it is corrected."""
    await _to_preamble(chat)
    await chat.say(FIRST)
    first = chat.last_user_message_id()
    await chat.say("同时，本人与班子成员逐一谈心谈话8人次。")
    second = chat.last_user_message_id()
    await chat.press(JOIN)
    reply = await chat.edit(first, FIRST.replace("12条", "15条"))
    assert "已按您修改后的消息更新“导语”" in reply
    reply = await chat.edit(second, "同时，本人与班子成员逐一谈心谈话9人次。")
    assert "已按您修改后的消息更新“导语”" in reply
    assert await _stored(settings) == {
        "preamble": [FIRST.replace("12条", "15条"), "同时，本人与班子成员逐一谈心谈话9人次。"]
    }
    await chat.press("上一步")  # back at the 导语: a new message replaces the whole part
    again = "根据县委通知要求，会前本人认真学习。现将个人对照检查情况报告如下："
    await chat.say(again)
    assert await _stored(settings) == {"preamble": [again]}

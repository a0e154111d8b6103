"""A text longer than a Telegram message: the client sends it as several, the bot reads it as one."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.botapi.server import MAX_TEXT_LENGTH, client_parts
from bot.numbering import MarkerStyle, format_marker
from bot.settings import Settings
from bot.texts import utf16_len
from storage.db import Database
from storage.models import Answer
from tests.conftest import Chat
from tests.test_drafting_e2e import _setup_personal_2025

PLACES = ["开发区", "高新区", "城南街道", "城北街道", "工业园", "物流园", "商贸城", "农业园"]

LONG_PREAMBLE = (
    "".join(
        f"围绕第{n}个专题，本人参加理论学习中心组学习并作交流发言，会后梳理意见建议{n + 4}条，"
        for n in range(1, 110)
    )
    + "现将对照检查情况报告如下："
)
"""A preamble long enough for a client to send as two messages."""


def _item(number: int, sentences: int) -> str:
    """A problem of several distinct sentences, as a long pasted item has."""
    head = f"第{number}方面的问题在{PLACES[number % len(PLACES)]}表现得比较突出。"
    return head + "".join(
        f"第{n}次到基层调研时，有{n + number}家企业反映的诉求拖了{n * 3}天才答复，说明作风还不够扎实。"
        for n in range(1, sentences)
    )


def _run_in(items: list[str]) -> str:
    """One paragraph with its points run in (一是…。二是…), as text pasted from Word often is."""
    return "".join(format_marker(MarkerStyle.RUN_IN, n) + item for n, item in enumerate(items, 1))


def test_the_chat_cuts_a_long_text_as_the_clients_do() -> None:
    lines = ["一是" + "学习不够深入" * 200, "二是" + "调研不够扎实" * 200, "三是" + "担当不够有力" * 600]
    parts = client_parts("\n".join(lines))
    assert len(parts) == 2 and parts[0] == "\n".join(lines[:2])  # at the line break, not mid-line
    sentences = "".join(f"第{n}句话写到这里结束。" for n in range(600))
    parts = client_parts(sentences)
    assert all(utf16_len(p) <= MAX_TEXT_LENGTH for p in parts) and parts[0].endswith("结束。")
    assert "".join(parts) == sentences
    emoji = "👍" * 3000  # two UTF-16 units each, as Telegram counts
    assert [utf16_len(p) for p in client_parts(emoji)] == [4096, 1904]


async def test_an_item_cut_by_telegram_is_stored_whole(chat: Chat, settings: Settings) -> None:
    items = [_item(n, 18) for n in range(1, 9)]
    text = _run_in(items)
    parts = client_parts(text)
    assert len(parts) == 2 and not parts[1].startswith(format_marker(MarkerStyle.RUN_IN, 1)[:1])
    await _setup_personal_2025(chat)
    await chat.say("按照通知要求，会前认真学习、广泛征求意见，现对照检查如下：")
    await chat.press("跳过本部分")

    reply = await chat.say(text)

    assert "这条消息接着上一条" in reply and "开头部分已接回" in reply and "本方面共8条" in chat.last_text()
    assert await _stored(settings, "problems") == items


async def test_a_long_preamble_cut_by_telegram_is_not_replaced_by_its_second_part(
    chat: Chat, settings: Settings
) -> None:
    assert len(client_parts(LONG_PREAMBLE)) == 2
    await _setup_personal_2025(chat)

    reply = await chat.say(LONG_PREAMBLE)

    assert "这条消息接着上一条" in reply and "已与上一条合为一段" in reply
    assert await _stored(settings, "preamble") == [LONG_PREAMBLE]


async def _stored(settings: Settings, section: str) -> list[str]:
    """The texts stored in a section, in their order."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        stored = (
            await session.scalars(
                select(Answer.text).where(Answer.section == section).order_by(Answer.position)
            )
        ).all()
    await db.dispose()
    return list(stored)


async def test_a_part_sent_after_the_bots_reply_to_the_first_still_goes_on_with_it(
    chat: Chat, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's reply to the first part can take the message id just after it: the second part,
    sent within seconds, still goes on with it; the same words typed a minute later do not."""
    items = [_item(n, 18) for n in range(1, 9)]
    first, second = client_parts(_run_in(items))
    await _setup_personal_2025(chat)
    await chat.say("按照通知要求，会前认真学习、广泛征求意见，现对照检查如下：")
    await chat.press("跳过本部分")

    await chat.say(first)  # answered before the second part arrives
    reply = await chat.say(second)

    assert "这条消息接着上一条" in reply and "本方面共8条" in chat.last_text()
    assert await _stored(settings, "problems") == items

    await chat.press("本方面填写完毕")
    await chat.say(client_parts(_run_in([_item(n, 18) for n in range(11, 19)]))[0])
    later = time.time() + 60
    monkeypatch.setattr("bot.botapi.server.time.time", lambda: later)
    reply = await chat.say("这一条是一分钟后另发的，没有编号。")
    assert "这条消息接着上一条" not in reply and "已记下" in reply


def _user_messages(chat: Chat) -> list[int]:
    return [
        e.message_id
        for e in chat.api.transcript
        if e.direction == "user" and e.chat_id == chat.user_id and e.message_id is not None
    ]


async def test_an_edit_of_the_first_part_of_a_cut_text_keeps_the_words_of_the_second(
    chat: Chat, settings: Settings
) -> None:
    """The bot joined the second part's opening words to the first part's last point: an edit of the
    first message rewrites that point's own share and leaves them, however often it is edited."""
    items = [_item(n, 18) for n in range(1, 9)]
    first, _ = client_parts(_run_in(items))
    await _setup_personal_2025(chat)
    await chat.say("按照通知要求，会前认真学习、广泛征求意见，现对照检查如下：")
    await chat.press("跳过本部分")
    await chat.say(_run_in(items))
    assert await _stored(settings, "problems") == items
    part_one = _user_messages(chat)[-2]

    reply = await chat.edit(part_one, first.replace("表现得比较突出", "表现得尤其突出", 1))
    assert "中的一是。" in reply  # the joined 六是 is as it was
    items[0] = items[0].replace("表现得比较突出", "表现得尤其突出")
    assert await _stored(settings, "problems") == items

    sixth = "第6方面的问题在商贸城表现得比较突出"
    reply = await chat.edit(part_one, first.replace(sixth, "第6方面的问题在商贸城最为突出"))
    assert "中的一是、六是。" in reply
    items[0], items[5] = _item(1, 18), items[5].replace(sixth, "第6方面的问题在商贸城最为突出")
    assert await _stored(settings, "problems") == items


async def test_an_edit_of_the_first_part_of_a_cut_preamble_keeps_the_second(
    chat: Chat, settings: Settings
) -> None:
    first, _ = client_parts(LONG_PREAMBLE)
    await _setup_personal_2025(chat)
    await chat.say(LONG_PREAMBLE)

    reply = await chat.edit(_user_messages(chat)[-2], first.replace("围绕第1个专题", "围绕第一个专题"))

    assert "已按您修改后的消息更新“导语”" in reply
    assert await _stored(settings, "preamble") == [LONG_PREAMBLE.replace("围绕第1个专题", "围绕第一个专题")]


async def test_an_edit_of_the_second_part_of_a_cut_preamble_rewrites_its_words_there(
    chat: Chat, settings: Settings
) -> None:
    """All the second part's words went on with the first part's preamble, so it stored nothing of
    its own: its edit still rewrites them there, and a later edit of the first part keeps them."""
    first, second = client_parts(LONG_PREAMBLE)
    await _setup_personal_2025(chat)
    await chat.say(LONG_PREAMBLE)
    part_one, part_two = _user_messages(chat)[-2:]

    reply = await chat.edit(part_two, second.replace("如下：", "如下（修改稿）："))

    assert "已按您修改后的消息更新“导语”" in reply
    edited = LONG_PREAMBLE.replace("如下：", "如下（修改稿）：")
    assert await _stored(settings, "preamble") == [edited]
    await chat.edit(part_one, first.replace("围绕第1个专题", "围绕第一个专题"))
    assert await _stored(settings, "preamble") == [edited.replace("围绕第1个专题", "围绕第一个专题")]


async def test_an_edit_of_the_second_part_of_a_cut_list_rewrites_the_point_it_went_on_with(
    chat: Chat, settings: Settings
) -> None:
    """The second part finished the first part's last point and went on with points of its own: an
    edit of it rewrites the words it gave that point, and its own points, each where it is."""
    items = [_item(n, 18) for n in range(1, 9)]
    _, second = client_parts(_run_in(items))
    await _setup_personal_2025(chat)
    await chat.say("按照通知要求，会前认真学习、广泛征求意见，现对照检查如下：")
    await chat.press("跳过本部分")
    await chat.say(_run_in(items))
    head = second.split("七是")[0]  # the end of 六是, then 七是 and 八是 of its own
    assert "作风还不够扎实" in head and items[5].endswith(head)

    changed = second.replace(head, head.replace("作风还不够扎实", "作风仍不扎实"), 1)
    changed = changed.replace("第8方面的问题", "第八方面的问题")
    reply = await chat.edit(_user_messages(chat)[-1], changed)

    assert "已按您修改后的消息更新" in reply
    items[5] = items[5][: -len(head)] + head.replace("作风还不够扎实", "作风仍不扎实")
    items[7] = items[7].replace("第8方面的问题", "第八方面的问题")
    assert await _stored(settings, "problems") == items


async def test_an_edit_of_a_middle_part_of_a_text_cut_in_three_is_said_not_to_be_taken(
    chat: Chat, settings: Settings
) -> None:
    """Only the first part and the last one joined to it are remembered: an edit of the one between
    them cannot be placed, and the user is told so and where to change the text, not left guessing."""
    preamble = LONG_PREAMBLE[:-9] + LONG_PREAMBLE  # long enough for three messages
    parts = client_parts(preamble)
    assert len(parts) == 3
    await _setup_personal_2025(chat)
    await chat.say(preamble)
    middle = _user_messages(chat)[-2]

    reply = await chat.edit(middle, parts[1].replace("围绕第", "围绕第（改）", 1))

    assert "这条消息是一段长文字的中间部分" in reply and "请到“导语”直接修改" in reply
    assert await _stored(settings, "preamble") == [preamble]

"""Redelivered updates, access control, and replies that must fit Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.botapi import InProcessBotApi
from bot.callbacks import MAX_BYTES, Flow, decode, encode
from bot.settings import Settings
from bot.texts import split_message, utf16_len
from storage import repo
from storage.db import Database
from storage.models import Answer, User
from tests.conftest import Chat, start_bot


async def _count(settings: Settings, model: type[Answer] | type[User]) -> int:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(model))
    await db.dispose()
    return int(count or 0)


async def test_the_same_update_delivered_twice_is_applied_once(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await chat.say("/new")
        await chat.press("个人对照检查材料")
        await chat.press("2024年度民主生活会（4个方面）")
        await chat.press("暂不确定")
        for _ in range(3):
            await chat.press("跳过")
        update = api.send_text(chat.user_id, "按照通知要求，现将对照检查情况报告如下：")
        await api.wait_processed(update["update_id"], 10)
        assert await _count(settings, Answer) == 1
        # a webhook retry, or a restart before the offset was confirmed, delivers it again
        before = len(api.bot_messages(chat.user_id))
        await harness.application.process_update(Update.de_json(update, harness.application.bot))
        assert await _count(settings, Answer) == 1
        # the user is shown where they are, as the original reply may have been cut off
        assert len(api.bot_messages(chat.user_id)) == before + 1
        assert "上年度民主生活会查摆问题整改落实情况" in chat.last_text()


async def test_users_outside_the_allow_list_are_refused_and_not_stored(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url, allowed_users=[1], admins=[2])  # type: ignore[call-arg]
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        stranger = Chat(harness, user_id=99)
        assert "仅供本单位授权人员使用" in await stranger.say("/start")
        assert "仅供本单位授权人员使用" in await stranger.say("一段文字")
        assert await _count(settings, User) == 0
        admin = Chat(harness, user_id=2)
        assert "开始写材料" in " ".join(await _labels(admin))


async def _labels(chat: Chat) -> list[str]:
    await chat.say("/start")
    return chat.labels()


def test_split_message_keeps_every_line_and_respects_the_limit() -> None:
    lines = [f"<b>第{i}条</b> " + "很长的内容&amp;" * 40 for i in range(60)]
    text = "\n".join(lines)
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(utf16_len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == text


def test_split_message_cuts_an_overlong_line_outside_entities() -> None:
    line = "字&amp;" * 2000
    chunks = split_message(line, limit=1000)
    assert all(utf16_len(c) <= 1000 for c in chunks)
    assert "".join(chunks) == line
    assert all(c.count("&") == c.count(";") for c in chunks)


def test_split_message_counts_utf16_units() -> None:
    emoji_line = "😀" * 3000  # 6000 UTF-16 units
    chunks = split_message(emoji_line)
    assert all(utf16_len(c) <= 4096 for c in chunks)
    assert "".join(chunks) == emoji_line


def test_callback_data_stays_within_64_bytes() -> None:
    data = encode(Flow.ITEM, "del", "abcdefghijkl", "problems.12", 123456789)
    assert len(data.encode()) <= MAX_BYTES
    parsed = decode(data)
    assert parsed is not None and parsed.args == ("abcdefghijkl", "problems.12", 123456789)
    with pytest.raises(ValueError, match="64"):
        encode(Flow.ITEM, "del", "x" * 16, "a" * 24 + "." + "b" * 16, 2**31 - 1)
    assert decode("garbage") is None


@pytest.mark.parametrize(
    "data",
    [
        "fu:open:²",  # str.isdigit() accepts it, int() does not
        "rv:more:abcdefghijkl:²",
        "fu:open:99999999999999999999",  # beyond any row id (overflows SQLite's integer)
        "it:del:abcdefghijkl:problems.1:１２",  # full-width digits
        "it:del:abcdefghijkl:problems.1",  # an argument missing
        "home:new:extra",  # one too many
        "zz:open:1",  # no such flow
        "fu:evidence:1",  # no such action
        "rv:ign:abcdefghijkl:<script>",
    ],
)
def test_forged_callback_data_is_rejected_where_it_enters(data: str) -> None:
    assert decode(data) is None


async def test_bot_keeps_running_when_the_command_menu_is_rejected(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    api = InProcessBotApi()
    api.fail_next("setMyCommands", error_code=400, description="Bad Request: BOT_COMMAND_INVALID")
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await chat.say("/start")
        assert chat.labels() == ["开始写材料"]
    assert any("setMyCommands failed" in r.getMessage() for r in caplog.records)


async def test_old_dedupe_records_are_pruned(settings: Settings) -> None:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert await repo.claim_update(session, 1, 5)
        assert await repo.claim_update(session, 2, 5)
        assert not await repo.claim_update(session, 2, 5)
    async with db.transaction() as session:
        removed = await repo.forget_processed_updates(session, datetime.now(UTC) + timedelta(seconds=5))
    assert removed == 2
    async with db.transaction() as session:
        assert await repo.claim_update(session, 1, 5)
    await db.dispose()


def test_public_ids_are_safe_for_command_lines_and_callbacks() -> None:
    ids = {repo.new_public_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == repo.PUBLIC_ID_LENGTH and i.isalnum() for i in ids)

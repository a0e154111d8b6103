"""Closed bot with invites, admin commands, and the per-user rate limit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.botapi import InProcessBotApi
from bot.flows.access import ADMINS_ONLY, Decision, RateLimiter
from bot.settings import Settings
from handlers.common import BAD_INVITE, NOT_ALLOWED, TOO_FAST
from storage.db import Database
from storage.models import Base, Invite
from tests.conftest import TEST_NOW, Chat, start_bot

ADMIN, FRIEND, OTHER, STRANGER = 7001, 7002, 7003, 7004
LINK = re.compile(r"https://t\.me/duizhao_bot\?start=([A-Za-z0-9_-]+)")


def make_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, data_dir=tmp_path / "data", bot_token=None, **overrides
    )


@pytest.fixture(name="settings")
def unlimited(database_url: str, tmp_path: Path) -> Settings:
    """For tests that script many updates at machine speed: no rate limit in the way."""
    return make_settings(database_url, tmp_path, rate_limit_burst=100_000)


async def rows_mentioning(settings: Settings, user_id: int) -> list[str]:
    """Every row of every table holding the user id in any column (JSON included, as text)."""
    db = Database(settings.effective_database_url)
    found = []
    async with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                values = row._mapping.values()
                if any(
                    v == user_id or (isinstance(v, dict | list | str) and str(user_id) in str(v))
                    for v in values
                ):
                    found.append(f"{table.name}: {dict(row._mapping)}")
    await db.dispose()
    return found


@pytest.fixture
def closed(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, admins=[ADMIN], invite_only=True, rate_limit_burst=1000)


async def test_a_stranger_is_refused_and_leaves_no_trace(closed: Settings) -> None:
    async with start_bot(closed, InProcessBotApi()) as harness:
        stranger = Chat(harness, STRANGER)
        assert NOT_ALLOWED in await stranger.say("/start")
        assert NOT_ALLOWED in await stranger.say("我想写材料")
        assert BAD_INVITE in await stranger.say("/start madeupcode")
    assert await rows_mentioning(closed, STRANGER) == []


async def test_an_invite_admits_as_many_newcomers_as_it_says_until_it_expires(closed: Settings) -> None:
    async with start_bot(closed, InProcessBotApi()) as harness:
        admin, friend, other, stranger = (Chat(harness, u) for u in (ADMIN, FRIEND, OTHER, STRANGER))
        reply = await admin.say("/invite 2 3")
        match = LINK.search(reply)
        assert match and len(match.group(1)) <= 64 and "可供2人使用" in reply
        assert re.search(r"20[0-9]{2}年[1-9][0-9]?月[1-9][0-9]?日 [0-9]{2}:[0-9]{2}前有效", reply), reply
        code = match.group(1)

        assert "对照" in await friend.say(f"/start {code}")
        assert "新建" in await friend.say("/new") or friend.labels()  # admitted: the flow runs
        assert NOT_ALLOWED not in await friend.say("/drafts")
        assert NOT_ALLOWED not in await other.say(f"/start {code}")
        assert BAD_INVITE in await stranger.say(f"/start {code}")  # both places taken
        assert await rows_mentioning(closed, STRANGER) == []

        code = LINK.search(await admin.say("/invite")).group(1)  # type: ignore[union-attr]
        db = Database(closed.effective_database_url)
        async with db.transaction() as session:
            await session.execute(update(Invite).values(expires_at=TEST_NOW))  # the bot's clock
        await db.dispose()
        assert BAD_INVITE in await stranger.say(f"/start {code}")
        assert "用法" in await admin.say("/invite lots")


async def test_an_invite_that_happens_to_begin_like_a_batch_link_still_admits(
    closed: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Invite codes are random: one in 4,096 begins with "b_", the prefix of a review batch's link."""
    monkeypatch.setattr("bot.flows.access.secrets.token_urlsafe", lambda _: "b_" + "x" * 20)
    async with start_bot(closed, InProcessBotApi()) as harness:
        admin, friend = Chat(harness, ADMIN), Chat(harness, FRIEND)
        code = LINK.search(await admin.say("/invite")).group(1)  # type: ignore[union-attr]
        assert code.startswith("b_")
        assert "对照" in await friend.say(f"/start {code}")
        assert NOT_ALLOWED not in await friend.say("/drafts")


async def test_admin_commands_are_for_admins_and_show_counts_only(closed: Settings, tmp_path: Path) -> None:
    settings = closed.model_copy(update={"allowed_users": [FRIEND]})
    async with start_bot(settings, InProcessBotApi()) as harness:
        admin, friend = Chat(harness, ADMIN), Chat(harness, FRIEND)
        await friend.say("/new")
        await friend.press("个人对照检查材料")
        for command in ("/invite", "/users", "/stats"):
            assert ADMINS_ONLY in await friend.say(command)
        users = await admin.say("/users")
        assert str(FRIEND) in users and "用户共2人" in users
        stats = await admin.say("/stats")
        assert "材料：1" in stats and "个人对照检查材料" not in stats


async def test_a_flooding_user_is_slowed_down_and_others_are_not(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, rate_limit_burst=3, rate_limit_per_minute=1)
    async with start_bot(settings, InProcessBotApi()) as harness:
        flooder, calm = Chat(harness, FRIEND), Chat(harness, OTHER)
        replies = [await flooder.say("/help") for _ in range(6)]
        assert all("常用命令" in r for r in replies[:3])
        assert replies[3] == TOO_FAST
        assert replies[4:] == ["", ""]  # told once, then silence rather than a flood of notices
        assert "常用命令" in await calm.say("/help")


def test_the_bucket_refills_at_the_configured_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=2, per_minute=60, clock=lambda: now[0])
    assert [limiter.check(1) for _ in range(4)] == [
        Decision.PASS,
        Decision.PASS,
        Decision.WARN,
        Decision.DROP,
    ]
    assert limiter.check(2) is Decision.PASS
    now[0] = 1.0
    assert limiter.check(1) is Decision.PASS
    assert limiter.check(1) is Decision.WARN

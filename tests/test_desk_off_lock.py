"""A material handed in to a review batch is reviewed after the update's transaction, so it holds
no lock: the cadre's lock is free meanwhile, and the review's counts are then kept with the version."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.botapi import BotHarness, InProcessBotApi
from bot.dates import format_date
from bot.flows import handin
from bot.flows.desk_common import count_text
from bot.settings import Settings
from storage import repo
from storage.db import Database
from storage.models import Submission
from tests.conftest import Chat, killed_before_then, start_bot
from tests.test_desk_e2e import (
    ADMIN,
    LI,
    LI_OWN,
    REVIEWER,
    _join,
    _material,
    _upload,
)
from tests.test_desk_e2e import desk_settings as desk_settings  # a fixture

WAIT = 20.0  # a deadline, not a delay
HAND_IN = "提交到审核批次：县财政局党组"


async def _lock_and_count(settings: Settings, user_id: int) -> int:
    """Lock the user's row, as an update of his does first, and count the versions handed in."""
    db = Database(settings.effective_database_url)
    try:
        async with db.transaction() as session:
            await repo.lock_user(session, user_id)
            return len((await session.scalars(select(Submission))).all())
    finally:
        await db.dispose()


async def _ready_to_hand_in(harness: BotHarness, settings: Settings) -> Chat:
    """A batch, and 李四 in it with his material uploaded, one press away from handing it in."""
    admin, reviewer, li = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, LI)
    await admin.say(f"/grant_reviewer {REVIEWER}")
    await reviewer.say("/batch")
    due = datetime.now(UTC).astimezone(settings.tz).date() + timedelta(days=10)
    await reviewer.say(f"县财政局党组\n2025年度民主生活会\n{format_date(due)}")
    await reviewer.press("个人对照检查材料")
    found = re.search(r"start=(b_[A-Za-z0-9]+)", await reviewer.press("2025年度民主生活会"))
    assert found is not None
    await _join(li, found.group(1), "李四")
    await _upload(li, "李四.txt", _material("李四", LI_OWN))
    return li


async def test_no_lock_is_held_while_a_hand_in_is_being_reviewed(
    desk_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviewing, finish = threading.Event(), threading.Event()
    whole = handin.review_for_batch

    def held(*args: object, **more: object) -> object:
        reviewing.set()
        finish.wait(WAIT)
        return whole(*args, **more)  # type: ignore[arg-type]

    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        li = await _ready_to_hand_in(harness, desk_settings)
        monkeypatch.setattr(handin, "review_for_batch", held)
        try:
            handing_in = asyncio.create_task(li.press(HAND_IN))
            assert await asyncio.to_thread(reviewing.wait, WAIT)
            # 李四's review is still running, yet his version is on the desk already and his lock
            # is free (on SQLite, every writer's): his next update, or anyone's, would not wait.
            handed_in = await asyncio.wait_for(_lock_and_count(desk_settings, LI), WAIT)
            assert handed_in == 1 and not handing_in.done()
            finish.set()
            reply = await handing_in
        finally:
            finish.set()
    assert "（第1版），等待审核" in reply and "自动审核：" in reply
    db = Database(desk_settings.effective_database_url)
    try:
        async with db.transaction() as session:
            submission = (await session.scalars(select(Submission))).one()
            assert submission.summary.get("error", 0) + submission.summary.get("warning", 0) > 0
    finally:
        await db.dispose()


async def test_the_desk_keeps_the_counts_a_killed_hand_in_never_stored(
    desk_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies between the hand-in's commit and the short transaction keeping the review's
    counts: after a restart the desk shows them, reviewed again, and the version keeps them."""
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        li = await _ready_to_hand_in(harness, desk_settings)
        monkeypatch.setattr(handin, "submit_upload", killed_before_then(handin.submit_upload))
        await li.press(HAND_IN)
    monkeypatch.undo()
    db = Database(desk_settings.effective_database_url)
    try:
        assert await _kept(db) == {}
        async with start_bot(desk_settings, api) as harness:
            listed = await Chat(harness, REVIEWER).say("/desk")
        kept = await _kept(db)
        assert kept.get("error", 0) + kept.get("warning", 0) > 0
        assert f"1. 李四 第1版 待审核 · {count_text(kept)}" in listed
    finally:
        await db.dispose()


async def _kept(db: Database) -> dict[str, Any]:
    """The counts stored with the one version handed in."""
    async with db.transaction() as session:
        return (await session.scalars(select(Submission))).one().summary

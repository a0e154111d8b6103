"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
``DUIZHAO_TEST_DATABASE_URL`` names one), and the bot running on the in-process Bot API."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.app import build_offline_application
from bot.botapi import BotHarness, InProcessBotApi, TranscriptEntry
from bot.catalog import OwnerQuestion
from bot.owners import COMMITTEE_EXAMPLE, question_lines
from bot.replies import Outgoing, Reply
from bot.settings import Settings
from handlers.common import services_of
from storage.db import upgrade_database
from storage.models import Base

PG_URL_VARIABLE = "DUIZHAO_TEST_DATABASE_URL"
COMMITTEE_QUESTION = question_lines(OwnerQuestion.COMMITTEE, leader_picked=False)


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database made once per session: a SQLite file to copy, or a PostgreSQL database."""
    server = os.environ.get(PG_URL_VARIABLE)
    if not server:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        upgrade_database(f"sqlite+aiosqlite:///{path}")
        yield str(path)
        return
    name = f"duizhao_test_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(server))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    upgrade_database(url)
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def database_url(database_template: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, migrated database for one test."""
    if not database_template.startswith("postgresql"):
        path = tmp_path / "duizhao.sqlite3"
        shutil.copy(database_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    connection = await asyncpg.connect(_asyncpg_dsn(database_template))
    try:
        await connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
    yield database_template


# -- the bot on the in-process Bot API ------------------------------------------------------------


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, data_dir=tmp_path / "data", bot_token=None)  # type: ignore[call-arg]


TEST_NOW = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)
""""Now" for the bot in tests: 2026年1月5日 09:30 in Beijing, ten days before the meetings the tests
hold (2026年1月15日), so their dates never turn "far in the past" as the real calendar moves on."""
FILL_STEPS = 200  # answers Chat.fill_until gives before it calls the conversation stuck
TEST_TODAY = TEST_NOW.astimezone(ZoneInfo("Asia/Shanghai")).date()


def start_bot(
    settings: Settings, api: InProcessBotApi, *, now: datetime = TEST_NOW
) -> AbstractAsyncContextManager[BotHarness]:
    """A fresh Application (as after a process restart) on the given database and Bot API, its
    clock standing at ``now``."""
    application = build_offline_application(settings, api)
    services_of(application).clock = lambda: now
    return BotHarness(api, application)


Flow = Callable[..., Awaitable[list[Outgoing]]]


class Killed(Exception):
    """The process dying: nothing after this point of the update happens."""


def killed_after_commit(flow: Flow) -> Flow:
    """``flow`` as the bot runs it, but the process dies right after the update's commit: none of
    the work left for after it is done, and nothing is sent."""

    def killed(_: Reply) -> None:
        raise Killed

    async def run(*args: Any) -> list[Outgoing]:
        replies = await flow(*args)
        for reply in replies:
            if isinstance(reply, Reply):
                reply.later.insert(0, killed)
        return replies

    return run


def killed_before_then(flow: Flow) -> Flow:
    """``flow`` as the bot runs it, but the process dies after the update's commit and the work left
    for after it, before the short second transaction (``Reply.then``) that stores what it found."""

    async def killed(*_: object) -> None:
        raise Killed

    async def run(*args: Any) -> list[Outgoing]:
        replies = await flow(*args)
        for reply in replies:
            if isinstance(reply, Reply) and reply.then is not None:
                reply.then = killed
        return replies

    return run


class Chat:
    """One user's view of the conversation, in the terms a tester would use."""

    def __init__(self, harness: BotHarness, user_id: int = 4242) -> None:
        self.harness = harness
        self.api = harness.api
        self.user_id = user_id

    async def say(self, text: str) -> str:
        return _joined(await self.harness.say(self.user_id, text))

    async def press(self, label: str) -> str:
        return _joined(await self.harness.press(self.user_id, label))

    async def edit(self, message_id: int, text: str) -> str:
        return _joined(await self.harness.edit(self.user_id, message_id, text))

    async def meeting_date(self, text: str) -> str:
        """Send the meeting date, confirming it when the bot asks back about a far-off one."""
        reply = await self.say(text)
        confirm = next((label for label in self.labels() if label.startswith("确认：")), None)
        return await self.press(confirm) if "请确认会议日期" in reply and confirm else reply

    async def write_measures(
        self,
        kind: str,
        measures: Sequence[str],
        *,
        identity: Sequence[str | None] = (None, None, None),
        theme: str = "通用组织生活会（4个方面）",
        meeting: str = "2026年1月15日",
    ) -> list[int]:
        """A new material of ``kind`` (its button) on ``theme``, its set-up questions answered by
        ``identity`` in turn (None: 跳过), every part filled with samples up to the measures, each of
        ``measures`` sent as a message of its own (their message ids returned), and the part
        finished: the draft is at its deadlines step."""
        await self.say("/new")
        await self.press(kind)
        await self.press(theme)
        await self.meeting_date(meeting)
        for answer in identity:
            await (self.press("跳过") if answer is None else self.say(answer))
        await self.fill_until(lambda c: "本部分填写完毕" in c.labels() and "努力方向" in c.last_text())
        sent = []
        for measure in measures:
            await self.say(measure)
            sent.append(self.last_user_message_id())
        await self.press("本部分填写完毕")
        return sent

    async def on_first_measure(self, action: str) -> str:
        """From /deadlines, open the first measure listed and press ``action`` (已完成, 申请延期…)."""
        await self.say("/deadlines")
        await self.press("1. 办理")
        return await self.press(action)

    async def full_text(self) -> str:
        """Every page of 查看全文, pressed from the overview: the material as the file has it."""
        seen = await self.press("查看全文")
        while "下一页" in self.labels():
            seen += await self.press("下一页")
        return seen

    def last_text(self) -> str:
        message = self.api.last_bot_message(self.user_id)
        assert message is not None
        return str(message.get("text", ""))

    def labels(self) -> list[str]:
        message = self.api.last_bot_message(self.user_id)
        assert message is not None
        return [b.label for row in self.api.buttons(message) for b in row]

    async def fill_until(self, reached: Callable[[Chat], bool]) -> None:
        """Answer every step with a plain sample until ``reached``; optional sections are skipped, a
        far-off meeting date is confirmed. A conversation that goes round in circles fails the test."""
        for _ in range(FILL_STEPS):
            if reached(self):
                return
            labels = self.labels()
            finish = next((label for label in labels if label.endswith("填写完毕")), None)
            confirm = next((label for label in labels if label.startswith("确认：")), None)
            if confirm is not None:
                await self.press(confirm)
            elif "删去本部分内容" in labels:  # an optional part written before (pre-filled): kept
                await self.press("保持不变，下一步")
            elif "跳过本部分" in labels:
                await self.press("跳过本部分")
            elif COMMITTEE_QUESTION in self.last_text():  # a 党支部班子's 责任人
                await self.say(COMMITTEE_EXAMPLE)
            elif "稍后再设" in labels:
                await self.say("长期坚持，每季度回顾")
            elif finish is not None:
                await self.say("学习不够深入。今年只参加集中学习2次，自学笔记不到10篇。")
                await self.press(finish)
            else:
                await self.say("按照支部通知要求，对照检查如下：")
        raise AssertionError(f"not reached after {FILL_STEPS} answers; last: {self.last_text()[:200]}")

    def last_user_message_id(self) -> int:
        entries = [e for e in self.api.transcript if e.direction == "user" and e.chat_id == self.user_id]
        assert entries[-1].message_id is not None
        return entries[-1].message_id


def _joined(entries: list[TranscriptEntry]) -> str:
    return "\n".join(e.text or "" for e in entries if e.kind != "action")


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chat]:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        yield Chat(harness)

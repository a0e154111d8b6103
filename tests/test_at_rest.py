"""User-authored text at rest: every such column encrypted when keys are set, and after /forget
none of the user's text left in the SQLite file's bytes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from docx import Document as new_docx
from pydantic import SecretStr
from sqlalchemy import JSON, String, Text, text
from sqlalchemy.engine import make_url

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from storage import crypto
from storage.crypto import EncryptedJSON, EncryptedText
from storage.db import Database
from storage.models import PLAIN_TEXT_COLUMNS, Base
from tests.conftest import Chat, start_bot
from tests.test_followup import MEETING

NAME, UNIT, POST = "暗号姓名甲", "暗号单位乙", "暗号职务丙"
ANSWER = "暗号问题丁：理论学习不够系统，今年只参加集中学习2次。"
MEASURE = "暗号措施戊：每周自学不少于4小时，形成读书笔记。"
DEADLINE = "暗号己，2026年9月底前完成整改"
UPLOAD_NAME, UPLOADED = "暗号文件庚.docx", "一、存在的主要问题\n（一）学习方面\n暗号上传辛，学习不够深入。"
MARKERS = [NAME, UNIT, POST, ANSWER, MEASURE, DEADLINE, UPLOAD_NAME, "暗号上传辛"]


def test_every_text_column_is_encrypted_or_classified_as_holding_no_user_text() -> None:
    encrypted, unclassified = set(), []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if isinstance(column.type, EncryptedText | EncryptedJSON):
                encrypted.add(name)
            elif isinstance(column.type, String | Text | JSON) and name not in PLAIN_TEXT_COLUMNS:
                unclassified.append(name)
    assert not unclassified, (
        f"classify these in storage.models.PLAIN_TEXT_COLUMNS or encrypt them: {unclassified}"
    )
    assert not encrypted & set(PLAIN_TEXT_COLUMNS)
    every = {f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns}
    assert set(PLAIN_TEXT_COLUMNS) <= every, "a classified column no longer exists"
    assert {
        "measures.deadline_text",
        "measures.owner",
        "drafts.meta",
        "drafts.aspects",
        "uploads.filename",
    } <= encrypted


@pytest.fixture(autouse=True)
def _plain_text_afterwards() -> Iterator[None]:
    yield
    crypto.configure([])  # the cipher is process-wide; leave other tests unencrypted


def _file_bytes(settings: Settings) -> bytes:
    database = Path(str(make_url(settings.effective_database_url).database))
    return b"".join(
        p.read_bytes() for p in (database, database.with_name(database.name + "-wal")) if p.exists()
    )


def _found(settings: Settings) -> list[str]:
    raw = _file_bytes(settings)
    return [marker for marker in MARKERS if marker.encode() in raw]


async def _journey(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.say(MEETING)
    for answer in (NAME, UNIT, POST):
        await chat.say(answer)
    await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "问题" in c.last_text())
    await chat.say(ANSWER)
    await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "努力方向" in c.last_text())
    await chat.say(MEASURE)
    await chat.press("本部分填写完毕")
    await chat.say(DEADLINE)
    document = new_docx()
    for line in UPLOADED.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    await chat.harness.upload(chat.user_id, UPLOAD_NAME, buffer.getvalue(), "application/msword")


def _sqlite_only(settings: Settings) -> None:
    if not settings.effective_database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file's bytes; PostgreSQL's story (VACUUM, backups) is in SECURITY.md")


async def test_forget_leaves_none_of_the_users_text_in_the_database_file(settings: Settings) -> None:
    _sqlite_only(settings)
    async with start_bot(settings, InProcessBotApi()) as harness:
        chat = Chat(harness)
        await _journey(chat)
        assert _found(settings) == MARKERS  # stored in plain text (no keys), so the check can see it
        await chat.say("/forget")
        assert "已删除" in await chat.press("确认全部删除")
    assert _found(settings) == []
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:  # explicit: some SQLite builds default to off
        assert (await session.execute(text("PRAGMA secure_delete"))).scalar() == 1
    await db.dispose()


async def test_with_keys_no_user_text_is_stored_in_clear(settings: Settings) -> None:
    _sqlite_only(settings)
    settings = settings.model_copy(update={"encryption_keys": [SecretStr(Fernet.generate_key().decode())]})
    async with start_bot(settings, InProcessBotApi()) as harness:
        chat = Chat(harness)
        await _journey(chat)
        await chat.say("/report")
        await chat.press("Word（公文格式）")
        document = chat.api.documents(chat.user_id)[-1]
        assert MEASURE in "\n".join(p.text for p in new_docx(io.BytesIO(document.data)).paragraphs)
    assert _found(settings) == []

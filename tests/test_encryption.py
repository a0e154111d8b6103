"""Encryption at rest: the database holds no plaintext answer, and the bot works unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from docx import Document as open_docx
from sqlalchemy import text

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from storage import crypto
from storage.db import Database
from storage.repo import reencrypt_all
from tests.conftest import Chat, start_bot
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025

SECRET_ITEM = "理论学习不够系统。今年3月专题学习我缺席2次。"


@pytest.fixture(autouse=True)
def _plain_text_afterwards() -> Iterator[None]:
    yield
    crypto.configure([])  # the cipher is process-wide; leave other tests unencrypted


def _settings(database_url: str, tmp_path: Path, *keys: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, data_dir=tmp_path, encryption_keys=list(keys))  # type: ignore[call-arg]


async def _raw_texts(url: str) -> list[str]:
    db = Database(url)
    async with db.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT text FROM answers ORDER BY id"))).scalars().all()
    await db.dispose()
    return list(rows)


async def test_answers_are_stored_encrypted_and_read_back(database_url: str, tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    settings = _settings(database_url, tmp_path, key)
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await _setup_personal_2025(chat)
        await chat.say(PREAMBLE)
        await chat.press("跳过本部分")
        await chat.say(SECRET_ITEM)
        raw = await _raw_texts(database_url)
        assert raw and all(value.startswith("gAAAAA") for value in raw)
        assert not any("理论学习" in value or "按照县委" in value for value in raw)
        await chat.say("/report")
        reply = await chat.press("Word（公文格式）")
        assert "必须修改" in reply  # half written: the required sections are missing
        await chat.press("仍然生成")
        paragraphs = [
            p.text for p in open_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data)).paragraphs
        ]
        assert PREAMBLE in paragraphs and any(SECRET_ITEM in p for p in paragraphs)


async def test_keys_rotate_and_plaintext_rows_stay_readable(database_url: str, tmp_path: Path) -> None:
    api = InProcessBotApi()
    async with start_bot(_settings(database_url, tmp_path), api) as harness:  # no keys yet
        chat = Chat(harness)
        await _setup_personal_2025(chat)
        await chat.say(PREAMBLE)
    assert await _raw_texts(database_url) == [PREAMBLE]

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    crypto.configure([old])
    db = Database(database_url)
    async with db.transaction() as session:
        assert (
            await reencrypt_all(session) == 3
        )  # the answer; the draft (name, unit, aspects); its member row
    assert Fernet(old.encode()).decrypt((await _raw_texts(database_url))[0].encode()).decode() == PREAMBLE

    crypto.configure([new, old])  # rotation: the new key first, the old one kept until re-encrypted
    async with db.transaction() as session:
        await reencrypt_all(session)
    await db.dispose()
    token = (await _raw_texts(database_url))[0]
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == PREAMBLE

    async with start_bot(_settings(database_url, tmp_path, new), api) as harness:
        reply = await Chat(harness).say("/status")
        assert "导语：" in reply  # the bot reads the rotated rows with the new key alone

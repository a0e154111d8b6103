"""Every log record of a whole conversation, as any handler would receive it, holds no token and no
user text: scrubbing happens when a record is made, not in the one handler the bot installs."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from docx import Document as new_docx
from pydantic import SecretStr

from bot.botapi import InProcessBotApi
from bot.flows import setup
from bot.settings import Settings
from tests.conftest import Chat, start_bot

TOKEN = "987654:AAHsecretTOKENvalue-for_logs"
SECRET_PART = TOKEN.split(":")[1]
ANSWERS = [
    "按照县委通知要求暗号甲一，现将个人对照检查情况报告如下：",
    "理论学习暗号乙二不够系统，今年只参加集中学习2次。",
    "暗号丙三调研不深入，只听汇报不看现场。",
]
UPLOADED = "一、存在的主要问题\n（一）学习方面\n学习不够深入暗号丁四，今年只参加集中学习2次。"
FORGED = "fu:open:²暗号戊五"
DATE_WITH_SECRET = "2026年1月15日暗号己六"


@pytest.fixture
def every_logger_at_debug() -> Iterator[None]:
    """The worst case: every library at DEBUG, PTB's request and update dumps included."""
    loggers = [logging.getLogger(name) for name in ("", "telegram", "httpx", "httpcore", "duizhao")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _failing_read_date(text: str) -> None:
    raise ValueError(f"invalid literal for int() with base 10: {text!r}")  # as int('²') once did


async def test_a_full_journey_logs_neither_the_token_nor_any_user_text(
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    every_logger_at_debug: None,
) -> None:
    settings = settings.model_copy(update={"bot_token": SecretStr(TOKEN)})
    api = InProcessBotApi(TOKEN)
    caplog.set_level(logging.DEBUG)
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await chat.say("/start")
        await chat.say("/new")
        await chat.press("个人对照检查材料")
        await chat.press("2025年度民主生活会（5个方面）")
        with monkeypatch.context() as patched:
            patched.setattr(setup, "read_date", _failing_read_date)
            assert "出了点问题" in await chat.say(DATE_WITH_SECRET)
        await chat.say("2026年1月15日")
        for _ in range(3):
            await chat.press("跳过")
        for answer in ANSWERS:
            await chat.say(answer)
        await chat.harness.forge(chat.user_id, FORGED)
        await chat.say("/check")
        document = new_docx()
        for line in UPLOADED.splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        await chat.harness.upload(chat.user_id, "暗号庚七.docx", buffer.getvalue(), "application/msword")
        await chat.press("规范排版（生成Word）")

    formatter = logging.Formatter("%(name)s %(message)s")
    logged = [formatter.format(record) for record in caplog.records]
    assert len(logged) > 50 and any(line.startswith("telegram") for line in logged)  # PTB did log
    assert any("(message withheld)" in line for line in logged)  # the failure above, scrubbed
    leaks = [line for line in logged if SECRET_PART in line or "暗号" in line]
    assert not leaks, leaks[:3]

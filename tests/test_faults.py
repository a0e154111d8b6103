"""A whole conversation with a fifth of the Bot API calls failing ends in the same material."""

from __future__ import annotations

import io
from itertools import groupby

import pytest
from docx import Document as open_docx

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers import common
from tests.conftest import Chat, start_bot
from tests.test_access import unlimited
from tests.test_followup import _draft_with_deadlines

settings = unlimited
CLEAN, FAULTY = 8101, 8102
METHODS = ("sendMessage", "sendDocument", "answerCallbackQuery")


async def _conversation(chat: Chat) -> tuple[list[str], list[str]]:
    """The scripted conversation; returns what the user saw and the final Word document's text."""
    await chat.say("/start")
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    seen = [str(m.get("text") or m.get("caption") or "") for m in chat.api.bot_messages(chat.user_id)]
    document = chat.api.documents(chat.user_id)[-1]
    return seen, [p.text for p in open_docx(io.BytesIO(document.data)).paragraphs]


async def test_a_conversation_survives_flood_control_5xx_and_lost_responses(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "MAX_WAIT_SECONDS", 0.0)  # honour RetryAfter without the wait
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        clean_seen, clean_document = await _conversation(Chat(harness, CLEAN))
        faults = api.inject_faults(0.2, seed=7, methods=METHODS)
        faulty_seen, faulty_document = await _conversation(Chat(harness, FAULTY))

    assert {code for _, code in faults} == {"429", "502", "504"} and len(faults) >= 10
    assert faulty_document == clean_document
    # A lost response (504 after delivery) may repeat a message right after itself; nothing else differs.
    assert [text for text, _ in groupby(faulty_seen)] == clean_seen

"""Arbitrary text never crashes the parsers, and never loses or alters an answer already stored."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.deadlines.parse import Deadline, DeadlineProblem, parse_deadline
from bot.parsing import parse_text
from bot.settings import Settings
from handlers.common import TOO_FAST
from storage.db import Database
from storage.models import Answer
from tests.conftest import Chat
from tests.test_access import unlimited

settings = unlimited
# Everything a client can send: controls, zero-width and direction marks, CJK, emoji, markup.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300) | st.from_regex(
    r"[一二三四五六七八九十0-9（）()、.．。\n<>&/\u200b\u202e\x00-\x1f]{0,80}", fullmatch=True
)
MEETING = date(2026, 1, 15)


@given(ANY_TEXT)
def test_the_parser_takes_any_text(text: str) -> None:
    result = parse_text(text)
    assert isinstance(result.text, str)


@given(ANY_TEXT)
def test_the_deadline_parser_takes_any_text(text: str) -> None:
    parsed = parse_deadline(text, meeting=MEETING, today=MEETING)
    assert isinstance(parsed, Deadline | DeadlineProblem)


async def _answers(settings: Settings) -> list[tuple[int, str]]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = (await session.execute(select(Answer.id, Answer.text).order_by(Answer.id))).all()
    await db.dispose()
    return [(i, t) for i, t in rows]


@hypothesis_settings(max_examples=1, suppress_health_check=list(HealthCheck), deadline=None)
@given(texts=st.lists(ANY_TEXT, min_size=25, max_size=25))
def test_texts_for_the_test_below(texts: list[str]) -> None:
    """Draws one list of hostile texts (hypothesis does not drive async fixtures directly)."""
    _HOSTILE.extend(texts)


_HOSTILE: list[str] = []


async def test_any_text_in_the_conversation_keeps_what_was_stored(chat: Chat, settings: Settings) -> None:
    if not _HOSTILE:
        test_texts_for_the_test_below()
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照县委通知要求，现将个人对照检查情况报告如下：")
    stored = await _answers(settings)
    assert stored
    for text in _HOSTILE:
        reply = await chat.say(text if text.strip() else "。")  # Telegram refuses a blank message
        assert "出了点问题" not in reply and TOO_FAST not in reply
        now = await _answers(settings)
        assert now[: len(stored)] == stored  # new answers may come; none earlier changes or goes
        stored = now

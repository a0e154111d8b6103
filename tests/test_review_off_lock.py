"""A review of the whole material is worked out after the update's transaction, so it holds no lock.

/check, the verdict when a draft is completed and a dismissal review the draft as read in the
update's transaction, after it committed and off the event loop; a dismissal is then stored in a
short transaction of its own that checks the draft is still what was reviewed.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.draftview import DraftView
from bot.flows import review
from bot.settings import Settings
from bot.steps import Step
from storage.db import Database
from storage.models import Answer, Dismissal
from tests.conftest import Chat
from tests.test_review_chat import _to_preamble
from tests.test_webhook import (
    WebhookBotApi,
    answer_text,
    bot_texts,
    problem_rows,
    reach_problems,
    webhook_instance,
)

WAIT = 20.0  # a deadline, not a delay


async def test_another_user_is_answered_while_a_check_is_being_worked_out(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviewing, finish = threading.Event(), threading.Event()
    whole = review.review_draft

    def held(view: DraftView, dismissed: set[str], focus: Step | None = None, **more: Any) -> object:
        if focus is None:  # the whole material, as /check reviews it
            reviewing.set()
            finish.wait(WAIT)
        return whole(view, dismissed, focus, **more)

    monkeypatch.setattr(review, "review_draft", held)
    api = WebhookBotApi()
    checker, other = 7001, 7002
    async with webhook_instance(settings, api) as instance:
        for user in (checker, other):
            await reach_problems([instance], api, user)
        checking = asyncio.create_task(instance.deliver(api.send_text(checker, "/check")))
        assert await asyncio.to_thread(reviewing.wait, WAIT)
        # The checker's review is still running; the other user's answer neither waits for it
        # (no lock held: on SQLite that would be every writer's) nor for the event loop.
        response = await instance.deliver(api.send_text(other, answer_text(other, 0)))
        assert response.status_code == 200 and not checking.done()
        finish.set()
        assert (await checking).status_code == 200
    assert await problem_rows(settings.effective_database_url, other) == [(0, answer_text(other, 0))]
    assert any("已记下" in text for text in bot_texts(api, other))
    assert any("还没写到" in text for text in bot_texts(api, checker))  # the /check reply came


async def _edit_preamble(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            answer = (await session.scalars(select(Answer).where(Answer.section == "preamble"))).one()
            answer.text += "（已修改）"
    finally:
        await db.dispose()


async def test_a_dismissal_is_not_stored_when_the_draft_changed_while_it_was_reviewed(
    chat: Chat, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _to_preamble(chat)
    await chat.say("根据XX县委要求，现将个人对照检查情况报告如下：")
    await chat.say("/check")
    label = next(label for label in chat.labels() if label.startswith("忽略：“XX”"))

    loop = asyncio.get_running_loop()
    whole = review.review_draft

    def edited_meanwhile(
        view: DraftView, dismissed: set[str], focus: Step | None = None, **more: Any
    ) -> object:
        if focus is None:  # another update (here: another instance) changes the draft meanwhile
            asyncio.run_coroutine_threadsafe(_edit_preamble(settings.effective_database_url), loop).result(
                WAIT
            )
        return whole(view, dismissed, focus, **more)

    with monkeypatch.context() as patched:
        patched.setattr(review, "review_draft", edited_meanwhile)
        reply = await chat.press(label)
    assert review.CHANGED in reply
    db = Database(settings.effective_database_url)
    try:
        async with db.transaction() as session:
            assert (await session.scalars(select(Dismissal))).all() == []
    finally:
        await db.dispose()

    await chat.say("/check")  # reviewed again, the same finding can be dismissed
    reply = await chat.press(next(label for label in chat.labels() if label.startswith("忽略：“XX”")))
    assert "已忽略" in reply
    assert "（已忽略）" in await chat.say("/check")

"""Two bot instances on one database, as ``deploy/compose.yaml`` runs them behind one proxy.

Each instance is a separate Application with its own engine and connection pool, so the only
thing they share is the database: the dedupe row decides which instance applies a redelivered
update, and the user row lock orders one user's updates wherever they land. On PostgreSQL this is
the production set-up; on SQLite, ``BEGIN IMMEDIATE`` gives the same guarantees with one writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from tests.test_webhook import (
    Instance,
    WebhookBotApi,
    answer_text,
    bot_texts,
    problem_rows,
    processed_count,
    reach_problems,
    say,
    stored_problems,
    webhook_instance,
)

USERS = [5001, 5002, 5003, 5004]
SORRY = "抱歉"


@pytest.fixture
async def pair(settings: Settings) -> AsyncIterator[tuple[WebhookBotApi, list[Instance]]]:
    api = WebhookBotApi()
    async with webhook_instance(settings, api) as first, webhook_instance(settings, api) as second:
        yield api, [first, second]


async def test_the_same_update_delivered_to_both_instances_at_once_is_applied_once(
    pair: tuple[WebhookBotApi, list[Instance]], settings: Settings
) -> None:
    api, instances = pair
    user = USERS[0]
    await reach_problems(instances, api, user)
    before, shown = await processed_count(settings.effective_database_url), len(bot_texts(api, user))
    rounds = 10
    for number in range(rounds):
        update = api.send_text(user, answer_text(user, number))
        responses = await asyncio.gather(*(instance.deliver(update) for instance in instances))
        assert [response.status_code for response in responses] == [200, 200]

    assert await stored_problems(settings.effective_database_url, user) == [
        answer_text(user, number) for number in range(rounds)
    ]
    assert await processed_count(settings.effective_database_url) == before + rounds
    replies = bot_texts(api, user)[shown:]
    # per update, one instance acknowledged the answer and the other re-showed the current step
    assert len(replies) == 2 * rounds
    assert sum(text.startswith("已记下") for text in replies) == rounds
    assert not any(SORRY in text for text in replies)


async def test_one_users_updates_alternating_between_instances_keep_every_answer_in_order(
    pair: tuple[WebhookBotApi, list[Instance]], settings: Settings
) -> None:
    api, instances = pair
    answers = 12

    async def user_session(user: int) -> None:
        await reach_problems(instances, api, user)
        for number in range(answers):
            await say(instances[(number + user) % 2], api, user, answer_text(user, number))

    await asyncio.gather(*(user_session(user) for user in USERS))  # users at once, each one in turn
    for user in USERS:
        stored = await stored_problems(settings.effective_database_url, user)
        assert stored == [answer_text(user, number) for number in range(answers)]
        assert not any(SORRY in text for text in bot_texts(api, user))


async def test_one_users_answers_arriving_at_both_instances_at_once_are_all_kept(
    pair: tuple[WebhookBotApi, list[Instance]], settings: Settings
) -> None:
    api, instances = pair
    user = USERS[0]
    await reach_problems(instances, api, user)
    rounds = 8
    for number in range(0, 2 * rounds, 2):
        first, second = (api.send_text(user, answer_text(user, n)) for n in (number, number + 1))
        responses = await asyncio.gather(instances[0].deliver(first), instances[1].deliver(second))
        assert [response.status_code for response in responses] == [200, 200]

    rows = await problem_rows(settings.effective_database_url, user)
    # Both writers' items are there, each in a place of its own (a writer that had not waited for
    # the other would have numbered its item from a stale count); which of a pair is first is open.
    assert sorted(text for _, text in rows) == [answer_text(user, number) for number in range(2 * rounds)]
    assert [position for position, _ in rows] == list(range(2 * rounds))
    assert not any(SORRY in text for text in bot_texts(api, user))

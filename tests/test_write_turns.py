"""On SQLite the process's transactions take turns in arrival order (``Database._turn``).

Without the queue, writers that found the file locked slept in SQLite's busy handler and retried,
and whoever retried first after the lock came free won: under load a few users lost again and
again (a 2 s wait while the median was 70 ms, ``bench.contention``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot import outage
from storage import db as db_module
from storage import repo
from storage.db import Database

WRITERS = 8


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    if not db_module.is_sqlite(database_url):
        pytest.skip("SQLite only: PostgreSQL orders one user's updates by row locks, not turns")
    found = Database(database_url)
    yield found
    await found.dispose()


async def _write(database: Database, update_id: int, entered: list[int]) -> None:
    async with database.transaction() as session:
        await repo.claim_update(session, update_id, None)  # BEGIN IMMEDIATE: the lock is ours
        entered.append(update_id)


@asynccontextmanager
async def _held(database: Database) -> AsyncIterator[None]:
    """Another writer's transaction, open until the block ends."""
    release, holding = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with database.transaction() as session:
            await repo.claim_update(session, 1, None)
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await holding.wait()
    try:
        yield
    finally:
        release.set()
        await holder


async def test_a_writer_that_has_been_waiting_goes_before_one_that_comes_when_the_lock_is_free(
    database: Database,
) -> None:
    entered: list[int] = []
    async with _held(database):
        waiting = asyncio.create_task(_write(database, 2, entered))
        await asyncio.sleep(0.1)  # long enough for SQLite's busy handler to sleep in long steps
    await _write(database, 3, entered)  # arrives the moment the lock is free
    await waiting

    assert entered == [2, 3]


async def test_writers_waiting_for_a_busy_database_get_their_turn_in_the_order_they_came(
    database: Database,
) -> None:
    entered: list[int] = []
    async with _held(database):
        waiting = [asyncio.create_task(_write(database, n, entered)) for n in range(2, 2 + WRITERS)]
        await asyncio.sleep(0.05)
    await asyncio.gather(*waiting)

    assert entered == list(range(2, 2 + WRITERS))


async def test_a_writer_kept_waiting_past_the_busy_timeout_fails_as_an_outage(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "SQLITE_BUSY_MS", 100)
    async with _held(database):
        with pytest.raises(Exception) as failed:
            await _write(database, 2, [])

    assert outage.is_database_unavailable(failed.value)  # the user reads 系统繁忙, not an apology
    entered: list[int] = []
    await _write(database, 3, entered)  # the next writer is not stuck behind the one that gave up
    assert entered == [3]

"""Reminder dispatch at scale, on PostgreSQL (not a test).

1. 3,000 reminders due at once, dispatched by two dispatchers (two Applications, two engines)
   through the in-process Bot API with a configured global rate; prints the achieved rate,
   duplicates and losses. Targets: rate >= 90% of the configured one, no duplicates, no losses.
2. With one million pending reminder rows: the time of one claim query (target < 5 ms) and the
   bot's start-up time (build + initialise + migrations check) with and without those rows.

    .venv/bin/python -m bench.reminders [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bot.app import build_application
from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers.common import services_of
from handlers.followup import dispatch_once
from storage import reminders
from storage.db import Database, create_engine, upgrade_database
from storage.models import Answer, Draft, DraftMember, Measure, Reminder, User

USERS, MEASURES_PER_USER = 300, 10
RATE = 25.0


async def _admin(server: str, statement: str) -> None:
    dsn = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _seed(url: str, due: datetime) -> None:
    """USERS users, each with one draft of MEASURES_PER_USER open measures and one due reminder each."""
    db = Database(url)
    async with db.transaction() as session:
        await session.execute(insert(User), [{"id": u} for u in range(1, USERS + 1)])
        drafts = [
            {
                "id": u,
                "public_id": f"b{u}",
                "kind": "personal_dsh",
                "cursor": "summary",
                "meta": {},
                "aspects": [],
                "extra_matters": [],
                "completed": True,
                "version": 1,
                "theme_label": "2025年度",
            }
            for u in range(1, USERS + 1)
        ]
        await session.execute(insert(Draft), drafts)
        await session.execute(
            insert(DraftMember), [{"draft_id": u, "user_id": u, "role": "owner"} for u in range(1, USERS + 1)]
        )
        answers, measures, due_rows = [], [], []
        for u in range(1, USERS + 1):
            for n in range(MEASURES_PER_USER):
                ident = (u - 1) * MEASURES_PER_USER + n + 1
                answers.append(
                    {
                        "id": ident,
                        "draft_id": u,
                        "section": "measures",
                        "aspect": 0,
                        "position": n,
                        "text": f"第{n + 1}项整改措施：每月开展一次专题学习。",
                    }
                )
                measures.append(
                    {
                        "id": ident,
                        "draft_id": u,
                        "answer_id": ident,
                        "deadline_kind": "due",
                        "deadline_date": (due + timedelta(days=7)).date(),
                        "status": "推进中",
                    }
                )
                due_rows.append(
                    {
                        "user_id": u,
                        "measure_id": ident,
                        "kind": "before_due",
                        "key": "k",
                        "due_at": due,
                        "state": "pending",
                        "attempts": 0,
                    }
                )
        await session.execute(insert(Answer), answers)
        await session.execute(insert(Measure), measures)
        await session.execute(insert(Reminder), due_rows)
    await db.dispose()


async def _dispatcher(application: object, stop_at: float) -> int:
    from telegram.ext import Application

    assert isinstance(application, Application)
    sent = 0
    while time.monotonic() < stop_at:
        result = await dispatch_once(application.bot, services_of(application))
        sent += result.sent
        if not (result.sent or result.retried or result.failed or result.skipped):
            remaining = await _remaining(services_of(application).db)
            if remaining == 0:
                return sent
            await asyncio.sleep(0.02)
    return sent


async def _remaining(db: Database) -> int:
    async with db.transaction() as session:
        return int(
            (
                await session.execute(
                    text("SELECT count(*) FROM reminders WHERE state IN ('pending','sending')")
                )
            ).scalar_one()
        )


async def throughput(url: str) -> None:
    settings = Settings(_env_file=None, database_url=url, reminder_rate=RATE, reminder_batch=200)  # type: ignore[call-arg]
    await _seed(url, datetime.now(UTC) - timedelta(minutes=1))
    api = InProcessBotApi()
    for user in range(1, USERS + 1):
        api.send_text(user, "/start")  # the bot can write only to chats the user opened
    apps = [
        build_application(settings, request=api.request(), get_updates_request=api.request())
        for _ in range(2)
    ]
    for app in apps:
        await app.initialize()
    started = time.monotonic()
    counts = await asyncio.gather(*(_dispatcher(app, started + 600) for app in apps))
    elapsed = time.monotonic() - started
    for app in apps:
        await services_of(app).db.dispose()
        await app.shutdown()
    messages = [(user, m["text"]) for user in range(1, USERS + 1) for m in api.bot_messages(user)]
    per_reminder = Counter(messages)
    total = USERS * MEASURES_PER_USER
    delivered = len(per_reminder)
    duplicates = sum(c - 1 for c in per_reminder.values())
    print(
        f"dispatch   {total} reminders, two dispatchers: {sum(counts)} sent in {elapsed:.1f} s "
        f"({counts[0]} + {counts[1]})"
    )
    print(
        f"rate       {sum(counts) / elapsed:.1f} messages/s against a configured {RATE:.0f}/s "
        f"({sum(counts) / elapsed / RATE:.0%}; target >= 90%)"
    )
    print(f"integrity  duplicates {duplicates}, losses {total - delivered} (targets 0 and 0)")


async def claim_at_scale(url: str) -> None:
    # Seeding a million rows is a bulk load: no per-statement timeout (the claims below keep it).
    bulk = create_engine(url, timeouts=False)
    async with bulk.begin() as connection:
        await connection.execute(text("TRUNCATE reminders"))
        await connection.execute(
            text(
                "INSERT INTO reminders (user_id, measure_id, kind, key, due_at, state, attempts) "
                "SELECT 1 + (g % 300), NULL, 'digest', 'k' || g, "
                "now() + (g || ' seconds')::interval, 'pending', 0 "
                "FROM generate_series(1, 1000000) AS g"
            )
        )
    async with bulk.begin() as connection:
        await connection.execute(text("ANALYZE reminders"))
    await bulk.dispose()
    db = Database(url)
    timings = []
    for _ in range(20):
        async with db.transaction() as session:
            started = time.perf_counter()
            await reminders.claim_due(
                session, now=datetime.now(UTC), lease=timedelta(minutes=5), rate_per_second=RATE, batch=200
            )
            timings.append((time.perf_counter() - started) * 1000)
    await db.dispose()
    print(
        f"claim      with 1,000,000 pending rows: median {statistics.median(timings):.2f} ms, "
        f"max {max(timings):.2f} ms per claim (target < 5 ms)"
    )


async def startup_time(url: str) -> float:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    api = InProcessBotApi()
    started = time.perf_counter()
    app = build_application(settings, request=api.request(), get_updates_request=api.request())
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    elapsed = time.perf_counter() - started
    await services_of(app).db.dispose()
    await app.shutdown()
    return elapsed


async def main(server: str) -> None:
    name = f"duizhao_bench_{uuid.uuid4().hex[:8]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade_database, url)
        await startup_time(url)  # warm imports and caches, so both timings below are alike
        empty = await startup_time(url)
        await throughput(url)
        await claim_at_scale(url)
        full = await startup_time(url)
        print(
            f"start-up   {empty * 1000:.0f} ms with no reminders, {full * 1000:.0f} ms with 1,000,000 "
            f"({full / empty:.2f}x)"
        )
    finally:
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    asyncio.run(main(parser.parse_args().postgres))

"""Cost of one drafting step (answer + reply) against the floor of the same stack.

Both runs go through the real python-telegram-bot Application, the in-process Bot API and the
same SQLite database file; the floor's handler only stores the message text in one row and echoes
it. Prints throughput, p50/p99 per update and the ratio (target: drafting <= 1.5x the floor), what
a step spends beyond the floor (SQL statements per update, time in the per-answer review), then the
resident memory of a started bot (target: under 120 MB).

    .venv/bin/python bench/updates.py [--users 20] [--steps 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.floor import create_echo_table, echoed, floor_application
from bench.run_memory import started_run_rss_mb
from bot.app import build_application
from bot.botapi import BotHarness, InProcessBotApi
from bot.flows import review
from bot.settings import Settings
from handlers.common import services_of
from tests.test_webhook import TO_PROBLEMS

ANSWER = "理论学习不够系统。全年参加中心组学习12次，个人研讨发言仅2次，学用结合不紧。"


async def timed(call: Callable[[], Awaitable[object]], into: list[float]) -> None:
    started = time.perf_counter()
    await call()
    into.append(time.perf_counter() - started)


async def prepare_drafting_users(harness: BotHarness, users: int) -> None:
    """Bring every simulated user to the problems section (not measured)."""
    for user in range(1, users + 1):
        for action, value in TO_PROBLEMS:
            if action == "say":
                await harness.say(user, value)
            else:
                await harness.press(user, value)


def report(name: str, durations: list[float]) -> float:
    ordered = sorted(durations)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    rate = len(durations) / sum(durations)
    print(f"{name:<9} {len(durations)} updates  {rate:8.1f} updates/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    return statistics.mean(durations)


async def bench(users: int, steps: int, workdir: Path) -> None:
    """Drafting and floor steps alternate, so load on the machine affects both alike."""
    url = f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    settings = Settings(_env_file=None, database_url=url, data_dir=workdir)  # type: ignore[call-arg]
    api, floor_api = InProcessBotApi(), InProcessBotApi()
    drafting_app, floor_app = (
        build_application(
            settings,
            request=on.request(),
            get_updates_request=on.request(),
            update_processor=on.update_processor(),
        )
        for on in (api, floor_api)
    )
    floor_application(floor_app)
    db = services_of(floor_app).db
    statements = {"drafting": count_statements(drafting_app), "floor": count_statements(floor_app)}
    reviewing: list[float] = []
    review.step_findings = timed_call(review.step_findings, reviewing)  # type: ignore[assignment]
    drafting: list[float] = []
    floor: list[float] = []
    async with BotHarness(api, drafting_app) as drafting_bot:
        await create_echo_table(db)
        async with BotHarness(floor_api, floor_app) as floor_bot:
            await prepare_drafting_users(drafting_bot, users)
            # One unmeasured answer loads what the review loads lazily on its first problem item,
            # so the run measures the steady state a long-running bot is in.
            await drafting_bot.say(1, ANSWER)
            for counter in [*statements.values(), reviewing]:
                counter.clear()
            for _ in range(steps):
                for user in range(1, users + 1):
                    await timed(lambda u=user: drafting_bot.say(u, ANSWER), drafting)  # type: ignore[misc]
                    await timed(lambda u=user: floor_bot.say(u, ANSWER), floor)  # type: ignore[misc]
            assert len(await echoed(db)) == len(floor), "the floor handler lost messages"

    ratio = report("drafting", drafting) / report("floor", floor)
    print(f"ratio     a drafting step costs {ratio:.2f}x the floor (target <= 1.50x)")
    per_update = {name: len(found) / len(floor) for name, found in statements.items()}
    print(
        f"step      SQL statements per update: drafting {per_update['drafting']:.1f}, "
        f"floor {per_update['floor']:.1f} (BEGIN and COMMIT on top of both); "
        f"per-answer review p50 {1000 * statistics.median(reviewing):.2f} ms "
        f"(max {1000 * max(reviewing):.2f} ms) of a drafting step's p50 "
        f"{1000 * statistics.median(drafting):.2f} ms"
    )


def count_statements(application: Any) -> list[str]:
    """The SQL statements the application's database runs from now on (first word of each)."""
    found: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        found.append(statement.split(None, 1)[0])

    event.listen(services_of(application).db.engine.sync_engine, "before_cursor_execute", record)
    return found


def timed_call(function: Callable[..., Any], into: list[float]) -> Callable[..., Any]:
    def measured(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - started)

    return measured


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(bench(args.users, args.steps, Path(workdir)))
    print(
        f"memory    resident memory of a started duizhao run: {started_run_rss_mb():.1f} MB (target < 120 MB)"
    )


if __name__ == "__main__":
    main()

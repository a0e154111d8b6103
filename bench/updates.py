"""Cost of one drafting step (answer + reply) against the floor of the same stack.

Both runs go through the real python-telegram-bot Application, the in-process Bot API and the
same SQLite database file; the floor's handler only stores the message text in one row and echoes
it. Prints throughput, p50/p99 per update and the ratio (target: drafting <= 1.5x the floor), what
a step spends beyond the floor (SQL statements per update, time in the per-answer review; and the
skeleton of a drafting step, which does only what any drafting step must: claim the update, read
the user with the draft and its answers, store the answer and reply with the step's buttons, and
the time the target leaves beyond it for the bot's own logic), then the resident memory of a
started bot (target: under 120 MB).

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
from typing import Any, TypeVar

from sqlalchemy import event, func, select
from telegram import Update
from telegram.ext import ContextTypes

from bench.floor import create_echo_table, echoed, floor_application, with_only
from bench.run_memory import started_run_rss_mb
from bot.app import BotApplication, build_application
from bot.botapi import BotHarness, InProcessBotApi
from bot.callbacks import Flow, encode
from bot.flows import review
from bot.labels import Label
from bot.replies import Button, Reply
from bot.settings import Settings
from handlers.common import send_outgoing, services_of
from storage import repo
from storage.db import Database
from storage.models import Answer
from tests.test_webhook import TO_PROBLEMS

ANSWER = "理论学习不够系统。全年参加中心组学习12次，个人研讨发言仅2次，学用结合不紧（第{n}条）。"
"""Numbered: the bot stores an item sent twice only once, which would be another step to measure."""
T = TypeVar("T")
TARGET = 1.5
"""A drafting step's cost as a multiple of the floor's, at most (issue #10)."""
SKELETON_USERS = 1000
"""Added to a user's id for the skeleton's users: drafted like the others, answered only by it."""
STEP_BUTTONS = (
    (Label.FINISH_ASPECT, Flow.SECTION, "done"),
    (Label.UNDO_LAST, Flow.SECTION, "undo"),
    (Label.MANAGE, Flow.SECTION, "manage"),
    (Label.EXAMPLE, Flow.SECTION, "example"),
    (Label.BACK, Flow.NAV, "back"),
)


async def timed(call: Callable[[], Awaitable[T]], into: list[float]) -> T:
    started = time.perf_counter()
    result = await call()
    into.append(time.perf_counter() - started)
    return result


def skeleton_application(application: BotApplication) -> BotApplication:
    """``application`` doing only what every drafting step must, through the bot's own storage and
    reply code: against it, the rest of a step (flow, per-answer review, prompt) is the bot's logic."""
    db = services_of(application).db

    async def store_and_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        assert message is not None and message.text is not None and user is not None
        async with db.transaction() as session:
            _, _, draft = await repo.begin_update(session, update.update_id, user.id)
            assert draft is not None
            at = len(draft.answers)
            repo.add_answer(
                draft, "problems", 1, at, message.text, author_id=user.id, source=None, is_measure=False
            )
            await session.flush()
        rows = [
            [Button(label, encode(flow, action, draft.public_id, "problems.1"))]
            for label, flow, action in STEP_BUTTONS
        ]
        prompt = Reply("已记下。继续发送下一条，或点“本方面填写完毕”。", rows)
        await send_outgoing(context.bot, message.chat_id, [prompt])

    return with_only(application, store_and_prompt)


async def prepare_drafting_users(harness: BotHarness, users: int, first: int = 1) -> None:
    """Bring every simulated user to the problems section (not measured)."""
    for user in range(first, first + users):
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
    api, floor_api, skeleton_api = InProcessBotApi(), InProcessBotApi(), InProcessBotApi()
    drafting_app, floor_app, skeleton_app = (
        build_application(
            settings,
            request=on.request(),
            get_updates_request=on.request(),
            update_processor=on.update_processor(),
        )
        for on in (api, floor_api, skeleton_api)
    )
    floor_application(floor_app)
    db = services_of(floor_app).db
    statements = {"drafting": count_statements(drafting_app), "floor": count_statements(floor_app)}
    reviewing: list[float] = []
    review.step_findings = timed_call(review.step_findings, reviewing)  # type: ignore[assignment]
    drafting: list[float] = []
    floor: list[float] = []
    skeleton: list[float] = []
    async with BotHarness(api, drafting_app) as drafting_bot:
        await create_echo_table(db)
        await prepare_drafting_users(drafting_bot, users)
        await prepare_drafting_users(drafting_bot, users, first=SKELETON_USERS + 1)
        skeleton_application(skeleton_app)
        floor_run, skeleton_run = BotHarness(floor_api, floor_app), BotHarness(skeleton_api, skeleton_app)
        async with floor_run as floor_bot, skeleton_run as skeleton_bot:
            # One unmeasured answer loads what the review loads lazily on its first problem item,
            # so the run measures the steady state a long-running bot is in.
            await drafting_bot.say(1, ANSWER.format(n=0))
            for counter in [*statements.values(), reviewing]:
                counter.clear()
            for step in range(1, steps + 1):
                text = ANSWER.format(n=step)
                for user in range(1, users + 1):
                    await timed(lambda u=user, t=text: drafting_bot.say(u, t), drafting)  # type: ignore[misc]
                    await timed(lambda u=user, t=text: floor_bot.say(u, t), floor)  # type: ignore[misc]
                    prompt = await timed(
                        lambda u=user, t=text: skeleton_bot.say(SKELETON_USERS + u, t), skeleton
                    )  # type: ignore[misc]
                    assert prompt, "the skeleton sent no prompt"
            assert len(await echoed(db)) == len(floor), "the floor handler lost messages"
            assert await stored_items(db, users) == len(drafting) + 1, "a drafting step stored no item"

    base = report("floor", floor)
    ratio = report("drafting", drafting) / base
    bare = report("skeleton", skeleton) / base
    print(f"ratio     a drafting step costs {ratio:.2f}x the floor (target <= {TARGET:.2f}x)")
    print(
        f"skeleton  claiming the update, reading the draft, storing the answer and replying with the "
        f"step's buttons cost {bare:.2f}x the floor; the bot's logic (flow, review, prompt) the other "
        f"{ratio - bare:.2f}x"
    )
    left = (TARGET - bare) * base * 1000
    print(
        f"budget    at {TARGET:.2f}x the floor, {left:.2f} ms per step are left beyond the skeleton for "
        f"the bot's logic, which takes {(ratio - bare) * base * 1000:.2f} ms"
    )
    per_update = {name: len(found) / len(floor) for name, found in statements.items()}
    print(
        f"step      SQL statements per update: drafting {per_update['drafting']:.1f}, "
        f"floor {per_update['floor']:.1f} (BEGIN and COMMIT on top of both); "
        f"per-answer review p50 {1000 * statistics.median(reviewing):.2f} ms "
        f"(max {1000 * max(reviewing):.2f} ms) of a drafting step's p50 "
        f"{1000 * statistics.median(drafting):.2f} ms"
    )


async def stored_items(db: Database, users: int) -> int:
    """How many problem items the drafting users have stored."""
    async with db.transaction() as session:
        found = select(func.count()).where(Answer.section == "problems", Answer.author_id <= users)
        return int(await session.scalar(found) or 0)


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

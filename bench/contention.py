"""Drafting users' reply latency while other users export and upload, against drafting alone.

Twenty users answer the problems step while five others keep asking for their material as Word
(/report → Word), uploading a long .docx and having it reformatted (规范排版). Everything goes
through one webhook instance, i.e. the PTB Application with concurrent updates that
``duizhao run --webhook`` runs, on one SQLite file (or ``--database-url``). Each run gets a fresh
database. Prints the drafting users' p50/p99 alone and under load and the ratio of the p99s
(target: at most 1.5x). The pair of runs is repeated (``--repeat``, default 3) and the median ratio
is the result: the p99 of a few hundred replies on a shared machine varies from run to run.

Then one user sends a long .docx again and again (each read, parsed and reviewed in the worker)
while another sends /help: his p99 then against /help alone (target: under 100 ms, issue #11; the
test only checks that he is answered throughout).

    PYTHONPATH=. .venv/bin/python bench/contention.py [--users 20] [--heavy 5] [--answers 15] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot.settings import Settings
from tests.test_uploads import long_docx
from tests.test_webhook import TO_PROBLEMS, Instance, WebhookBotApi, webhook_instance

ANSWER = "理论学习不够系统。全年参加中心组学习12次，个人研讨发言仅2次，学用结合不紧（第{n}条）。"


BUSY: list[float] = []
"""Updates answered 503 (database busy): delivered again a second later, as Telegram would."""


async def _deliver(instance: Instance, update: dict[str, object]) -> float:
    """Seconds until the update was handled, redeliveries after a 503 included."""
    started = time.perf_counter()
    while (response := await instance.deliver(update)).status_code == 503:
        BUSY.append(time.perf_counter() - started)
        await asyncio.sleep(1)
    if response.status_code != 200:
        raise RuntimeError(f"webhook answered {response.status_code}")
    return time.perf_counter() - started


async def _to_problems(instance: Instance, api: WebhookBotApi, user: int) -> None:
    for action, value in TO_PROBLEMS:
        update = api.send_text(user, value) if action == "say" else api.press_button(user, value)
        await _deliver(instance, update)


async def _drafting(instance: Instance, api: WebhookBotApi, user: int, answers: int) -> list[float]:
    return [await _deliver(instance, api.send_text(user, ANSWER.format(n=n))) for n in range(answers)]


async def _heavy(
    instance: Instance, api: WebhookBotApi, user: int, upload: bytes, stop: asyncio.Event
) -> int:
    """/report → Word, then an upload reformatted, until ``stop``; returns how many rounds ran."""
    rounds = 0
    while not stop.is_set():
        await _deliver(instance, api.send_text(user, "/report"))
        await _deliver(instance, api.press_button(user, "Word（公文格式）"))
        await _deliver(instance, api.upload_document(user, "长材料.docx", upload, "application/msword"))
        await _deliver(instance, api.press_button(user, "规范排版（生成Word）"))
        rounds += 1
    return rounds


async def run(settings: Settings, users: int, heavy: int, answers: int) -> tuple[list[float], int, int]:
    api = WebhookBotApi()
    BUSY.clear()
    drafters = list(range(1, users + 1))
    loaders = list(range(1001, 1001 + heavy))
    upload = long_docx(3000)
    async with webhook_instance(settings, api, concurrency=users + heavy) as instance:
        instance.client.timeout = httpx.Timeout(120)  # measure slow replies rather than give up on them
        await asyncio.gather(*(_to_problems(instance, api, user) for user in drafters + loaders))
        # a material to export
        await asyncio.gather(*(_drafting(instance, api, user, 10) for user in loaders))
        stop = asyncio.Event()
        load = [asyncio.create_task(_heavy(instance, api, user, upload, stop)) for user in loaders]
        measured = await asyncio.gather(*(_drafting(instance, api, user, answers) for user in drafters))
        stop.set()
        rounds = sum(await asyncio.gather(*load))
    return [seconds for each in measured for seconds in each], rounds, len(BUSY)


async def while_reading(settings: Settings, replies: int) -> tuple[list[float], list[float], int]:
    """Another user's /help alone, then while a long .docx is read; and how many reads ran."""
    api = WebhookBotApi()
    uploader, other = 2001, 2002
    upload = long_docx(2500)

    async def helps(count: int | None, stop: asyncio.Task[int] | None = None) -> list[float]:
        found: list[float] = []
        while (count is not None and len(found) < count) or (stop is not None and not stop.done()):
            found.append(await _deliver(instance, api.send_text(other, "/help")))
        return found

    async def reads(count: int) -> int:
        for _ in range(count):
            await _deliver(
                instance, api.upload_document(uploader, "长材料.docx", upload, "application/msword")
            )
        return count

    async with webhook_instance(settings, api) as instance:
        await helps(5)  # warm-up
        alone = await helps(replies)
        reading = asyncio.create_task(reads(3))
        loaded = await helps(None, reading)
        return alone, loaded, await reading


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _settings(root: Path, name: str, database_url: str | None) -> Settings:
    url = database_url or f"sqlite+aiosqlite:///{root / name / 'bench.sqlite3'}"
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, data_dir=root / name, bot_token=None, rate_limit_burst=100_000
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--heavy", type=int, default=5)
    parser.add_argument("--answers", type=int, default=15)
    parser.add_argument("--database-url", help="a fresh PostgreSQL database per run is the caller's job")
    parser.add_argument(
        "--repeat", type=int, default=3, help="pairs of runs (alone, loaded); the median ratio is the result"
    )
    args = parser.parse_args()
    if args.database_url:
        args.repeat = 1  # each run needs a fresh database
    ratios = []
    for attempt in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            alone, _, busy_alone = await run(
                _settings(root, "alone", args.database_url), args.users, 0, args.answers
            )
            loaded, rounds, busy = await run(
                _settings(root, "loaded", args.database_url), args.users, args.heavy, args.answers
            )
        print(f"run {attempt}/{args.repeat}")
        for name, values in (
            ("  drafting alone", alone),
            (f"  with {args.heavy} exporting/uploading", loaded),
        ):
            print(
                f"{name:<34} n={len(values):>4}  p50={statistics.median(values) * 1000:7.1f} ms"
                f"  p99={_percentile(values, 0.99) * 1000:7.1f} ms"
            )
        print(f"  heavy rounds (/report Word + upload + 规范排版) during the loaded run: {rounds}")
        print(f"  updates answered 503 and redelivered: alone {busy_alone}, loaded {busy}")
        ratios.append(_percentile(loaded, 0.99) / _percentile(alone, 0.99))
        print(f"  p99 ratio loaded/alone: {ratios[-1]:.2f}x")
    print(
        f"p99 ratio loaded/alone, median of {len(ratios)} runs: {statistics.median(ratios):.2f}x "
        f"(target <= 1.5x; runs: {', '.join(f'{r:.2f}' for r in ratios)})"
    )

    with tempfile.TemporaryDirectory() as tmp:
        quiet, reading, reads = await while_reading(_settings(Path(tmp), "reading", args.database_url), 100)
    for name, values in (("/help alone", quiet), (f"/help while {reads} long .docx are read", reading)):
        print(
            f"{name:<32} n={len(values):>4}  p50={statistics.median(values) * 1000:7.1f} ms"
            f"  p99={_percentile(values, 0.99) * 1000:7.1f} ms"
        )
    p99 = _percentile(reading, 0.99)
    print(
        f"another user's p99 while a file is read: {p99 * 1000:.1f} ms (target < 100 ms), "
        f"{p99 / _percentile(quiet, 0.99):.2f}x his p99 alone"
    )


if __name__ == "__main__":
    asyncio.run(main())

"""Webhook mode under load: many users drafting at once, on two instances and on one.

Each instance is a process of its own running the production webhook server (``bot.webhook``) on
a shared PostgreSQL database, and replies to the in-process Bot API, served over HTTP from this
process. This process also plays Telegram: it delivers each user's updates one at a time (a
chat's next update waits for the answer to the previous one, as webhook delivery does), spreads
deliveries round-robin over the instances as the reverse proxy does, and keeps at most
``--connections`` deliveries open at once (the webhook's max_connections).

Measured per delivery: the webhook round trip, i.e. the update committed and its reply sent.
Reported: updates/s over the answering phase, p50/p99 latency, errors (non-200 answers, failed
requests, apology or busy replies), lost answers (missing from the database) and users whose
answers are stored out of order. Walking the users to the problems section first is not measured.

Not measured: Telegram's flood limits. In production PTB's AIORateLimiter keeps each instance
under 30 messages/s; the in-process Bot API has no such limit, so the instances run without it
and the numbers are those of the bot stack itself.

    .venv/bin/python -m bench.load [--users 200] [--answers 20] [--connections 40] [--think 0]
                                   [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url
from telegram.ext import SimpleUpdateProcessor

from bot.app import build_application
from bot.botapi.http import BotApiHttpServer, duizhao_env
from bot.observability import configure_logging
from bot.outage import BUSY
from bot.settings import Settings
from bot.webhook import SECRET_HEADER, webhook_server
from storage.db import upgrade_database
from tests.test_webhook import SECRET, TO_PROBLEMS, WEBHOOK_PATH, WebhookBotApi, answer_text, stored_problems

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SORRY = "抱歉"
START_UP = 60.0
HEADER = (
    f"{'instances':<10}{'updates':>8}{'updates/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'wait p99':>10}"
    f"{'errors':>8}{'lost':>6}{'misordered':>12}{'bot cpu ms':>12}{'load cpu ms':>13}"
)


@dataclass
class Phase:
    """What one run measured; times in seconds."""

    instances: int
    latencies: list[float] = field(default_factory=list)  # webhook round trips
    waits: list[float] = field(default_factory=list)  # from the user's message to the answer
    errors: int = 0
    lost: int = 0
    misordered: int = 0  # users whose answers are all there but not in the order sent
    seconds: float = 0.0
    bot_cpu: float = 0.0  # CPU time of all instances during the answering phase
    load_cpu: float = 0.0  # CPU time of this process (users, Telegram, Bot API) meanwhile

    def line(self) -> str:
        count = len(self.latencies)
        return (
            f"{self.instances:<10}{count:>8}{count / self.seconds:>11.1f}"
            f"{_percentile(self.latencies, 0.5):>9.1f}{_percentile(self.latencies, 0.99):>9.1f}"
            f"{_percentile(self.waits, 0.99):>10.1f}{self.errors:>8}{self.lost:>6}{self.misordered:>12}"
            f"{self.bot_cpu / count * 1000:>12.2f}{self.load_cpu / count * 1000:>13.2f}"
        )

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def _percentile(values: Sequence[float], share: float) -> float:
    """In milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Telegram:
    """Delivers updates like Telegram's webhook, round-robin over the instances."""

    def __init__(self, api: WebhookBotApi, urls: Sequence[str], connections: int) -> None:
        self.api = api
        self._next = itertools.cycle(urls)
        self._open = asyncio.Semaphore(connections)
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.client = httpx.AsyncClient(limits=limits, timeout=60.0)

    async def deliver(self, update: dict[str, object], phase: Phase | None = None) -> None:
        sent = time.perf_counter()
        async with self._open:
            started = time.perf_counter()
            try:
                response = await self.client.post(
                    f"{next(self._next)}{WEBHOOK_PATH}", json=update, headers={SECRET_HEADER: SECRET}
                )
                failed = response.status_code != 200
            except httpx.HTTPError:
                failed = True
        if phase is not None:
            done = time.perf_counter()
            phase.latencies.append(done - started)
            phase.waits.append(done - sent)
            phase.errors += failed
        elif failed:
            raise RuntimeError(f"set-up delivery failed: {update}")


async def walk_to_problems(telegram: Telegram, user: int) -> None:
    api = telegram.api
    for action, value in TO_PROBLEMS:
        await telegram.deliver(
            api.send_text(user, value) if action == "say" else api.press_button(user, value)
        )


async def answer(telegram: Telegram, user: int, answers: int, think: float, phase: Phase) -> None:
    """Send ``answers`` answers, each after the previous one's reply and a pause of mean ``think``."""
    pause = random.Random(user)
    for number in range(answers):
        if think:
            await asyncio.sleep(pause.expovariate(1 / think))
        await telegram.deliver(telegram.api.send_text(user, answer_text(user, number)), phase)


# -- instances ----------------------------------------------------------------------------------


def serve() -> None:
    """Child mode: one webhook instance from DUIZHAO_* settings, without PTB's flood limiter."""
    settings = Settings()
    configure_logging(settings)
    application = build_application(
        settings, update_processor=SimpleUpdateProcessor(settings.webhook_max_connections)
    )
    webhook_server(application, settings).run()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def instances(
    count: int, bot_api: BotApiHttpServer, database_url: str, workdir: Path
) -> AsyncIterator[dict[str, int]]:
    """``count`` webhook processes on ``database_url``; yields {base URL: pid} once all are ready."""
    processes, urls = [], []
    for index in range(count):
        port = _free_port()
        variables = {
            "DUIZHAO_BOT_TOKEN": bot_api.api.token,
            "DUIZHAO_API_BASE_URL": bot_api.base_url,
            "DUIZHAO_FILE_BASE_URL": bot_api.file_base_url,
            "DUIZHAO_DATA_DIR": str(workdir),
            "DUIZHAO_DATABASE_URL": database_url,
            "DUIZHAO_WEBHOOK_URL": f"https://bot.example.org{WEBHOOK_PATH}",
            "DUIZHAO_WEBHOOK_SECRET": SECRET,
            "DUIZHAO_WEBHOOK_PORT": str(port),
        }
        with (workdir / f"instance-{count}-{index}.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    (sys.executable, "-m", "bench.load", "--serve"),
                    env=duizhao_env(variables),
                    stdout=log,
                    stderr=log,
                )
            )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        async with httpx.AsyncClient() as client:
            for url, process in zip(urls, processes, strict=True):
                await _ready(client, url, process)
        yield {url: process.pid for url, process in zip(urls, processes, strict=True)}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                await asyncio.to_thread(process.wait, 30)
            except subprocess.TimeoutExpired:
                process.kill()


async def _ready(client: httpx.AsyncClient, url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_UP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"instance {url} exited with {process.returncode}; see its log")
        try:
            if (await client.get(f"{url}/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError(f"instance {url} not ready within {START_UP:g}s")


@asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """A migrated database of its own on ``server_url``'s server, dropped afterwards."""
    name = f"duizhao_load_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade_database, url)
        yield url
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


# -- a run --------------------------------------------------------------------------------------


async def run_phase(count: int, args: argparse.Namespace, workdir: Path) -> Phase:
    api = WebhookBotApi("123456:load")
    users = range(1, args.users + 1)
    phase = Phase(count)
    async with (
        fresh_database(args.database_url) as database_url,
        BotApiHttpServer(api) as bot_api,
        instances(count, bot_api, database_url, workdir) as pids,
    ):
        telegram = Telegram(api, list(pids), args.connections)
        try:
            await asyncio.gather(*(walk_to_problems(telegram, user) for user in users))
            started, bot_cpu, load_cpu = time.perf_counter(), _bot_cpu(pids), time.process_time()
            await asyncio.gather(*(answer(telegram, user, args.answers, args.think, phase) for user in users))
            phase.seconds = time.perf_counter() - started
            phase.bot_cpu = _bot_cpu(pids) - bot_cpu
            phase.load_cpu = time.process_time() - load_cpu
        finally:
            await telegram.client.aclose()
        for user in users:
            stored = await stored_problems(database_url, user)
            expected = [answer_text(user, number) for number in range(args.answers)]
            phase.lost += sum(text not in stored for text in expected)
            phase.misordered += stored != expected and set(stored) == set(expected)
            phase.errors += sum(SORRY in text or BUSY in text for text in _texts(api, user))
    return phase


def _bot_cpu(pids: dict[str, int]) -> float:
    return sum(_cpu_seconds(pid) for pid in pids.values())


def _texts(api: WebhookBotApi, user: int) -> list[str]:
    return [str(message.get("text", "")) for message in api.bot_messages(user)]


async def bench(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        phases = [await run_phase(count, args, Path(workdir)) for count in (1, 2)]
    pacing = f"pauses of {args.think:g} s on average" if args.think else "no pauses"
    print(
        f"{args.users} users x {args.answers} answers ({pacing}), {args.connections} webhook connections, "
        f"{os.cpu_count()} CPU cores, PostgreSQL at {make_url(args.database_url).host}"
    )
    print(HEADER)
    for phase in phases:
        print(phase.line())
    one, two = phases
    print(f"scaling   two instances: {two.rate / one.rate:.2f}x the updates/s of one (target >= 1.60x)")
    print("targets   p99 < 300 ms, no errors, no lost answers")
    print(
        "columns   p50/p99: webhook round trip (update committed, reply sent); wait p99: from the user's\n"
        "          message to the answer, including the wait for a free webhook connection;\n"
        "          cpu ms: CPU time per update of all bot instances / of this load-generating process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--answers", type=int, default=20, help="answers each user sends")
    parser.add_argument("--connections", type=int, default=40, help="deliveries open at once")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause in seconds before each answer (0: none)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DUIZHAO_TEST_DATABASE_URL", DEFAULT_DATABASE),
        help="PostgreSQL server to create the bench databases on",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
    else:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()

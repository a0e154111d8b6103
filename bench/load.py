"""Webhook mode under load: many users drafting at once, on two instances and on one.

Each instance is a process of its own running the production webhook server (``bot.webhook``) on
a shared PostgreSQL database, and replies to the in-process Bot API, served over HTTP from this
process. This process also plays Telegram: it delivers each user's updates one at a time (a
chat's next update waits for the answer to the previous one, as webhook delivery does), spreads
deliveries round-robin over the instances as the reverse proxy does, and keeps at most
``--connections`` deliveries open at once (the webhook's max_connections).

Each run is repeated with the floor (``bench.floor``): the same instances, settings and database
with store-and-echo as the only handler, sent the same answers. Walking the drafting users to the
problems section first is not measured.

Measured per delivery: the webhook round trip, i.e. the update committed and its reply sent.
Reported: updates/s over the answering phase, p50/p99 latency, errors (non-200 answers, failed
requests, apology or busy replies), lost answers (missing from the database), users whose answers
are stored out of order, and the CPU time (user + system, from /proc) of the bot instances per
update, against the floor's. What a step costs is broken down from counters in the instances: SQL
statements and the time waiting for their results, and where the instances' CPU time goes, sampled.

Not measured: Telegram's flood limits. In production PTB's AIORateLimiter keeps each instance
under 30 messages/s; the in-process Bot API has no such limit, so the instances run without it
and the numbers are those of the bot stack itself.

    .venv/bin/python -m bench.load [--users 200] [--answers 5] [--connections 40] [--think 3]
                                   [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import asyncpg
import httpx
from sqlalchemy import event
from sqlalchemy.engine import make_url
from telegram.ext import SimpleUpdateProcessor

from bench.floor import create_echo_table, echoed, floor_application
from bot.app import BotApplication, build_application
from bot.botapi.http import BotApiHttpServer, duizhao_env
from bot.observability import configure_logging
from bot.outage import BUSY
from bot.settings import Settings
from bot.webhook import SECRET_HEADER, webhook_server
from handlers.common import services_of
from storage.db import Database, upgrade_database
from tests.test_webhook import SECRET, TO_PROBLEMS, WEBHOOK_PATH, WebhookBotApi, answer_text, stored_problems

DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SORRY = "抱歉"
START_UP = 60.0
BOTS = ("drafting", "floor")
STATS_ENV = "DUIZHAO_BENCH_STATS"
HEADER = (
    f"{'bot':<10}{'instances':>9}{'updates':>8}{'updates/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'wait p99':>10}"
    f"{'errors':>8}{'lost':>6}{'misordered':>12}{'bot cpu ms':>12}{'load cpu ms':>13}"
)


# Where the instances spend CPU, by the innermost frame in one of these (first match wins).
AREAS = {
    "per-answer review (bot.review, bot.layout, jieba)": ("/bot/review/", "/bot/layout.py", "/jieba/"),
    "SQLAlchemy and asyncpg": ("/sqlalchemy/", "/asyncpg/"),
    "python-telegram-bot": ("/telegram/",),
    "HTTP (uvicorn, Starlette, httpx)": (
        "/uvicorn/",
        "/starlette/",
        "/httpx/",
        "/httpcore/",
        "/h11/",
        "/anyio/",
    ),
    "logging": ("/logging/", "/bot/observability.py"),
    "bot flows, handlers, storage": ("/bot/", "/handlers/", "/storage/", "/bench/"),
}
EVENT_LOOP = "asyncio's loop and socket reads, the rest"
# The loop's own frames: the code it runs from here on is a callback of its own, in no area above.
LOOP_FILES = ("/asyncio/events.py", "/asyncio/base_events.py", "/asyncio/runners.py")
SAMPLE_EVERY = 0.005  # seconds of the instance's CPU time between samples


@dataclass
class Costs:
    """What instances spent on their updates, by cause."""

    statements: Counter[str] = field(default_factory=Counter)  # by SQL verb
    sql_wait: Counter[str] = field(default_factory=Counter)  # seconds from sending a statement to its result
    samples: Counter[str] = field(default_factory=Counter)  # CPU samples by area

    def __sub__(self, other: Costs) -> Costs:
        return Costs(
            self.statements - other.statements, self.sql_wait - other.sql_wait, self.samples - other.samples
        )

    def __add__(self, other: Costs) -> Costs:
        return Costs(
            self.statements + other.statements, self.sql_wait + other.sql_wait, self.samples + other.samples
        )


@dataclass
class Phase:
    """What one run measured; times in seconds."""

    bot: str
    instances: int
    latencies: list[float] = field(default_factory=list)  # webhook round trips
    waits: list[float] = field(default_factory=list)  # from the user's message to the answer
    errors: int = 0
    lost: int = 0
    misordered: int = 0  # users whose answers are all there but not in the order sent
    seconds: float = 0.0
    bot_cpu: float = 0.0  # CPU time of all instances during the answering phase
    load_cpu: float = 0.0  # CPU time of this process (users, Telegram, Bot API) meanwhile
    costs: Costs = field(default_factory=Costs)  # the instances' counters over the answering phase

    def line(self) -> str:
        return (
            f"{self.bot:<10}{self.instances:>9}{self.count:>8}{self.count / self.seconds:>11.1f}"
            f"{_percentile(self.latencies, 0.5):>9.1f}{_percentile(self.latencies, 0.99):>9.1f}"
            f"{_percentile(self.waits, 0.99):>10.1f}{self.errors:>8}{self.lost:>6}{self.misordered:>12}"
            f"{self.per_update(self.bot_cpu):>12.2f}{self.per_update(self.load_cpu):>13.2f}"
        )

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def per_update(self, seconds: float) -> float:
        """In milliseconds."""
        return seconds / self.count * 1000

    def statements(self) -> str:
        """SQL statements per update, with the verbs that make them up."""
        return self._by_verb(self.costs.statements, 1)

    def sql_wait(self) -> str:
        """Milliseconds per update waiting for SQL results, by verb."""
        return self._by_verb(self.costs.sql_wait, 1000)

    def _by_verb(self, counts: Counter[str], scale: float) -> str:
        """The total per update and the main verbs' parts (readiness probes and jobs fall under 0.05)."""
        parts = {verb: number * scale / self.count for verb, number in counts.most_common(3)}
        verbs = ", ".join(f"{verb.lower()} {part:.1f}" for verb, part in parts.items() if part >= 0.05)
        return f"{sum(counts.values()) * scale / self.count:.1f} ({verbs})"


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
        # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them from its
        # side; at httpx's default of 5 s too, a reused connection can close under a request.
        limits = httpx.Limits(
            max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=2.0
        )
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


def serve(bot: str) -> None:
    """Child mode: one webhook instance from DUIZHAO_* settings, without PTB's flood limiter."""
    settings = Settings()
    configure_logging(settings)
    application = build_application(
        settings, update_processor=SimpleUpdateProcessor(settings.webhook_max_connections)
    )
    if bot == "floor":
        floor_application(application)
    _count_costs(application, Path(os.environ[STATS_ENV]))
    webhook_server(application, settings).run()


def _count_costs(application: BotApplication, stats: Path) -> None:
    """Count SQL statements and their wait, sample where CPU goes; SIGUSR1 writes them to ``stats``.

    SIGPROF fires every ``SAMPLE_EVERY`` of the process's CPU time; its handler counts the area of
    the innermost frame that has one, so time in C code (regular expressions, JSON, sockets) goes
    to the Python code that called it, and idle time gets no samples.
    """
    costs = Costs()
    engine = services_of(application).db.engine.sync_engine

    @event.listens_for(engine, "before_cursor_execute")
    def before(connection, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        connection.info["bench_sent"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(connection, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        verb = statement.split(None, 1)[0].upper()
        costs.statements[verb] += 1
        costs.sql_wait[verb] += time.perf_counter() - connection.info.pop("bench_sent")

    def sample(number: int, frame: FrameType | None) -> None:
        costs.samples[_area(frame)] += 1

    def write(number: int, frame: FrameType | None) -> None:
        written = stats.with_suffix(".tmp")
        written.write_text(json.dumps([costs.statements, costs.sql_wait, costs.samples]))
        written.replace(stats)

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, SAMPLE_EVERY, SAMPLE_EVERY)
    signal.signal(signal.SIGUSR1, write)


def _area(frame: FrameType | None) -> str:
    while frame is not None:
        path = frame.f_code.co_filename
        if path.endswith(LOOP_FILES):
            return EVENT_LOOP
        for area, markers in AREAS.items():
            if any(marker in path for marker in markers):
                return area
        frame = frame.f_back
    return EVENT_LOOP


@dataclass
class Instance:
    url: str
    process: subprocess.Popen[bytes]
    stats: Path  # where the instance writes its counters on SIGUSR1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def instances(
    bot: str, count: int, bot_api: BotApiHttpServer, database_url: str, workdir: Path
) -> AsyncIterator[list[Instance]]:
    """``count`` webhook processes of ``bot`` on ``database_url``, yielded once all are ready."""
    started = []
    for index in range(count):
        port = _free_port()
        name = f"{bot}-{count}-{index}"
        variables = {
            "DUIZHAO_BOT_TOKEN": bot_api.api.token,
            "DUIZHAO_API_BASE_URL": bot_api.base_url,
            "DUIZHAO_FILE_BASE_URL": bot_api.file_base_url,
            "DUIZHAO_DATA_DIR": str(workdir),
            "DUIZHAO_DATABASE_URL": database_url,
            "DUIZHAO_WEBHOOK_URL": f"https://bot.example.org{WEBHOOK_PATH}",
            "DUIZHAO_WEBHOOK_SECRET": SECRET,
            "DUIZHAO_WEBHOOK_PORT": str(port),
            STATS_ENV: str(workdir / f"{name}.json"),
        }
        with (workdir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                (sys.executable, "-m", "bench.load", "--serve", bot),
                env=duizhao_env(variables),
                stdout=log,
                stderr=log,
            )
        started.append(Instance(f"http://127.0.0.1:{port}", process, Path(variables[STATS_ENV])))
    try:
        async with httpx.AsyncClient() as client:
            for instance in started:
                await _ready(client, instance)
        yield started
    finally:
        for instance in started:
            instance.process.send_signal(signal.SIGTERM)
        for instance in started:
            try:
                await asyncio.to_thread(instance.process.wait, 30)
            except subprocess.TimeoutExpired:
                instance.process.kill()


async def _ready(client: httpx.AsyncClient, instance: Instance) -> None:
    deadline = time.monotonic() + START_UP
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise RuntimeError(
                f"instance {instance.url} exited with {instance.process.returncode}; see its log"
            )
        try:
            if (await client.get(f"{instance.url}/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError(f"instance {instance.url} not ready within {START_UP:g}s")


async def _costs(started: Sequence[Instance]) -> Costs:
    """The instances' counters so far, summed: each writes them on SIGUSR1."""
    total = Costs()
    async with httpx.AsyncClient() as client:
        for instance in started:
            instance.stats.unlink(missing_ok=True)
            instance.process.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + START_UP
            while not instance.stats.exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"instance {instance.url} wrote no counters")
                await client.get(f"{instance.url}/healthz")  # wakes an idle event loop for the handler
                await asyncio.sleep(0.02)
            statements, sql_wait, samples = json.loads(instance.stats.read_text())
            total += Costs(Counter(statements), Counter(sql_wait), Counter(samples))
    return total


def _bot_cpu(started: Sequence[Instance]) -> float:
    return sum(_cpu_seconds(instance.process.pid) for instance in started)


@asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """A migrated database of its own on ``server_url``'s server, floor table included; dropped afterwards."""
    name = f"duizhao_load_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade_database, url)
        db = Database(url)
        try:
            await create_echo_table(db)
        finally:
            await db.dispose()
        yield url
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


# -- a run --------------------------------------------------------------------------------------


async def run_phase(bot: str, count: int, think: float, args: argparse.Namespace, workdir: Path) -> Phase:
    api = WebhookBotApi("123456:load")
    users = range(1, args.users + 1)
    phase = Phase(bot, count)
    async with (
        fresh_database(args.database_url) as database_url,
        BotApiHttpServer(api) as bot_api,
        instances(bot, count, bot_api, database_url, workdir) as started,
    ):
        telegram = Telegram(api, [instance.url for instance in started], args.connections)
        try:
            if bot == "drafting":
                await asyncio.gather(*(walk_to_problems(telegram, user) for user in users))
            costs = await _costs(started)
            begun, bot_cpu, load_cpu = time.perf_counter(), _bot_cpu(started), time.process_time()
            await asyncio.gather(*(answer(telegram, user, args.answers, think, phase) for user in users))
            phase.seconds = time.perf_counter() - begun
            phase.bot_cpu = _bot_cpu(started) - bot_cpu
            phase.load_cpu = time.process_time() - load_cpu
            phase.costs = await _costs(started) - costs
        finally:
            await telegram.client.aclose()
        expected = {user: [answer_text(user, number) for number in range(args.answers)] for user in users}
        stored = await _stored(bot, database_url, expected)
    for user in users:
        phase.lost += sum(text not in stored[user] for text in expected[user])
        phase.misordered += stored[user] != expected[user] and set(stored[user]) == set(expected[user])
        phase.errors += sum(SORRY in text or BUSY in text for text in _texts(api, user))
    return phase


async def _stored(bot: str, database_url: str, expected: dict[int, list[str]]) -> dict[int, list[str]]:
    """Each user's answers as stored, in the order stored."""
    if bot == "drafting":
        return {user: await stored_problems(database_url, user) for user in expected}
    db = Database(database_url)
    try:
        bodies = await echoed(db)
    finally:
        await db.dispose()
    sender = {text: user for user, texts in expected.items() for text in texts}
    return {user: [body for body in bodies if sender.get(body) == user] for user in expected}


def _texts(api: WebhookBotApi, user: int) -> list[str]:
    return [str(message.get("text", "")) for message in api.bot_messages(user)]


def breakdown(drafting: Phase, floor: Phase) -> list[str]:
    """Where an update's bot CPU goes, drafting next to the floor, and what dominates."""
    spent = {phase.bot: _areas(phase) for phase in (drafting, floor)}
    largest = max(AREAS, key=lambda area: spent["drafting"][area])
    extra = max(AREAS, key=lambda area: spent["drafting"][area] - spent["floor"][area])
    cpu = drafting.per_update(drafting.bot_cpu)
    round_trip = drafting.per_update(sum(drafting.latencies))
    sql_wait = drafting.per_update(drafting.costs.sql_wait.total())

    def row(label: str, *values: str) -> str:
        return f"{'':<10}{label:<52}" + "".join(f"{value:>34}" for value in values)

    return [
        f"step      per update on {drafting.instances} instance(s){'drafting':>51}{'floor':>34}",
        row("SQL statements (commits not counted)", drafting.statements(), floor.statements()),
        row("waiting for SQL results, ms", drafting.sql_wait(), floor.sql_wait()),
        row("bot CPU, ms", *(f"{phase.per_update(phase.bot_cpu):.2f}" for phase in (drafting, floor))),
        *(
            row(
                f"  {area}",
                *(
                    f"{spent[bot][area]:.2f} ({spent[bot][area] / cpu_of:.0%})"
                    for bot, cpu_of in (("drafting", cpu), ("floor", floor.per_update(floor.bot_cpu)))
                ),
            )
            for area in (*AREAS, EVENT_LOOP)
        ),
        f"dominant  a drafting update's bot CPU goes most to {largest} ({spent['drafting'][largest]:.2f} ms, "
        f"{spent['drafting'][largest] / cpu:.0%}); its cost over the floor most to {extra} "
        f"(+{spent['drafting'][extra] - spent['floor'][extra]:.2f} ms)",
        f"waits     a drafting round trip takes {round_trip:.1f} ms on average: {sql_wait:.1f} ms waiting "
        f"for SQL results, {cpu:.1f} ms bot CPU; the rest (queueing for CPU, pool, commits) not apart",
    ]


def _areas(phase: Phase) -> dict[str, float]:
    """Milliseconds of bot CPU per update in each area, shared out as the samples are."""
    samples = max(sum(phase.costs.samples.values()), 1)
    cpu = phase.per_update(phase.bot_cpu)
    return {area: cpu * phase.costs.samples[area] / samples for area in (*AREAS, EVENT_LOOP)}


async def bench(args: argparse.Namespace) -> None:
    """With pauses (the latency target's setting), then without (the scaling target's)."""
    paces = [args.think, 0.0] if args.think else [0.0]
    with tempfile.TemporaryDirectory() as workdir:
        phases = {
            (think, bot, count): await run_phase(bot, count, think, args, Path(workdir))
            for think in paces
            for count in (1, 2)
            for bot in BOTS
        }
    print(
        f"{args.users} users x {args.answers} answers, {args.connections} webhook connections, "
        f"{os.cpu_count()} CPU cores, PostgreSQL at {make_url(args.database_url).host}"
    )
    for think in paces:
        report(think, {(bot, count): phase for (pace, bot, count), phase in phases.items() if pace == think})
    legend()


FAILURES = ("errors", "lost", "misordered")


def report(think: float, phases: dict[tuple[str, int], Phase]) -> None:
    """One pacing's table, targets and breakdown."""
    pacing = f"pauses of {think:g} s on average" if think else "no pauses"
    print(f"\n-- {pacing}")
    print(HEADER)
    for phase in phases.values():
        print(phase.line())
    for count in (1, 2):
        drafting, floor = phases["drafting", count], phases["floor", count]
        cpu, floor_cpu = drafting.per_update(drafting.bot_cpu), floor.per_update(floor.bot_cpu)
        print(
            f"cpu       {count} instance(s): a drafting update costs {cpu:.2f} ms of bot CPU, the floor "
            f"{floor_cpu:.2f} ms: {cpu / floor_cpu:.2f}x (target <= 2.00x)"
        )
    one, two = phases["drafting", 1], phases["drafting", 2]
    scaling = f"{two.rate / one.rate:.2f}x the updates/s of one"
    print(
        f"scaling   two instances: {scaling} (target >= 1.60x)"
        if not think
        else f"scaling   two instances: {scaling} (not judged: with pauses the users set the rate)"
    )
    print(
        f"latency   drafting p99 {_percentile(one.latencies, 0.99):.0f} ms on one instance, "
        f"{_percentile(two.latencies, 0.99):.0f} ms on two with {pacing} "
        + ("(target <= 300 ms)" if think == 3 else "(the 300 ms target is for pauses of 3 s)")
    )
    failures = {name: sum(getattr(phase, name) for phase in phases.values()) for name in FAILURES}
    print("failures  " + ", ".join(f"{name} {found}" for name, found in failures.items()) + " (target: none)")
    for line in breakdown(one, phases["floor", 1]):
        print(line)


def legend() -> None:
    print(
        "columns   p50/p99: webhook round trip (update committed, reply sent); wait p99: from the user's\n"
        "          message to the answer, including the wait for a free webhook connection;\n"
        "          cpu ms: CPU time per update of all bot instances / of this load-generating process;\n"
        "          waiting for SQL results: from sending a statement to its result (overlaps other work);\n"
        "          CPU by area: sampled every 5 ms of CPU time, by the innermost frame in that area"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--answers", type=int, default=5, help="answers each user sends")
    parser.add_argument("--connections", type=int, default=40, help="deliveries open at once")
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="mean pause in seconds before each answer; the run is repeated without pauses (0: only that)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DUIZHAO_TEST_DATABASE_URL", DEFAULT_DATABASE),
        help="PostgreSQL server to create the bench databases on",
    )
    parser.add_argument("--serve", choices=BOTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
    else:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()

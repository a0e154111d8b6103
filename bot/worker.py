"""Running heavy work (reading an uploaded file, rendering a material) in a child process with a
time and memory cap.

A hostile or merely huge .docx can cost seconds of CPU and hundreds of megabytes in lxml. In the
bot's own process that stalls every user (one event loop) and risks the process itself. Here the
job runs in a child forked from a forkserver that has already imported the parsing, review and
rendering code, so a job starts in milliseconds; the child gets an address-space limit (RLIMIT_AS) on top of
what it starts with and a CPU-time limit (RLIMIT_CPU), and is killed when a longer wall-clock time is
up. CPU time is what a file costs: jobs run at a low priority, so on a busy machine a legitimate file
can take several times its CPU time on the clock, and must not be refused as too heavy for that. At
most ``MAX_JOBS`` run at once per event loop, so a burst of uploads cannot multiply the memory cap.

Only what the child reports, the signal of its CPU limit, or its time on the clock running out
counts as a breached limit. A child that dies without a word (it could not load the job because a
module changed on disk since the forkserver imported its own copy, a C library crashed, the kernel
killed it) raises ``WorkerDied``: nothing says the file needed too much memory, and the user must
not be told it did.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import pickle
import resource
import signal
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

MAX_JOBS = max(1, min(2, (os.cpu_count() or 1) - 1))
"""Jobs at once: a core stays free for the event loop (on two cores, one job at a time; the drafting
users' p99 while five others export and upload went from 1.5-2.3x their p99 alone to 1.1x), and the
memory caps do not add up past two jobs."""
NICENESS = 10
"""A job yields the CPU to the bot's event loop: the users drafting meanwhile wait on the loop,
the one who asked for a file waits on the job either way."""
_PRELOAD = [
    "bot.uploads",
    "bot.formats.export",
    "bot.desk",
    "bot.render.official_docx",
    "openpyxl",
    "bot.worker_warmup",
]
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(_PRELOAD)
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Limits:
    seconds: float = 8.0
    """CPU time of the job's own process (whole seconds, rounded up)."""
    memory_bytes: int = 300 * 1024 * 1024
    wall_seconds: float = 40.0
    """On the clock: for a job that waits instead of computing, or a machine too busy to run it."""


class Limit(StrEnum):
    """Which limit stopped a job."""

    CPU = "cpu"
    MEMORY = "memory"
    WALL = "wall"


class LimitExceeded(Exception):
    """The job ran out of CPU time, memory (a ``MemoryError`` under its address-space limit) or
    time on the clock; it was stopped."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(limit.value)
        self.limit = limit


class WorkerDied(Exception):
    """The job's process ended without sending a result or an error; ``exitcode`` is its exit status,
    negative for the signal that ended it (``multiprocessing.Process.exitcode``)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the worker process ended without an answer (exit code {exitcode})")
        self.exitcode = exitcode


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child(sender: Connection, payload: bytes, limits: Limits) -> None:
    try:
        # Loaded here rather than by multiprocessing before this function runs, so that a job which
        # cannot be loaded (its module fails to import) is reported as that error, not as silence.
        # Before the limit, as the forkserver's own imports are: the cap is for the job.
        job, args = pickle.loads(payload)
        os.nice(NICENESS)
        current = _address_space()
        if current is not None:
            cap = current + limits.memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = math.ceil(limits.seconds)  # SIGXCPU ends the process at the soft limit
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        sender.send((True, job(*args)))
    except MemoryError:
        sender.send((False, None))
    except Exception as error:  # the parent re-raises it; anything unpicklable arrives as its text
        try:
            sender.send((False, error))
        except Exception:
            sender.send((False, RuntimeError(type(error).__name__)))
    finally:
        sender.close()


async def start() -> None:
    """Launch the forkserver when the bot starts, and wait until it forks a first job: importing the
    preloaded modules takes 1.5 s, 6 s on a busy machine, which the first user to send a file would
    wait on top of his job, and which would take the CPU from the first users' updates. It also
    imports them close to when the bot imported its own copies."""
    await run_limited(os.getpid)


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(MAX_JOBS)
    return _slots[loop]


async def run_limited(job: Callable[..., T], *args: Any, limits: Limits = Limits()) -> T:
    """``job(*args)`` in a child process; its exception is re-raised here, a breached limit raises
    ``LimitExceeded``, a child that ended without an answer (other than at its CPU limit)
    ``WorkerDied``. ``job`` and its arguments and result must be picklable."""
    async with _slot():
        payload = await asyncio.to_thread(pickle.dumps, (job, args), pickle.HIGHEST_PROTOCOL)
        receiver, sender = _context.Pipe(duplex=False)
        process = _context.Process(target=_child, args=(sender, payload, limits), daemon=True)
        try:
            await asyncio.to_thread(process.start)  # may launch the forkserver (see start): not on the loop
            sender.close()
            if not await asyncio.to_thread(receiver.poll, limits.wall_seconds):
                raise LimitExceeded(Limit.WALL)
            try:
                ok, value = await asyncio.to_thread(receiver.recv)
            except EOFError:  # it ended without a word: only SIGXCPU says a limit was the cause
                await asyncio.to_thread(process.join, limits.wall_seconds)
                if process.exitcode == -signal.SIGXCPU:
                    raise LimitExceeded(Limit.CPU) from None
                raise WorkerDied(process.exitcode) from None
        finally:
            if process.is_alive():
                process.kill()
            if process.pid is not None:
                await asyncio.to_thread(process.join)
            receiver.close()
    if ok:
        result: T = value
        return result
    if value is None:
        raise LimitExceeded(Limit.MEMORY)
    raise value

"""Running heavy work (reading an uploaded file, rendering a material) in a child process with a
time and memory cap.

A hostile or merely huge .docx can cost seconds of CPU and hundreds of megabytes in lxml. In the
bot's own process that stalls every user (one event loop) and risks the process itself. Here the
job runs in a child forked from a forkserver that has already imported the parsing, review and
rendering code, so a job starts in milliseconds; the child gets an address-space limit (RLIMIT_AS) on top of
what it starts with, and is killed when its time is up. At most ``MAX_JOBS`` run at once per event
loop, so a burst of uploads cannot multiply the memory cap.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import weakref
from collections.abc import Callable
from dataclasses import dataclass
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
    memory_bytes: int = 300 * 1024 * 1024


class LimitExceeded(Exception):
    """The job ran out of time (``timed_out``) or memory, or its process died; it was stopped."""

    def __init__(self, *, timed_out: bool) -> None:
        super().__init__("time" if timed_out else "memory")
        self.timed_out = timed_out


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child(sender: Connection, job: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    os.nice(NICENESS)
    current = _address_space()
    if current is not None:
        resource.setrlimit(resource.RLIMIT_AS, (current + memory_bytes, current + memory_bytes))
    try:
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


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(MAX_JOBS)
    return _slots[loop]


async def run_limited(job: Callable[..., T], *args: Any, limits: Limits = Limits()) -> T:
    """``job(*args)`` in a child process; its exception is re-raised here, a breached limit raises
    ``LimitExceeded``. ``job`` and its arguments and result must be picklable."""
    async with _slot():
        receiver, sender = _context.Pipe(duplex=False)
        process = _context.Process(target=_child, args=(sender, job, args, limits.memory_bytes), daemon=True)
        try:
            await asyncio.to_thread(process.start)  # the first start launches the forkserver: not on the loop
            sender.close()
            if not await asyncio.to_thread(receiver.poll, limits.seconds):
                raise LimitExceeded(timed_out=True)
            try:
                ok, value = await asyncio.to_thread(receiver.recv)
            except EOFError:  # killed, e.g. by the kernel when the limit was not enough
                raise LimitExceeded(timed_out=False) from None
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
        raise LimitExceeded(timed_out=False)
    raise value

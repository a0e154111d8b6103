"""Resident memory of a started ``duizhao run`` (target: under 120 MB).

Measures the real command in its own process, as deployed, against the in-process Bot API served
over HTTP: once the bot has set its command menu and answered a /start, everything it loads at
start-up and on first use is resident.

    .venv/bin/python bench/run_memory.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bot.botapi import InProcessBotApi
from bot.botapi.http import BotApiHttpServer, BotProcess

USER = 10001
# Deadlines only: a healthy start takes a second or two.
START_UP = 60.0
SHUTDOWN = 10.0


def started_run_rss_mb() -> float:
    """VmRSS in MB of ``python -m bot run`` after start-up and one /start round trip.

    Uses a fresh data directory with the default SQLite database. Runs its own event loop, so
    call it outside one.
    """
    with tempfile.TemporaryDirectory() as workdir:
        return asyncio.run(_measure(Path(workdir)))


async def _measure(data_dir: Path) -> float:
    api = InProcessBotApi()
    async with BotApiHttpServer(api) as server, BotProcess(server, data_dir) as bot:
        await bot.wait_for("command menu (setMyCommands)", api.my_commands, START_UP)
        api.send_text(USER, "/start")
        await bot.wait_for("reply to /start", lambda: api.bot_messages(USER), START_UP)
        rss = _vm_rss_mb(bot.process.pid)
        await bot.interrupt(SHUTDOWN)
    return rss


def _vm_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "VmRSS":
            return int(value.split()[0]) / 1024  # reported in kB
    raise RuntimeError(f"no VmRSS for process {pid}")


if __name__ == "__main__":
    print(f"resident memory of a started duizhao run: {started_run_rss_mb():.0f} MB (target < 120 MB)")

"""``duizhao reminders list`` and ``dispatch --once`` as an operator runs them."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.botapi.http import BotApiHttpServer, duizhao_env
from bot.settings import Settings
from storage.db import Database
from storage.models import Reminder
from tests.conftest import Chat
from tests.test_followup import _draft_with_deadlines


async def _cli(arguments: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *arguments,
        env=duizhao_env(env),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The chat's own bot must not send the reminders this test hands to the CLI (its dispatch job
    first runs after the interval, which a slow machine reaches mid-test)."""
    return settings.model_copy(update={"reminder_interval_seconds": 3600})


async def test_list_and_dispatch_once(chat: Chat, settings: Settings, tmp_path: Path) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    env = {"DUIZHAO_DATABASE_URL": settings.effective_database_url}
    code, out, _ = await _cli(["reminders", "list", "--due-before", "2030-01-01"], env, tmp_path)
    assert code == 0
    assert re.search(r"before_due\s+2027-03-24 09:30\s+pending", out)
    assert "每周自学" not in out  # no material text in operator output

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        await session.execute(
            update(Reminder)
            .where(Reminder.kind == "before_due")
            .values(due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    await db.dispose()
    async with BotApiHttpServer(chat.api) as server:
        env |= {
            "DUIZHAO_BOT_TOKEN": chat.api.token,
            "DUIZHAO_API_BASE_URL": server.base_url,
            "DUIZHAO_FILE_BASE_URL": server.file_base_url,
        }
        code, out, err = await _cli(["reminders", "dispatch", "--once"], env, tmp_path)
    assert code == 0, err
    counts = re.search(r"已发送(\d+)条，稍后重试(\d+)条", out)
    assert counts is not None, out
    # sent now, or (outside working hours, on a holiday) deferred to the next working-day slot
    assert int(counts[1]) + int(counts[2]) >= 2  # one per measure

    code, _, err = await _cli(["reminders", "list", "--due-before", "明天"], env, tmp_path)
    assert code == 2 and "无法识别时间" in err

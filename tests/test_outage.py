"""Tests that need a PostgreSQL server of their own: the database going away and coming back,
and moving a SQLite database onto a fresh PostgreSQL database.

The server is started with ``initdb``/``pg_ctl`` in a temporary directory on a spare port, so a
test can stop and start it; without those binaries these tests are skipped (the migration test
then uses the server of ``DUIZHAO_TEST_DATABASE_URL`` if there is one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.botapi import InProcessBotApi
from bot.cli import main
from bot.migrate import MigrationError, copy_database
from bot.outage import BUSY
from bot.settings import Settings
from storage.db import Database, upgrade_database
from storage.models import Answer, Base, Draft, ProcessedUpdate, User
from tests.conftest import PG_URL_VARIABLE, Chat, start_bot
from tests.test_webhook import (
    TO_PROBLEMS,
    USER,
    WebhookBotApi,
    answer_text,
    bot_texts,
    reach_problems,
    say,
    stored_problems,
    webhook_instance,
)

SORRY = "抱歉"


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return installed[-1].parent if installed else None


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory on a spare port, for as long as a test needs.

    PostgreSQL refuses to run as root, so under root it runs as the ``postgres`` user.
    """

    def __init__(self, bin_dir: Path, owner: pwd.struct_passwd | None) -> None:
        self.bin_dir = bin_dir
        self.owner = owner
        self.root = Path(tempfile.mkdtemp(prefix="duizhao-pg-"))
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", "data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner.pw_name, "--", *command]
        result = subprocess.run(command, cwd=self.root, capture_output=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr.decode(errors='replace')}\n{tail}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", "data", "-l", "server.log", "-o", options, "-w", "start")

    def stop(self) -> None:
        """Stop at once, as a crash or a failover would: open connections are cut."""
        self._run("pg_ctl", "-D", "data", "-m", "fast", "-w", "stop")

    def _processes(self) -> list[int]:
        """The postmaster (first line of postmaster.pid) and its children (backends, workers)."""
        postmaster = int((self.root / "data" / "postmaster.pid").read_text().split()[0])
        children = [
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent_of(stat) == postmaster
        ]
        return [postmaster, *children]

    def pause(self) -> None:
        """Freeze every server process, as a stuck disk or a hung VM would: connections stay open
        and connecting is accepted by the kernel, but nothing answers."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        if (self.root / "data" / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _parent_of(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):  # the process ended meanwhile
        return None


def _throwaway_or_skip() -> ThrowawayPostgres:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("needs PostgreSQL's initdb and pg_ctl (apt-get install postgresql) to start a server")
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root, and there is no 'postgres' user to run a throwaway server as")
    return ThrowawayPostgres(bin_dir, owner)


@pytest.fixture
def postgres_server() -> Iterator[ThrowawayPostgres]:
    server = _throwaway_or_skip()
    try:
        server.start()
        yield server
    finally:
        server.remove()


# -- the database goes away and comes back ------------------------------------------------------


async def test_a_database_outage_tells_the_user_to_retry_and_the_bot_recovers_by_itself(
    postgres_server: ThrowawayPostgres, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(_env_file=None, database_url=postgres_server.url, data_dir=tmp_path, bot_token=None)
    api = WebhookBotApi()
    async with webhook_instance(settings, api) as instance:
        await reach_problems([instance], api, USER)
        await say(instance, api, USER, answer_text(USER, 0))

        await asyncio.to_thread(postgres_server.stop)
        with caplog.at_level(logging.WARNING):
            response = await instance.deliver(api.send_text(USER, answer_text(USER, 1)))
            assert response.status_code == 503  # Telegram delivers it again later
            assert BUSY in bot_texts(api, USER)[-1]
            response = await instance.deliver(api.press_button(USER, "本方面填写完毕"))
            assert response.status_code == 503  # Telegram delivers it again later
            assert BUSY in bot_texts(api, USER)[-1]
            assert (await instance.client.get("/readyz")).status_code == 503
            assert (await instance.client.get("/healthz")).status_code == 200
        assert not [record for record in caplog.records if record.levelno >= logging.ERROR]

        await asyncio.to_thread(postgres_server.start)
        assert (await instance.client.get("/readyz")).status_code == 200
        await say(instance, api, USER, answer_text(USER, 1))  # the user sends it again, as asked
        await say(instance, api, USER, answer_text(USER, 2))
        assert bot_texts(api, USER)[-1].startswith("已记下三是")

    assert await stored_problems(postgres_server.url, USER) == [answer_text(USER, n) for n in range(3)]
    assert not any(SORRY in text for text in bot_texts(api, USER))


async def test_a_frozen_database_gets_the_busy_message_within_10_seconds_and_the_retry_succeeds(
    postgres_server: ThrowawayPostgres, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(_env_file=None, database_url=postgres_server.url, data_dir=tmp_path, bot_token=None)
    api = WebhookBotApi()
    async with webhook_instance(settings, api) as instance:
        await reach_problems([instance], api, USER)
        await say(instance, api, USER, answer_text(USER, 0))

        postgres_server.pause()
        try:
            update = api.send_text(USER, answer_text(USER, 1))
            started = time.monotonic()
            with caplog.at_level(logging.WARNING):
                response = await instance.deliver(update)
            waited = time.monotonic() - started
            busy = bot_texts(api, USER)[-1]
        finally:
            postgres_server.resume()
        assert BUSY in busy and waited < 10, f"{waited:.1f} s"
        assert response.status_code == 503
        assert not [record for record in caplog.records if record.levelno >= logging.ERROR]

        response = await instance.deliver(update)  # Telegram's redelivery, the database back
        assert response.status_code == 200
        assert bot_texts(api, USER)[-1].startswith("已记下二是")
        await say(instance, api, USER, answer_text(USER, 2))

    assert await stored_problems(postgres_server.url, USER) == [answer_text(USER, n) for n in range(3)]


# -- duizhao db migrate-sqlite-to-postgres ------------------------------------------------------


@pytest.fixture
async def fresh_postgres_database() -> AsyncIterator[str]:
    """An empty database made for the test: on DUIZHAO_TEST_DATABASE_URL's server, else a throwaway."""
    server_url = os.environ.get(PG_URL_VARIABLE)
    throwaway = None
    if not server_url:
        throwaway = _throwaway_or_skip()
        await asyncio.to_thread(throwaway.start)
        server_url = throwaway.url
    name = f"duizhao_migrate_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    await execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if throwaway is not None:
            await asyncio.to_thread(throwaway.remove)


async def _rows(url: str, model: Any, order: Sequence[Any]) -> list[Any]:
    db = Database(url)
    try:
        async with db.transaction() as session:
            return list(await session.scalars(select(model).order_by(*order)))
    finally:
        await db.dispose()


async def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        async with db.transaction() as session:
            return {
                table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }
    finally:
        await db.dispose()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def test_migrate_copies_a_sqlite_conversation_to_postgres_where_it_continues(
    fresh_postgres_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'duizhao.sqlite3'}"
    await asyncio.to_thread(upgrade_database, source)
    on_sqlite = Settings(_env_file=None, database_url=source, data_dir=tmp_path, bot_token=None)
    async with start_bot(on_sqlite, InProcessBotApi()) as harness:
        chat = Chat(harness, USER)
        for action, value in TO_PROBLEMS:
            await (chat.say if action == "say" else chat.press)(value)
        for number in range(3):
            await chat.say(answer_text(USER, number))
        await chat.edit(chat.last_user_message_id(), answer_text(USER, 9))  # keeps a revision

    counts = dict(await asyncio.to_thread(copy_database, source, fresh_postgres_database))
    source_counts = await _counts(source)
    assert counts == source_counts == await _counts(fresh_postgres_database)
    for table in ("users", "drafts", "draft_members", "answers", "answer_revisions", "processed_updates"):
        assert counts[table] > 0, table

    async def both(model: Any, *order: Any) -> tuple[list[Any], list[Any]]:
        return await _rows(source, model, order), await _rows(fresh_postgres_database, model, order)

    [old_user], [new_user] = await both(User, User.id)
    assert new_user.active_draft_id == old_user.active_draft_id is not None
    [old_draft], [new_draft] = await both(Draft, Draft.id)
    assert (new_draft.public_id, new_draft.cursor, new_draft.aspects, new_draft.meta) == (
        old_draft.public_id,
        old_draft.cursor,
        old_draft.aspects,
        old_draft.meta,
    )
    assert new_draft.created_at == _utc(old_draft.created_at)
    old_answers, new_answers = await both(Answer, Answer.id)
    assert [(a.id, a.section, a.position, a.text) for a in new_answers] == [
        (a.id, a.section, a.position, a.text) for a in old_answers
    ]
    old_seen, new_seen = await both(ProcessedUpdate, ProcessedUpdate.update_id)
    assert [u.processed_at for u in new_seen] == [_utc(u.processed_at) for u in old_seen]

    # the bot goes on where the user was, on PostgreSQL; new rows get fresh ids
    on_postgres = on_sqlite.model_copy(update={"database_url": fresh_postgres_database})
    async with start_bot(on_postgres, InProcessBotApi()) as harness:
        chat = Chat(harness, USER)
        assert "存在的主要问题" in await chat.say("/start")
        assert (await chat.say(answer_text(USER, 3))).startswith("已记下四是")
    assert await stored_problems(fresh_postgres_database, USER) == [
        *(answer_text(USER, n) for n in (0, 1, 9)),
        answer_text(USER, 3),
    ]

    with pytest.raises(MigrationError, match="--force"):
        await asyncio.to_thread(copy_database, source, fresh_postgres_database)
    with pytest.raises(MigrationError, match="SQLite"):
        copy_database(fresh_postgres_database, source, force=True)  # swapped: refused before anything

    command = ["db", "migrate-sqlite-to-postgres", str(tmp_path / "duizhao.sqlite3"), fresh_postgres_database]
    assert await asyncio.to_thread(main, [*command, "--force", "--batch-size", "2"]) == 0
    assert f"共复制 {sum(source_counts.values())} 行" in capsys.readouterr().out
    assert await _counts(fresh_postgres_database) == source_counts

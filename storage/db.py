"""Engine and session set-up shared by the bot, the CLI and the tests.

SQLite runs in WAL mode and opens every transaction with ``BEGIN IMMEDIATE``: a handler reads
state and then writes it, and a deferred transaction would let two writers interleave there.
The process's own transactions queue for that single writer in arrival order (``Database._turn``).
PostgreSQL gets the same guarantee from a row lock on the user (see ``storage.repo``).
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


CONNECT_SECONDS = 3
"""Connecting (PostgreSQL) or waiting for a pooled connection."""
STATEMENT_SECONDS = 4
"""One statement, on the server (statement_timeout) and in the client (asyncpg's command_timeout,
which also covers a server that accepted the connection and then froze)."""
SQLITE_BUSY_MS = 5000
"""How long a SQLite writer waits for the lock before the update fails with 系统繁忙."""
# A frozen PostgreSQL costs at most a failed ping (STATEMENT_SECONDS) plus a failed connect
# (CONNECT_SECONDS) before the update fails: 系统繁忙 within 10 seconds (tests/test_outage.py).


def create_engine(url: str, *, maintenance: bool = False) -> AsyncEngine:
    """``maintenance`` for migrations and bulk copies: no statement timeouts, since their statements
    may rightly take long, and on SQLite no foreign-key enforcement, since a batch migration copies
    a table, drops the old one and renames the copy, and enforcement would cascade that drop to
    every row that references it."""
    if not is_sqlite(url):
        timeout_ms = str(STATEMENT_SECONDS * 1000)
        connect_args: dict[str, Any] = {"timeout": CONNECT_SECONDS}
        if not maintenance:
            connect_args["command_timeout"] = STATEMENT_SECONDS
            connect_args["server_settings"] = {
                "statement_timeout": timeout_ms,
                "idle_in_transaction_session_timeout": str(STATEMENT_SECONDS * 5000),
            }
        return create_async_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=CONNECT_SECONDS,
            hide_parameters=True,
            connect_args=connect_args,
        )
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, hide_parameters=True)
    _configure_sqlite(engine, foreign_keys=not maintenance)
    return engine


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed, not left in free pages
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine plus a session factory; one per process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)  # read by every transaction (``_turn``): parsed once
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction, committed on success and rolled back on error.

        On SQLite the process's transactions take turns, first come first served (see ``_turn``)."""
        async with self._turn(), self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """SQLite has one writer at a time, and every transaction here writes (BEGIN IMMEDIATE).
        Left to SQLite, writers that find the file locked sleep in its busy handler for growing
        intervals (up to 100 ms) and retry, so under load a few of them lose again and again: a
        drafting user waited 2 s while others were answered in 70 ms. Queueing them here instead
        hands the lock over the moment it is free, in arrival order. Other processes (a second
        instance, the CLI) still meet SQLite's own lock and busy timeout."""
        if not self.is_sqlite:
            yield
            return
        turn = self._turns.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        try:
            async with asyncio.timeout(SQLITE_BUSY_MS / 1000):
                await turn.acquire()
        except TimeoutError:  # what SQLite itself says after its busy timeout: 系统繁忙 (bot.outage)
            raise sqlite3.OperationalError("database is locked") from None
        try:
            yield
        finally:
            turn.release()

    async def release_deleted(self) -> None:
        """After a user's data was deleted: on SQLite, move the write-ahead log into the database
        file and truncate it, so no earlier page image with the deleted text stays in the WAL
        (``secure_delete`` has zeroed it in the file itself). For PostgreSQL see SECURITY.md."""
        if not self.is_sqlite:
            return
        async with self.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert raw.driver_connection is not None  # aiosqlite's connection, which awaits
            await raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def upgrade(self) -> None:
        """Apply pending migrations; Alembic's env runs its own event loop, so use a thread."""
        await asyncio.to_thread(upgrade_database, self.url)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)

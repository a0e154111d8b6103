"""Telling "the database is unreachable right now" apart from a bug.

During an outage the user should read a short "busy, try again" instead of the generic apology,
and the operator a one-line warning instead of a traceback per message. Nothing else is needed
to recover: every update is one transaction (a failed one leaves nothing behind) and the engine
pings pooled connections before use, so the first update after the database returns succeeds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import exc as sa_exc

BUSY = "系统繁忙，请稍后再试。"

# "No usable connection": SQLAlchemy's pool timed out (every connection stayed busy) or saw a
# disconnect.
_UNAVAILABLE = (sa_exc.TimeoutError, sa_exc.DisconnectionError)
# The same from PostgreSQL, by SQLSTATE (asyncpg and psycopg errors carry ``sqlstate``): class 08,
# connection exception (including a connection closed mid-query), 57P01-03 (server shutting
# down, crashed, still starting) and 53300 (too many connections).
_PG_UNAVAILABLE = ("08", "57P01", "57P02", "57P03", "53300")
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")
# An OSError (refused, reset, unreachable, DNS, connect timeout) counts only when it surfaced
# through the database stack: the same error from the Bot API's HTTP client is not an outage.
_DATABASE_MODULES = ("sqlalchemy.", "asyncpg.", "aiosqlite.")


_outages: ContextVar[list[bool] | None] = ContextVar("duizhao_outages", default=None)


@contextmanager
def watching() -> Iterator[list[bool]]:
    """Collects ``report()`` calls made while one update is processed (in this context), so the
    webhook can answer 503 and Telegram delivers the update again later."""
    seen: list[bool] = []
    token = _outages.set(seen)
    try:
        yield seen
    finally:
        _outages.reset(token)


def report() -> None:
    """The update being processed failed because the database is unavailable."""
    seen = _outages.get()
    if seen is not None:
        seen.append(True)


def is_database_unavailable(error: BaseException) -> bool:
    """True when ``error`` or anything that caused it says the database cannot be used now."""
    for cause in _causes(error):
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, _UNAVAILABLE):
            return True
        if str(getattr(cause, "sqlstate", "") or "").startswith(_PG_UNAVAILABLE):
            return True
        if isinstance(cause, sqlite3.OperationalError) and str(cause).lower().startswith(_SQLITE_UNAVAILABLE):
            return True
        if isinstance(cause, OSError) and _raised_in_database_stack(cause):
            return True
    return False


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (``orig`` of SQLAlchemy errors) and its causes and contexts."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)


def _raised_in_database_stack(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.startswith(_DATABASE_MODULES):
            return True
        traceback = traceback.tb_next
    return False

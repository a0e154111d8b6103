"""``duizhao db migrate-sqlite-to-postgres SRC DST``: move a SQLite database onto PostgreSQL.

The destination is migrated to the current schema first, then every table is copied in foreign
key order, in batches, inside one destination transaction: a failed copy leaves DST as it was.
Foreign keys that point forward in that order (``users.active_draft_id`` -> ``drafts``) are
written as NULL first and filled in once every table is there. SQLAlchemy reads and writes the
values, so JSON, dates and booleans convert by type; SQLite keeps no time zone, and its naive
times are UTC (what the bot writes), so they are stored as such. Serial sequences are moved past
the copied ids afterwards, or the next insert would collide.

SQLAlchemy is imported when the command runs, not when the CLI builds its parser.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table, Update
    from sqlalchemy.ext.asyncio import AsyncConnection

COMMAND = "migrate-sqlite-to-postgres"
BATCH_SIZE = 1000


class MigrationError(Exception):
    """Why the copy was refused; the message is for the operator."""


def register(db_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command under ``duizhao db``."""
    command = db_commands.add_parser(
        COMMAND,
        help="把 SQLite 数据库复制到 PostgreSQL",
        description="把 SQLite 数据库的全部数据复制到 PostgreSQL（先对目标执行迁移）。复制期间请停止机器人。",
    )
    command.add_argument("src", metavar="SRC", help="SQLite 文件路径或 sqlite+aiosqlite:/// 地址")
    command.add_argument("dst", metavar="DST", help="postgresql+asyncpg://用户:密码@主机/库")
    command.add_argument("--force", action="store_true", help="目标库已有数据时先清空再复制")
    command.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每批复制的行数")
    command.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        counts = copy_database(args.src, args.dst, force=args.force, batch_size=args.batch_size)
    except MigrationError as error:
        print(f"未复制：{error}", file=sys.stderr)
        return 1
    for table, rows in counts:
        print(f"{table:<20}{rows:>10} 行")
    print(f"完成：共复制 {sum(rows for _, rows in counts)} 行。")
    return 0


def copy_database(
    src_url: str, dst_url: str, *, force: bool = False, batch_size: int = BATCH_SIZE
) -> list[tuple[str, int]]:
    """Copy every row from SQLite ``src_url`` to PostgreSQL ``dst_url``; rows copied per table.

    Runs its own event loops (Alembic's, then the copy's): call it from a thread in async code.
    """
    import asyncio

    from storage.db import upgrade_database

    src, dst = _async_url(src_url), _async_url(dst_url)
    _check_backends(src, dst)
    upgrade_database(dst)
    return asyncio.run(_copy(src, dst, force=force, batch_size=batch_size))


def _async_url(url: str) -> str:
    """Accept a bare SQLite path and driverless URLs; the bot's engines are async ones."""
    from sqlalchemy.engine import make_url

    if "://" not in url:
        return f"sqlite+aiosqlite:///{Path(url).resolve()}"
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}.get(parsed.get_backend_name())
    return parsed.set(drivername=driver).render_as_string(hide_password=False) if driver else url


def _check_backends(src: str, dst: str) -> None:
    """Refuse the wrong direction: with --force, swapped arguments would wipe the real data."""
    from sqlalchemy.engine import make_url

    source, target = make_url(src), make_url(dst)
    if source.get_backend_name() != "sqlite":
        raise MigrationError(f"源数据库应为 SQLite，而不是 {source.get_backend_name()}")
    if target.get_backend_name() != "postgresql":
        raise MigrationError(f"目标数据库应为 PostgreSQL，而不是 {target.get_backend_name()}")
    if not Path(source.database or "").is_file():
        raise MigrationError(f"找不到 SQLite 文件 {source.database}")


async def _copy(src_url: str, dst_url: str, *, force: bool, batch_size: int) -> list[tuple[str, int]]:
    from storage.db import create_engine

    source, target = create_engine(src_url, maintenance=True), create_engine(dst_url, maintenance=True)
    try:
        async with source.connect() as src, target.begin() as dst:
            await _check_versions(src, dst)
            tables = _tables()
            if await _has_rows(dst, tables):
                if not force:
                    raise MigrationError("目标数据库已有数据；确认要覆盖请加 --force")
                await _empty(dst, tables)
            counts = await _copy_tables(src, dst, tables, batch_size)
            await _reset_sequences(dst, tables)
            return counts
    finally:
        await source.dispose()
        await target.dispose()


def _tables() -> list[Table]:
    from storage.models import Base

    return list(Base.metadata.sorted_tables)


async def _check_versions(src: AsyncConnection, dst: AsyncConnection) -> None:
    """Both sides must have the same schema, or columns would be missing on one of them."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    query = text("SELECT version_num FROM alembic_version")
    try:
        source = (await src.execute(query)).scalar_one_or_none()
    except DBAPIError:
        source = None
    target = (await dst.execute(query)).scalar_one()
    if source != target:
        raise MigrationError(
            f"源数据库的架构版本（{source or '无'}）与当前版本（{target}）不同；"
            "请先用本版本的 duizhao db upgrade 升级源数据库（设置 DUIZHAO_DATABASE_URL 指向它）"
        )


async def _has_rows(dst: AsyncConnection, tables: Sequence[Table]) -> bool:
    from sqlalchemy import exists, select

    for table in tables:
        if await dst.scalar(select(exists().select_from(table))):
            return True
    return False


async def _empty(dst: AsyncConnection, tables: Sequence[Table]) -> None:
    from sqlalchemy import text

    names = ", ".join(dst.dialect.identifier_preparer.quote(table.name) for table in tables)
    await dst.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


async def _copy_tables(
    src: AsyncConnection, dst: AsyncConnection, tables: Sequence[Table], batch_size: int
) -> list[tuple[str, int]]:
    from sqlalchemy import bindparam, insert, select, update

    counts: list[tuple[str, int]] = []
    fills: list[tuple[Update, list[dict[str, Any]]]] = []  # forward columns: UPDATE, its rows
    copied: set[Table] = set()
    for table in tables:
        keys = list(table.primary_key.columns)
        forward: dict[str, list[dict[str, Any]]] = {
            column.key: []
            for column in table.columns
            if any(fk.column.table not in copied or fk.column.table is table for fk in column.foreign_keys)
        }
        convert = _converter(table)
        total = 0
        result = await src.stream(select(table).order_by(*keys))
        async for batch in result.mappings().partitions(batch_size):
            rows = [convert(dict(row)) for row in batch]
            for name, later in forward.items():
                for row in rows:
                    if row[name] is not None:
                        later.append({f"pk_{key.key}": row[key.key] for key in keys} | {"value": row[name]})
                        row[name] = None
            await dst.execute(insert(table), rows)
            total += len(rows)
        for name, later in forward.items():
            statement = (
                update(table)
                .where(*(key == bindparam(f"pk_{key.key}") for key in keys))
                .values({name: bindparam("value")})
            )
            fills.append((statement, later))
        copied.add(table)
        counts.append((table.name, total))
    for statement, later in fills:
        for start in range(0, len(later), batch_size):
            await dst.execute(statement, later[start : start + batch_size])
    return counts


def _converter(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Naive times in time-zone-aware columns are UTC: SQLite drops the zone SQLAlchemy wrote."""
    from sqlalchemy import DateTime

    aware = [c.key for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        for key in aware:
            value = row[key]
            if isinstance(value, datetime) and value.tzinfo is None:
                row[key] = value.replace(tzinfo=UTC)
        return row

    return convert


async def _reset_sequences(dst: AsyncConnection, tables: Sequence[Table]) -> None:
    """Move each serial id's sequence past the largest copied id (no-op for non-serial keys)."""
    from sqlalchemy import Integer, text

    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or key[0].autoincrement is False:
            continue
        quote = dst.dialect.identifier_preparer.quote
        column, name = quote(key[0].name), quote(table.name)
        sequence = "pg_get_serial_sequence(:table, :column)"
        await dst.execute(
            text(f"SELECT setval({sequence}, COALESCE(MAX({column}), 0) + 1, false) FROM {name}"),
            {"table": table.name, "column": key[0].name},
        )

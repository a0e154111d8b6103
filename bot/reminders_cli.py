"""``duizhao reminders list|dispatch`` for operators and tests; no answer text is printed."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

FOREVER = datetime.max.replace(tzinfo=UTC)


def register(subparsers: Any) -> None:
    command = subparsers.add_parser("reminders", help="查看或发送整改提醒", description="查看或发送整改提醒")
    actions = command.add_subparsers(dest="reminders_command", required=True)
    listing = actions.add_parser("list", help="列出待发送的提醒")
    listing.add_argument("--due-before", help="只列出此时间之前到期的（ISO 格式，如 2026-03-01T09:00+08:00）")
    listing.set_defaults(handler=_list)
    dispatch = actions.add_parser("dispatch", help="发送已到期的提醒")
    dispatch.add_argument("--once", action="store_true", required=True, help="发送一轮后退出")
    dispatch.set_defaults(handler=_dispatch)


def _list(args: argparse.Namespace) -> int:
    from bot.cli import settings_or_exit
    from storage import reminders
    from storage.db import Database

    settings = settings_or_exit()
    try:
        before = datetime.fromisoformat(args.due_before) if args.due_before else FOREVER
    except ValueError:
        example = "2026-03-01T09:00+08:00"
        print(f"错误：无法识别时间 {args.due_before}，请用 ISO 格式，如 {example}", file=sys.stderr)
        return 2
    if before.tzinfo is None:
        before = before.replace(tzinfo=settings.tz)

    async def run() -> None:
        db = Database(settings.effective_database_url)
        await db.upgrade()
        async with db.transaction() as session:
            rows = await reminders.due_before(session, before)
        await db.dispose()
        print(f"{'id':>6}  {'用户':>12}  {'类型':<14}{'到期（本地时间）':<20}{'状态':<8}尝试")
        for row in rows:
            local = row.due_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
            print(f"{row.id:>6}  {row.user_id:>12}  {row.kind:<14}{local:<20}{row.state:<8}{row.attempts}")
        print(f"共{len(rows)}条。")

    import asyncio  # deferred: `duizhao check` builds this parser and should not pay for asyncio

    asyncio.run(run())
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    from bot.app import build_application
    from bot.cli import settings_or_exit
    from handlers.common import services_of
    from handlers.followup import dispatch_once

    settings = settings_or_exit()
    if settings.bot_token is None:
        print("错误：未设置机器人令牌。请设置环境变量 DUIZHAO_BOT_TOKEN 后再发送提醒。", file=sys.stderr)
        return 2
    application = build_application(settings)

    async def run() -> None:
        async with application:
            await services_of(application).db.upgrade()
            result = await dispatch_once(application.bot, services_of(application))
            await services_of(application).db.dispose()
        print(
            f"已发送{result.sent}条，稍后重试{result.retried}条，失败{result.failed}条，无需发送{result.skipped}条。"
        )

    import asyncio

    asyncio.run(run())
    return 0

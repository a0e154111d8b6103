"""The ``duizhao`` command: run the bot, chat with it offline, and operator tools."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import migrate

if TYPE_CHECKING:
    from bot.settings import Settings

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool killed by SIGPIPE


def settings_or_exit() -> Settings:
    """Imported lazily: commands such as ``check`` must start fast and need no settings."""
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        settings = Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SystemExit(f"配置错误：DUIZHAO_{field.upper()}：{first['msg']}") from None
    settings.apply_encryption()
    return settings


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        print(
            "错误：未设置机器人令牌。请设置环境变量 DUIZHAO_BOT_TOKEN（或写入 .env 文件）后再运行。",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from bot.observability import configure_logging, serve_metrics

    configure_logging(settings)
    serve_metrics(settings)
    if args.webhook:
        from bot.webhook import run_webhook

        return run_webhook(settings)
    from bot.app import build_application
    from bot.deadlines.holidays import HolidaysError

    try:
        application = build_application(settings, rate_limited=True)
    except HolidaysError as error:
        print(f"节假日配置有误：{error}", file=sys.stderr)
        return 1
    application.run_polling(allowed_updates=None)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = settings_or_exit()

    from bot.app import BotApplication, build_offline_application
    from bot.botapi import InProcessBotApi
    from bot.chat import run_chat

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("duizhao.updates").setLevel(logging.WARNING)

    def factory(api: InProcessBotApi) -> BotApplication:
        return build_offline_application(settings, api)

    import asyncio

    output = Path(args.out) if args.out else settings.data_dir / "chat-files"
    asyncio.run(
        run_chat(
            factory,
            user_id=args.user_id,
            output_dir=output,
            stdin=sys.stdin,
            stdout=sys.stdout,
            roster=settings.data_dir / "chat-users.json",
            history=settings.data_dir / "chat-history.json",
        )
    )
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from storage.db import upgrade_database

    settings = settings_or_exit()
    upgrade_database(settings.effective_database_url)
    print("数据库已升级到最新版本。")
    return 0


def cmd_reencrypt(args: argparse.Namespace) -> int:
    import asyncio

    from storage.db import Database
    from storage.repo import reencrypt_all

    settings = settings_or_exit()
    if not settings.encryption_keys:
        print("错误：未设置 DUIZHAO_ENCRYPTION_KEYS，没有可用的密钥。", file=sys.stderr)
        return EXIT_USAGE

    async def run() -> int:
        db = Database(settings.effective_database_url)
        await db.upgrade()
        async with db.transaction() as session:
            count = await reencrypt_all(session)
        await db.dispose()
        return count

    print(f"已用当前密钥重新加密{asyncio.run(run())}行内容。")
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from bot.catalog import CatalogError, load_catalog

    settings = settings_or_exit()
    try:
        catalog = load_catalog(settings.themes_dir)
    except CatalogError as error:
        print(f"主题配置有误：{error}", file=sys.stderr)
        return 1
    if args.key:
        theme = catalog.themes.get(args.key)
        if theme is None:
            print(f"没有主题 {args.key}。可用：{'、'.join(catalog.themes)}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{theme.key}  {theme.title}  [{theme.status}]  ({theme.source})")
        for index, aspect in enumerate(theme.aspects, start=1):
            mark = "" if aspect.verified else "  [未核实]"
            print(f"  {index}. {aspect.heading}{mark}")
        return 0
    print("材料类型：")
    for kind in catalog.kinds.values():
        print(f"  {kind.key:<22}{kind.name}{'' if kind.selectable else '（自动生成）'}")
    print("年度主题：")
    for theme in catalog.themes.values():
        print(f"  {theme.key:<22}{theme.title}（{len(theme.aspects)}个方面）[{theme.status}]")
    return 0


def cmd_holidays(args: argparse.Namespace) -> int:
    """Check the holidays file and say which years are covered, as ``themes`` does for themes."""
    from datetime import datetime

    from bot.deadlines import calendar
    from bot.deadlines.holidays import HolidaysError, load_holidays

    settings = settings_or_exit()
    if settings.holidays_file is not None:
        try:
            schedule = load_holidays(settings.holidays_file)
        except HolidaysError as error:
            print(f"节假日配置有误：{error}", file=sys.stderr)
            return 1
        calendar.use_schedule(schedule)
        years = "、".join(str(y) for y in sorted(schedule.years))
        print(
            f"{schedule.source}：{years}年，放假{len(schedule.days)}天，调休上班{len(schedule.workdays)}天。"
        )
    today = datetime.now(settings.tz).date()
    for year in (today.year, today.year + 1):
        print(f"{year}年：{'已配置' if calendar.covered(year) else '未配置，按周一至周五计算'}")
    warning = calendar.coverage_warning(today)
    return 1 if warning else 0


def cmd_config(args: argparse.Namespace) -> int:
    for name, value in settings_or_exit().describe():
        print(f"{name}={value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duizhao", description="对照：对照检查材料起草、审核与整改跟踪机器人"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    run = add("run", cmd_run, "连接 Telegram（或自建 Bot API）运行机器人，默认轮询")
    run.add_argument("--webhook", action="store_true", help="以 webhook 方式接收更新（见 DUIZHAO_WEBHOOK_*）")
    chat = add("chat", cmd_chat, "在终端里离线与机器人对话（无需令牌和网络）")
    chat.add_argument("--user-id", type=int, default=10001, help="模拟的 Telegram 用户 id")
    chat.add_argument("--out", help="机器人发送的文件保存到此目录（默认 数据目录/chat-files）")
    db = add("db", cmd_db, "数据库维护")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="应用全部数据库迁移")
    reencrypt = db_sub.add_parser("reencrypt", help="用第一个密钥重新加密全部内容（轮换密钥后运行）")
    reencrypt.set_defaults(handler=cmd_reencrypt)
    migrate.register(db_sub)
    themes = add("themes", cmd_themes, "列出材料类型和年度主题，或查看某个主题的方面")
    themes.add_argument("key", nargs="?", help="主题键，如 dsh-2025")
    add("holidays", cmd_holidays, "检查节假日文件（DUIZHAO_HOLIDAYS_FILE），列出已配置的年份")
    add("config", cmd_config, "显示当前生效的配置（隐去密钥）")
    for register in _extension_commands():
        register(sub)
    return parser


def _extension_commands() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]:
    """Subcommands that live with their feature; each module keeps its heavy imports lazy."""
    from bot.formats.cli import register as formats_commands
    from bot.parsing.cli import register as parse_command
    from bot.reminders_cli import register as reminders_command
    from bot.review.cli import register as check_command

    return [parse_command, check_command, formats_commands, reminders_command]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (``| head``) stopped reading: end quietly like other Unix tools.
        # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


if __name__ == "__main__":
    raise SystemExit(main())

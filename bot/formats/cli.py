"""Operator commands for files: ``duizhao export`` (a stored draft) and ``duizhao format`` (an upload).

``register`` adds both to the ``duizhao`` parser. Renderers, the parser and the database layer are
imported inside the handlers, so every other command starts without them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.formats import ExportFormat

if TYPE_CHECKING:
    from bot.document import Document
    from bot.render.profile import Profile

EXIT_FAILED = 1
EXIT_USAGE = 2


class _Refused(Exception):
    """A bad argument or input; the message is one Chinese line, the exit status goes with it."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``, ``drafts`` (the public ids ``export`` takes) and ``format`` to ``duizhao``."""
    export = subparsers.add_parser(
        "export",
        help="把已保存的材料导出为文件",
        description="把已保存的材料导出为公文格式 Word、Markdown、文本或整改台账",
    )
    export.add_argument(
        "draft_id", metavar="DRAFT_PUBLIC_ID", help="材料编号（public id，用 duizhao drafts 查看）"
    )
    export.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        default=ExportFormat.DOCX.value,
        help="docx 公文格式 Word；md / txt 文本；xlsx 整改台账（默认 docx）",
    )
    _add_output_arguments(export)
    export.set_defaults(handler=cmd_export)

    drafts = subparsers.add_parser(
        "drafts",
        help="列出已保存的材料及其编号（供 export 使用）",
        description="列出已保存的材料：编号、起草人用户 id、类型、年度、会议日期、更新时间、整改措施数"
        "（不含材料内容），最近改动的在前",
    )
    drafts.add_argument(
        "--user", type=int, metavar="USER_ID", help="只列出此用户（Telegram 用户 id）起草的材料"
    )
    drafts.set_defaults(handler=cmd_drafts)

    fmt = subparsers.add_parser(
        "format",
        help="把已有材料排成公文格式",
        description="读取已有材料（.docx、.txt、.md），按公文格式重新排版输出 .docx",
    )
    fmt.add_argument("input", metavar="INPUT", help="要排版的材料文件")
    _add_output_arguments(fmt)
    fmt.set_defaults(handler=cmd_format)


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="输出文件（或已存在的目录）")
    parser.add_argument(
        "--profile", help="排版方案：内置名称（如 gbt9704、unit-28pt）或 YAML 文件路径；默认 GB/T 9704"
    )
    parser.add_argument(
        "--date", help="文末落款日期，如 2026年1月5日 或 2026-01-05（仅 docx；默认会议日期，未定则为当天）"
    )


def cmd_export(args: argparse.Namespace) -> int:
    def run() -> Path:
        import asyncio

        from bot.catalog import CatalogError, load_catalog
        from bot.cli import settings_or_exit
        from bot.formats.export import ExportError, export_draft

        settings = settings_or_exit()
        try:
            catalog = load_catalog(settings.themes_dir)
        except CatalogError as error:
            raise _Refused(f"主题配置有误：{error}", EXIT_FAILED) from None
        export = export_draft(
            settings.effective_database_url,
            args.draft_id,
            ExportFormat(args.format),
            _profile(args.profile),
            catalog=catalog,
            date_line=_date(args.date),
            tz=settings.tz,
        )
        from bot.render.pages import PagesUnavailable

        try:
            name, content = asyncio.run(export)
        except ExportError as error:
            raise _Refused(str(error)) from None
        except PagesUnavailable as error:
            raise _Refused(
                f"无法生成PDF（{error}）。请安装 LibreOffice：bash scripts/install-render-tools.sh"
            ) from None
        return _write(Path(args.out), name, content)

    return _reporting(run)


def cmd_drafts(args: argparse.Namespace) -> int:
    """One line per draft, its public id first; what tells drafts apart, never what they say."""
    import asyncio

    from bot.catalog import CatalogError, load_catalog
    from bot.cli import settings_or_exit
    from bot.formats.export import list_drafts

    settings = settings_or_exit()
    try:
        kinds = load_catalog(settings.themes_dir).kinds
    except CatalogError as error:
        print(f"主题配置有误：{error}", file=sys.stderr)
        return EXIT_FAILED
    listed = asyncio.run(list_drafts(settings.effective_database_url, args.user))
    for draft in listed:
        spec = kinds.get(draft.kind or "")
        fields = [
            draft.public_id,
            f"起草人{draft.owner}" if draft.owner is not None else "无起草人",
            spec.name if spec is not None else draft.kind or "未选类型",
            f"{draft.year}年度" if draft.year else "年度未定",
            f"会议{draft.meeting_date.isoformat()}" if draft.meeting_date else "会议日期未定",
            f"更新于{draft.updated_at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
            f"整改措施{draft.measures}项",
        ]
        print("  ".join(fields))
    print(f"共{len(listed)}份。导出其中一份：duizhao export 编号 --format docx|pdf|md|txt|xlsx --out 路径")
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    def run() -> Path:
        from bot.render.official_docx import render_official_docx

        source = Path(args.input)
        if not source.is_file():
            raise _Refused(f"找不到文件：{source}")
        profile, date_line = _profile(args.profile), _date(args.date)
        content = render_official_docx(_parse(source), profile=profile, date_line=date_line)
        return _write(Path(args.out), f"{source.stem}.docx", content)

    return _reporting(run)


def _parse(source: Path) -> Document:
    from bot.parsing import ParseError, parse_file

    try:
        result = parse_file(source)
    except ParseError as error:
        raise _Refused(str(error), EXIT_FAILED) from None
    if result.unplaced:  # the Document has no place for them, so the operator must hear of them
        print(f"注意：有 {len(result.unplaced)} 处文字未能归入结构，未排入输出：", file=sys.stderr)
        for piece in result.unplaced:
            print(f"  {piece.text}（{piece.reason}）", file=sys.stderr)
    return result.document


def _reporting(run: Callable[[], Path]) -> int:
    try:
        path = run()
    except _Refused as refused:
        print(refused, file=sys.stderr)
        return refused.status
    print(f"已生成：{path}")
    return 0


def _profile(ref: str | None) -> Profile | None:
    """A path (anything with a suffix, or an existing file) or else a packaged profile's name."""
    from bot.render.profile import ProfileError, load_profile

    if ref is None:
        return None
    path = Path(ref)
    try:
        return load_profile(path if path.suffix or path.exists() else ref)
    except ProfileError as error:
        raise _Refused(f"排版方案有误：{error}", EXIT_FAILED) from None


def _date(text: str | None) -> date | None:
    from bot.dates import parse_date

    if text is None:
        return None
    value = parse_date(text)
    if value is None:
        raise _Refused(f"日期“{text}”无法识别，请写成 2026年1月5日 或 2026-01-05。")
    return value


def _write(out: Path, name: str, content: bytes) -> Path:
    target = out / name if out.is_dir() else out
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target

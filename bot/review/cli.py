"""``duizhao check FILE``: review a material from the command line.

Exit status: 0 when no undismissed error-level finding remains, 1 when one does, 2 for a usage
problem (unreadable file, unknown kind, bad date or config), reported in one Chinese line on stderr.
Imports are deferred to the command itself so ``duizhao`` starts fast and the check path never loads
the Telegram or database stack.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.parsing.sources import SourceMap

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json")
HELP = "按组织部审核口径检查一份材料（.docx / .txt / .md）"


class UsageError(Exception):
    """A bad argument; the message is the one line shown to the user."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command to ``duizhao``'s sub-commands."""
    parser = subparsers.add_parser("check", help=HELP, description=HELP)
    add_arguments(parser)
    parser.set_defaults(handler=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options are taken as text and validated in ``run``, so mistakes get a Chinese one-liner."""
    parser.add_argument("file", metavar="FILE", help="要检查的材料")
    parser.add_argument("--kind", help="材料类型键，如 personal_dsh、team_dsh（见 duizhao themes）")
    parser.add_argument("--year", help="年度，如 2025（2025年度的会在2026年初召开）")
    parser.add_argument("--meeting-date", help="会议日期 YYYY-MM-DD，用于判断过时提法")
    parser.add_argument("--format", default="text", help="输出格式：text（默认）或 json")
    parser.add_argument("--config", help="审核配置文件（YAML），覆盖内置配置")
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="FILE",
        help="本人以前的材料，用于发现照搬的问题（可多次给出）",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _check(args)
    except UsageError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_USAGE


def _check(args: argparse.Namespace) -> int:
    import json

    from bot.parsing import ParseError, parse_file
    from bot.review.config import ConfigError, load_config
    from bot.review.engine import review
    from bot.review.findings import Severity
    from bot.review.render import render_json, render_terminal

    if args.format not in FORMATS:
        raise UsageError(f"不支持的输出格式 {args.format}，可选：{'、'.join(FORMATS)}")
    year = _year(args.year)
    meeting = _date(args.meeting_date)
    catalog = _catalog()
    kind = _kind(args.kind, catalog)
    try:
        config = load_config(args.config) if args.config else None
    except ConfigError as error:
        raise UsageError(f"审核配置有误：{error}") from None
    path = Path(args.file)
    try:
        result = parse_file(path)
    except ParseError as error:
        raise UsageError(str(error)) from None
    source = _source(path, result.text)
    previous = [_previous(Path(name)) for name in args.previous]
    as_json = args.format == "json"
    findings = review(
        result,
        kind=kind,
        year=year,
        meeting_date=meeting,
        config=config,
        catalog=catalog,
        capped=not as_json,
        previous=previous,
    )
    if as_json:
        print(json.dumps(render_json(findings, source), ensure_ascii=False, indent=2))
    else:
        print(render_terminal(findings, result.text, source))
    if args.kind is None and any(f.rule.startswith("kind.") for f in findings):
        kinds = "、".join(f"{key}（{spec.name}）" for key, spec in catalog.kinds.items())
        print(f"提示：材料类型是按标题判断的，可加 --kind 指定：{kinds}", file=sys.stderr)
    failing = any(f.severity is Severity.ERROR and not f.dismissed for f in findings)
    return EXIT_ERRORS if failing else EXIT_OK


def _catalog() -> Catalog:
    """The catalog the bot uses: the packaged one overlaid with DUIZHAO_THEMES_DIR (settings or .env)."""
    from pydantic import ValidationError

    from bot.catalog import CatalogError, load_catalog
    from bot.settings import Settings

    try:
        themes_dir = Settings().themes_dir
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"配置有误：DUIZHAO_{field.upper()}：{first['msg']}") from None
    try:
        return load_catalog(themes_dir)
    except CatalogError as error:
        raise UsageError(f"主题配置有误：{error}") from None


def _previous(path: Path) -> str:
    from bot.parsing import ParseError, parse_file

    try:
        return parse_file(path).text
    except ParseError as error:
        raise UsageError(f"以前的材料 {path.name}：{error}") from None


def _source(path: Path, text: str) -> SourceMap:
    """Where the parser's text stands in the file: a plain-text file is mapped back through the
    normalisation (indented lines, invisible characters); .docx and .md are located in their text."""
    from bot.parsing.sources import SourceMap, decode_text, normalise

    if path.suffix.lower() == ".txt":
        raw = decode_text(path.read_bytes())
        if normalise(raw) == text:
            return SourceMap.of(raw)
    return SourceMap.of(text)


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise UsageError(f"年度应为四位数字，如 2025，收到 {value}")
    return int(value)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"会议日期应写作 YYYY-MM-DD，如 2026-01-20，收到 {value}") from None


def _kind(value: str | None, catalog: Catalog) -> str | None:
    if value is None:
        return None
    kinds = catalog.kinds
    if value not in kinds:
        raise UsageError(f"未知的材料类型 {value}，可选：{'、'.join(kinds)}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.review.cli FILE [options]``: the check command on its own."""
    parser = argparse.ArgumentParser(prog="python -m bot.review.cli", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())

"""``duizhao parse FILE``: how the parser reads a material, for operators and rule authors.

Materials are confidential; this prints them only to the operator's own terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.document import Item, Section, SectionRole, Span
from bot.parsing.parser import ParseResult, parse_file
from bot.parsing.sources import ParseError

EXIT_ERROR = 2
_PREVIEW = 30

ROLE_LABELS: dict[SectionRole, str] = {
    SectionRole.PREAMBLE: "导语",
    SectionRole.LAST_YEAR: "上年度整改",
    SectionRole.PROBLEMS: "存在问题",
    SectionRole.EXTRA: "说明事项",
    SectionRole.CAUSES: "原因剖析",
    SectionRole.MEASURES: "整改措施",
    SectionRole.OTHER: "其他",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``parse`` subcommand to the ``duizhao`` command line."""
    help_text = "解析一份对照检查材料（.docx、.txt、.md），显示识别出的结构"
    command = subparsers.add_parser("parse", help=help_text, description=help_text)
    command.add_argument("file", type=Path, help="材料文件")
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="输出格式：text（大纲，默认）或 json"
    )
    command.set_defaults(handler=cmd_parse)


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        result = parse_file(args.file)
    except ParseError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps(outline_json(result), ensure_ascii=False, indent=2))
    else:
        print("\n".join(outline_text(result)))
    return 0


def outline_json(result: ParseResult) -> dict[str, Any]:
    doc = result.document
    return {
        "title": doc.title,
        "title_span": doc.title_span,
        "byline": doc.byline,
        "byline_span": result.byline_span,
        "sections": [_section_json(section) for section in doc.sections],
        "unplaced": [{"text": u.text, "span": u.span, "reason": u.reason} for u in result.unplaced],
    }


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "role": section.role.value,
        "marker": section.marker.text if section.marker else None,
        "heading": section.heading,
        "span": section.span,
        "heading_span": section.heading_span,
        "paragraphs": [
            {"text": text, "span": span}
            for text, span in zip(section.paragraphs, section.paragraph_spans, strict=True)
        ],
        "items": [_item_json(item) for item in section.items],
        "subsections": [_section_json(sub) for sub in section.subsections],
    }


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "marker": item.marker.text if item.marker else None,
        "headline": item.headline,
        "body": item.body,
        "span": item.span,
    }


def outline_text(result: ParseResult) -> list[str]:
    """One line per heading, paragraph and item, indented by depth, with spans for locating them."""
    doc = result.document
    lines = [f"标题：{doc.title or '（无）'}", f"署名：{doc.byline or '（无）'}"]
    for section in doc.sections:
        lines.extend(_section_text(section, depth=0))
    lines.extend(f"未归入：{_preview(u.text)}〔{u.reason}〕{_span(u.span)}" for u in result.unplaced)
    return lines


def _section_text(section: Section, depth: int) -> list[str]:
    indent = "  " * depth
    marker = section.marker.text if section.marker else ""
    heading = section.heading if section.heading is not None else ""
    label = f"〔{ROLE_LABELS[section.role]}〕" if depth == 0 else ""
    lines = [f"{indent}{marker}{heading}{label}{_span(section.span)}"]
    lines.extend(
        f"{indent}  ¶ {_preview(p)}{_span(s)}"
        for p, s in zip(section.paragraphs, section.paragraph_spans, strict=True)
    )
    lines.extend(
        f"{indent}  · {item.marker.text if item.marker else ''}{_preview(item.headline)}{_span(item.span)}"
        for item in section.items
    )
    for sub in section.subsections:
        lines.extend(_section_text(sub, depth + 1))
    return lines


def _preview(text: str) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= _PREVIEW else flat[:_PREVIEW] + "…"


def _span(span: Span | None) -> str:
    return f"  [{span[0]}–{span[1]})" if span else ""

"""Findings for people and programs: Telegram HTML, a terminal listing and JSON.

Every piece of material text and every message goes through ``html.escape`` in the chat form, since
messages quote the user's own words. Dismissed findings are always shown, marked, after the others.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.document import Span
from bot.review.engine import names_its_place
from bot.review.findings import Finding, Severity

if TYPE_CHECKING:
    from bot.parsing.sources import SourceMap

_ITEM_INDENT = "   "


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Undismissed findings per severity, every severity present, counting those a capped finding
    folds in (``Finding.count``): 必须修改5处 when four are listed and the fourth says 此后还有1处."""
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        if not finding.dismissed:
            counts[finding.severity.value] += finding.count
    return counts


def summary_text(findings: Sequence[Finding], severities: Sequence[Severity] = tuple(Severity)) -> str:
    """``必须修改2处，建议修改1处`` for the undismissed findings of ``severities``; "" when none."""
    return counts_text(summary(findings), severities)


def counts_text(counts: Mapping[str, Any], severities: Sequence[Severity] = tuple(Severity)) -> str:
    """``必须修改2处，建议修改1处`` for counts by severity (as ``summary`` gives them); "" when none."""
    parts = [f"{s.label}{counts.get(s.value, 0)}处" for s in severities if counts.get(s.value, 0)]
    return "，".join(parts)


def render_json(findings: Sequence[Finding], source: SourceMap | None = None) -> dict[str, Any]:
    """``{"findings": [...], "summary": {"error": n, "warning": n, "info": n}}`` (shape in README).

    Each finding lists every place it covers, each with its span ([start, end) in characters) and,
    given ``source``, the span, line and column in the file as given rather than the parser's text.
    """
    rows = []
    for f in findings:
        places = [_place(span, source) for span in f.all_places]
        row: dict[str, Any] = {
            "rule": f.rule,
            "severity": f.severity.value,
            "section": f.section,
            "message": f.message,
            "suggestion": f.suggestion,
            "snippet": f.snippet,
            "span": places[0]["span"] if places else None,
            "line": places[0].get("line") if places else None,
            "column": places[0].get("column") if places else None,
            "places": places,
        }
        if f.dismissed:
            row["dismissed"] = True
        rows.append(row)
    return {"findings": rows, "summary": summary(findings)}


def _place(span: Span, source: SourceMap | None) -> dict[str, Any]:
    if source is None:
        return {"span": list(span)}
    _, line, column = source.place(span[0])
    return {"span": list(source.span(span)), "line": line, "column": column}


def _line_col(text: str, offset: int, source: SourceMap | None = None) -> str:
    if source is not None:
        _, line, column = source.place(offset)
        return f"{line}:{column}"
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by severity, most severe first, then the dismissed ones; empty groups left out."""
    groups = [(s.label, [f for f in findings if f.severity is s and not f.dismissed]) for s in Severity]
    groups.append(("已忽略", [f for f in findings if f.dismissed]))
    return [(label, members) for label, members in groups if members]


def render_terminal(findings: Sequence[Finding], text: str, source: SourceMap | None = None) -> str:
    """A listing grouped by severity with ``line:col`` (in the file as given when ``source`` maps it),
    the place, the offending text and the fix; a finding with several places lists them all."""
    if not findings:
        return "未发现问题。"
    out = []
    for label, members in _groups(findings):
        out.append(f"{label}（{sum(f.count for f in members)}）")
        for f in members:
            where = _line_col(text, f.span[0], source) if f.span is not None else ""
            out.append(f"  {where:<8}{f.section or ''}")
            if len(f.all_places) > 1:
                spots = "、".join(_line_col(text, p[0], source) for p in f.all_places)
                out.append(f"  {'':<8}共{len(f.all_places)}处：{spots}")
            out.append(f"  {'':<8}{f.message}  [{f.rule}]")
            if f.snippet:
                out.append(f"  {'':<8}原文：{f.snippet}")
            out.append(f"  {'':<8}建议：{f.suggestion}")
        out.append("")
    out.append(f"合计：{summary_text(findings) or '无未忽略的问题'}")
    return "\n".join(out)


def _chat_entry(number: int, finding: Finding) -> str:
    message = _escape(finding.message)
    lines = [f"{number}. " + (f"<s>{message}</s>（已忽略）" if finding.dismissed else f"<b>{message}</b>")]
    if finding.section:
        lines.append(f"{_ITEM_INDENT}<i>{_escape(finding.section)}</i>")
    if not finding.dismissed:
        lines.append(f"{_ITEM_INDENT}建议：{_escape(finding.suggestion)}")
    return "\n".join(lines)


def render_chat(findings: Sequence[Finding], limit_chars: int = 3500) -> tuple[str, list[Finding]]:
    """Telegram HTML for as many findings as fit in ``limit_chars`` (at least one), and the rest.

    The rest is for a "更多" button: render it with another call.
    """
    if not findings:
        return "没有发现需要修改的地方。", []
    header = f"<b>审核意见</b>：{summary_text(findings) or '以下意见均已忽略'}"
    blocks = [header]
    size = len(header)
    ordered = [f for _, members in _groups(findings) for f in members]
    for label, members in _groups(findings):
        for number, finding in enumerate(members, 1):
            block = (f"\n<b>{label}</b>\n" if number == 1 else "") + _chat_entry(number, finding)
            shown = len(blocks) - 1
            if shown and size + 1 + len(block) > limit_chars:
                return "\n".join(blocks), ordered[shown:]
            blocks.append(block)
            size += 1 + len(block)
    return "\n".join(blocks), []


def render_answer_feedback(
    findings: Sequence[Finding], names: Mapping[int, str] | None = None, max_items: int = 3
) -> str:
    """A short note right after an answer: the few most severe points, or "" when there are none.
    ``names`` holds the words for items by id (``二是``) when the note is about several, so that each
    point says which of them it is about, unless its message names its place itself (（一）有一段…):
    the place is named once, as /check names it."""
    live = [f for f in findings if not f.dismissed]
    if not live:
        return ""
    named = names or {}
    shown = live[:max_items]
    must = any(f.severity is Severity.ERROR for f in shown)  # what /check calls 必须修改 is not optional
    lines = ["这里有必须修改的地方：" if must else "这一部分还可以再改改："]
    for f in shown:
        placed = f.place.item is not None and not names_its_place(f.rule)
        which = named.get(f.place.item) if placed and f.place.item is not None else None
        about = f"{_escape(which)}：" if which else ""
        lines.append(f"• {about}{_escape(f.message)}。{_escape(f.suggestion)}")
    hidden = sum(f.count for f in live[max_items:])
    if hidden:
        lines.append(f"另有{hidden}处，完整审核时一并列出。")
    return "\n".join(lines)

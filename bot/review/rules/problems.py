"""problems.*: 把问题找准 — concrete, one's own, about thought not only work, not stock, not praise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from bot.document import SectionRole
from bot.review.config import Params
from bot.review.engine import ReviewContext, rule
from bot.review.findings import Hit, Severity
from bot.review.units import Block, Unit, sentences, which

_CLAUSE = re.compile(r"[^。；：:;，,“”\n]+")  # last year's problems are often quoted mid-sentence
_MIN_REPEAT = 6


def block_name(block: Block) -> str:
    """How messages name an aspect: its number, else 问题部分."""
    return block.label or "问题部分"


def is_stock(unit: Unit, params: Params) -> bool:
    """A 万能问题 headline with nothing concrete after it; problems.stock reports these."""
    return bool(params.pattern("stock_phrases").search(unit.headline)) and not params.pattern(
        "signals"
    ).search(unit.text)


@rule(
    "problems.concrete",
    Severity.WARNING,
    message="{where}{which}没有具体事例",
    suggestion="补充时间、次数或哪项工作中的具体表现，可用“比如……”引出，做到见人见事",
)
def concrete(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Each problem point carries an example, a number, a date or a named piece of work (per aspect)."""
    signals = params.pattern("signals")
    for block in ctx.problem_aspects:
        bare = [u for u in block.units if not signals.search(u.text) and not is_stock(u, params)]
        if bare:
            yield Hit(bare[0].headline_span, {"where": block_name(block), "which": which(bare, block.units)})


@rule(
    "problems.voice",
    Severity.WARNING,
    message="个人材料中写“{text}”，是在讲别人的问题",
    suggestion="只讲本人的问题，改为写自己的具体表现，如“我在……时……”",
)
def voice(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A personal material's problems are the writer's own, not 有的班子成员's or 个别同志's."""
    if ctx.voice != "first_person":
        return
    pattern = params.pattern("others")
    for block in ctx.blocks(SectionRole.PROBLEMS):
        for match in pattern.finditer(block.body):
            start = block.body_span[0] + match.start()
            yield Hit((start, start + len(match.group())), {"text": match.group()})


@rule(
    "problems.thought",
    Severity.WARNING,
    message="{where}只谈了工作上的问题，没有从思想、政治、党性上查找",
    suggestion="不以工作问题代替思想问题，补充思想认识、政治站位或党性修养上的差距",
)
def thought(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Somewhere in each aspect (not in each point) the problems touch thought, politics or party spirit."""
    vocabulary = params.strings("vocabulary")
    for block in ctx.problem_aspects:
        if block.body.strip() and not any(word in block.body for word in vocabulary):
            yield Hit(block.section.heading_span, {"where": block_name(block)})


@rule(
    "problems.stock.generic",
    Severity.WARNING,
    message="“{headline}”是常见的“万能问题”，又没有具体表现",
    suggestion="写出自己独有的表现：哪项工作、什么时间、造成了什么影响，避免年年都能用的说法",
)
def stock_generic(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A stock problem statement (理论学习不够深入…) with no specifics behind it."""
    for block in ctx.problem_aspects:
        for unit in block.units:
            if is_stock(unit, params):
                yield Hit(unit.headline_span, {"headline": unit.headline})


@rule(
    "problems.stock.repeat",
    Severity.WARNING,
    message="这条问题与上年度查摆的“{old}”基本相同",
    suggestion="说明上年度整改后为何仍然存在，并写出今年的新表现和原因",
)
def stock_repeat(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A problem is not last year's problem again in nearly the same words."""
    last_year = [
        clause.strip()
        for block in ctx.blocks(SectionRole.LAST_YEAR)
        for clause in _CLAUSE.findall(block.body)
        if len(clause.strip()) >= _MIN_REPEAT
    ]
    if not last_year:
        return
    threshold = params.number("repeat_similarity")
    for block in ctx.problem_aspects:
        for unit in block.units:
            if len(unit.headline) >= _MIN_REPEAT:
                old = _similar(unit.headline, last_year, threshold)
                if old is not None:
                    yield Hit(unit.headline_span, {"old": old})


def _similar(text: str, candidates: list[str], threshold: float) -> str | None:
    """The first candidate at least ``threshold`` similar to ``text``; cheap upper bounds go first."""
    matcher = SequenceMatcher(None, b=text, autojunk=False)
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if (
            matcher.real_quick_ratio() >= threshold
            and matcher.quick_ratio() >= threshold
            and matcher.ratio() >= threshold
        ):
            return candidate
    return None


@rule(
    "problems.praise",
    Severity.WARNING,
    message="{where}肯定成绩的话占了约{pct}%",
    suggestion="问题部分直奔问题，成绩至多一句带过",
)
def praise(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Praise (取得…成效, 能够…, 始终…) does not dominate an aspect of the problems."""
    positive, negative = params.pattern("praise"), params.pattern("negative")
    threshold = params.number("ratio")
    for block in ctx.problem_aspects:
        body = block.body.strip()
        if not body:
            continue
        praised = sum(len(s) for _, s in sentences(body) if positive.search(s) and not negative.search(s))
        if praised / len(body) >= threshold:
            span = block.section.heading_span or block.body_span
            yield Hit(span, {"where": block_name(block), "pct": round(100 * praised / len(body))})

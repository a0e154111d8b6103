"""lastyear.* and length: last year's rectification reported item by item; sensible proportions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.document import Item, SectionRole
from bot.numbering import numeral_value
from bot.parsing.classify import looks_like_aspect
from bot.review.config import Params
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity
from bot.review.units import lists, prose_name, sentences, which
from bot.splitter import titled_points
from bot.steps import DEADLINES
from bot.texts import char_count


@rule(
    "lastyear.specific.blanket",
    Severity.WARNING,
    scope=Scope.STEP,
    message="“{text}”一笔带过了{last_year}",
    suggestion="逐条写明查摆的问题、采取的措施和完成情况，没改到位的如实说明",
)
def blanket(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Last year's rectification is not dismissed with 均已完成整改, in its section or the preamble.

    The phrase is fine where the counts are given, the item-by-item status follows (查摆问题5条…
    已全部完成整改，逐项情况如下：一是…) and the claim holds: its sentence states its own count or
    exceptions (其中2项需长期坚持), or no item after it is still open. In the preamble only sentences
    about last year count.
    """
    pattern, counts = params.pattern("blanket"), params.pattern("counts")
    detail, last_year = params.pattern("itemised"), params.pattern("last_year")
    still_open = params.pattern("open")
    for role in (SectionRole.PREAMBLE, SectionRole.LAST_YEAR):
        for block in ctx.blocks(role):
            for span, sentence in sentences(block.body, block.body_span[0]):
                if role is SectionRole.PREAMBLE and not last_year.search(sentence):
                    continue
                after = ctx.text[span[1] : block.body_span[1]]
                for match in pattern.finditer(sentence):
                    holds = counts.search(sentence) or "其中" in sentence or not still_open.search(after)
                    if counts.search(block.body) and detail.search(after) and holds:
                        continue
                    start = span[0] + match.start()
                    fields = {"text": match.group(), "last_year": ctx.named(SectionRole.LAST_YEAR)}
                    yield Hit((start, start + len(match.group())), fields)


@rule(
    "lastyear.specific.counts",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{last_year}没有写明问题条数和完成情况",
    suggestion="先写总数，如“查摆问题8条，已完成6条，需长期坚持2条”，再逐条说明",
)
def counts(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Last year's section states how many problems there were and how many are done, unless the
    kind states them in its 导语 (the 整改落实情况报告: 查摆的5条问题…已完成7项)."""
    if ctx.kind is not None and ctx.kind.key in params.strings("counted_in_preamble"):
        return
    pattern = params.pattern("counts")
    for block in ctx.blocks(SectionRole.LAST_YEAR):
        if block.body.strip() and not pattern.search(block.body):
            yield Hit(block.section.heading_span, {"last_year": ctx.named(SectionRole.LAST_YEAR)})


@rule(
    "lastyear.specific.items",
    Severity.INFO,
    scope=Scope.STEP,
    message="{last_year}中写明查摆问题{stated}条，逐条说明的只有{listed}条",
    suggestion="每个问题逐条写明采取的措施和完成情况；几个问题合并说明的，请写明合并了哪几个",
)
def itemised(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """As many problems are reported as the section's opening says there were: "共查摆问题4条"
    followed by three items leaves a reviewer asking what became of the fourth. A part written
    per aspect is counted whole: the points under each aspect's sub-heading, and those of an item
    holding an aspect's heading over its numbered list (as the chat keeps an aspect pasted whole).
    Advice only: some materials report the main problems one by one and the rest together, on
    purpose; a part giving its counts alone, listing no item, is not queried here."""
    stated = params.pattern("stated")
    for section in ctx.sections(SectionRole.LAST_YEAR):
        listed = sum(_reported(item) for item in section.all_items())
        spans = section.paragraph_spans
        lead = next((m for start, end in spans if (m := stated.search(ctx.text, start, end))), None)
        if lead is None:
            continue
        number = lead.group("n")
        count = int(number) if number.isascii() else numeral_value(number)
        if count is not None and 0 < listed < count:
            fields = {"stated": count, "listed": listed, "last_year": ctx.named(SectionRole.LAST_YEAR)}
            yield Hit(lead.span(), fields)


def _reported(item: Item) -> int:
    """How many problems an item of last year's part reports: one, or, when it is an aspect's
    heading over a numbered list (（一）理论学习方面 then 1.… 2.…), each point of the list; a point
    listing its particulars with 一是、二是 after its judgement is still one."""
    title, points = titled_points(item.headline + item.body)
    return len(points) if points and title and looks_like_aspect(title, own_line=True) else 1


@rule(
    "lastyear.specific.status",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{last_year}{where}{which}只写了完成情况，没有写怎样整改的",
    suggestion="每条写明针对这个问题采取了哪些措施、效果如何（如建立了什么制度、做了几次），再写完成情况",
)
def status_only(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Each of last year's problems says what was done about it, not only its status:
    统筹能力不强的问题，已完成 is the 一笔带过 of one item. A point whose clauses after the first
    (the problem named) are all status words (``status``, 已完成, 需长期坚持) is reported; one
    saying nothing of its status, or a blanket 均已整改 (lastyear.specific.blanket), is not. A part
    written per aspect (a 整改落实情况报告's) names its points within their aspect, （二）中的第一条,
    as the locator under the message does."""
    status, blanket = params.pattern("status"), params.pattern("blanket")
    for section in ctx.sections(SectionRole.LAST_YEAR):
        for block in lists(section, ctx.text):
            bare = [u for u in block.units if _status_only(u.text, status) and not blanket.search(u.text)]
            if bare:
                places = tuple(u.headline_span for u in bare)
                where = prose_name(block.section, block.depth) if block.depth > 1 else ""
                fields = {
                    "where": where,
                    "which": which(bare, block.units) or ("" if where else "这一条"),
                    "last_year": ctx.named(SectionRole.LAST_YEAR),
                }
                yield Hit(places[0], fields, places=places)


def _status_only(text: str, status: re.Pattern[str]) -> bool:
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    return status.search(text) is not None and all(status.fullmatch(c) for c in clauses[1:])


_CLAUSES = re.compile(r"[，,；;。：:]")


def _written_through(ctx: ReviewContext) -> bool:
    """Every section of the draft is written (a file always is): the deadlines step, still open
    while a Word file may already be made, adds no text to measure."""
    return all(key == DEADLINES for key in ctx.unwritten)


def _limits(ctx: ReviewContext, params: Params) -> tuple[float, float]:
    """Configured limits for the kind, else the kind's own (kinds.yaml), else the default."""
    limits = params.nested("limits")
    if ctx.kind is None:
        return limits.pair("default")
    if ctx.kind.key in limits:
        return limits.pair(ctx.kind.key)
    return ctx.kind.length_min, ctx.kind.length_max


@rule(
    "length.total",
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="全文约{n}字，{verdict}",
    suggestion="{advice}",
)
def total(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """The whole material is within the usual length of its kind (kinds.yaml, overridable in config);
    a draft is measured once it is written through."""
    if not ctx.sections(SectionRole.PROBLEMS) or not _written_through(ctx):
        return
    low, high = _limits(ctx, params)
    n = char_count(ctx.text)
    if n < low:
        verdict, advice = f"少于这类材料通常的{low:.0f}字", "问题和原因再写深写实，多写具体事例"
    elif n > high:
        verdict, advice = f"超过这类材料通常的{high:.0f}字", "压缩套话和重复的表述，突出问题和措施"
    else:
        return
    yield Hit(None, {"n": n, "verdict": verdict, "advice": advice}, section="全文")


@rule(
    "length.preamble",
    Severity.WARNING,
    scope=Scope.STEP,
    message="导语只有{n}个字",
    suggestion="导语一般一两句话：交代依据的通知和会前学习、征求意见、谈心谈话的情况，末句引出正文。"
    "如果这里误发了别的内容（如单位名称），请重写导语",
)
def preamble(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A preamble of a few characters is a fragment, most often an answer meant for the step before
    (a unit's name sent again), which the draft would otherwise print as its opening paragraph."""
    for block in ctx.blocks(SectionRole.PREAMBLE):
        n = char_count(block.body)
        if 0 < n < params.number("preamble_min"):
            yield Hit(block.body_span, {"n": n})


@rule(
    "length.section",
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="“存在的主要问题”只占全文的约{pct}%",
    suggestion="问题部分是材料的主体，应写深写透；导语、成绩和措施不宜喧宾夺主",
)
def section(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """The problems carry the material: at least a configured share of its length."""
    blocks = ctx.blocks(SectionRole.PROBLEMS)
    whole = char_count(ctx.text)
    if not blocks or not whole or whole < params.number("min_total") or not _written_through(ctx):
        return  # proportions of a short or unfinished draft mean little
    share = sum(char_count(b.body) for b in blocks) / whole
    if share < params.number("problems_share"):
        yield Hit(blocks[0].section.heading_span, {"pct": round(100 * share)})

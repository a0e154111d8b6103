"""measures.*: 把措施夯实 — every aspect answered, every measure checkable."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bot import owners
from bot.catalog import OwnerQuestion
from bot.document import SectionRole
from bot.labels import Label
from bot.review.config import Params
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity
from bot.review.rules.points import lacking
from bot.review.rules.problems import block_name
from bot.review.tokens import content_words, topics_in
from bot.review.units import Unit, item_span
from bot.steps import DEADLINES


@rule(
    "measures.coverage",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="{what}在{measures}中没有对应的措施",
    suggestion="针对这个问题补一条措施{relink}，写清做什么、什么时候做到",
    fix_in=SectionRole.MEASURES,
)
def coverage(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Every problem has a measure: by the links where the bot keeps them, as its links table shows
    them (stored, or proposed until confirmed), naming each problem left without one, which 调整对应
    can link to a measure there is (a proposal links every problem: the ones it pairs by order
    alone are measures.coverage.guessed's); else each aspect's problems share a topic (理论学习,
    党性, 群众…) or a word of their own (请销假, 报账流程…) with some measure: an upload has no
    调整对应 to point to."""
    if ctx.unlinked_problems is not None:
        yield from _unlinked(ctx)
        return
    measures = "".join(b.body for b in ctx.blocks(SectionRole.MEASURES))
    aspects = ctx.aspect_blocks
    if not measures.strip() or len(aspects) < 2:
        return
    topics = params.mapping("topics")
    answered = topics_in(measures, topics)
    said = content_words(measures)
    named = ctx.named(SectionRole.MEASURES)
    for block in aspects:
        raised = topics_in(block.heading + "".join(u.headline for u in block.units), topics)
        if (
            raised
            and not raised & answered
            and not content_words("".join(u.text for u in block.units)) & said
        ):
            what = f"{block_name(block)}查摆的问题"
            yield Hit(block.section.heading_span, {"what": what, "relink": "", "measures": named})


def _unlinked(ctx: ReviewContext) -> Iterator[Hit]:
    named = ctx.named(SectionRole.MEASURES)
    for headline in ctx.unlinked_problems or ():
        fields = {"what": f"问题“{headline}”", "relink": _RELINK, "measures": named}
        yield _at_problem(ctx, headline, fields)


def _at_problem(ctx: ReviewContext, headline: str, fields: dict[str, str]) -> Hit:
    """A hit on the problem whose judgement sentence is ``headline``, where its item stands, so the
    finding names the item (第2条“党性锻炼…”). Such hits were once anchored on the point of
    ``ctx.points`` holding it, in a material with aspects the aspect's heading: dismissals stored
    there still hold (``Hit.was``)."""
    bare = headline.rstrip("。；;")
    items = [u for block in ctx.problem_aspects for u in block.units]
    item = next((u for u in items if u.text.startswith(bare)), None)
    span = item.headline_span if item else None
    aspect = next((u for u in ctx.points(SectionRole.PROBLEMS) if bare in u.text), None)
    was = aspect.headline_span if aspect else None
    return Hit(span, fields, was=was if was != span else None)


_RELINK = f"，或在“{Label.LINKS_EDIT}”中把它对应到已有的措施"


@rule(
    "measures.coverage.guessed",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="问题“{headline}”在{measures}中没有谈到同一内容的措施，对应表中只是按顺序推定",
    suggestion=f"针对这个问题补一条措施，写清做什么、什么时候做到；已有措施确能整改它的，"
    f"在“{Label.LINKS_EDIT}”中核对后确认或改选",
    fix_in=SectionRole.MEASURES,
)
def guessed(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """While a draft's links are the bot's proposal, every problem has a measure in the table, but
    one paired by the aspect order alone (no topic, no word in common with its measures:
    bot.links.guessed) has none about it: named until the user confirms or changes the links,
    which are then the user's decision that measures.coverage reads."""
    named = ctx.named(SectionRole.MEASURES)
    for headline in ctx.guessed_problems:
        yield _at_problem(ctx, headline, {"headline": headline, "measures": named})


@rule(
    "measures.verifiable",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}{which}没有时限、频次或量化要求",
    suggestion="写明完成时限（如“6月底前”“一季度末”）、频次（如“每季度一次”）或可检查的目标，少用“进一步加强”{set}",
)
def verifiable(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Measures can be checked later: a deadline, a frequency or a number (reported once). The
    material is what the meeting and the reviewers read, so a 时限 set only at the deadline step
    does not count; the suggestion gives it back, to be written in."""
    signals = params.pattern("signals").search

    def has(unit: Unit) -> object:
        return signals(unit.text)

    for hit in lacking(ctx, SectionRole.MEASURES, has):
        hit.fields["set"] = _set_deadlines(ctx, has)
        yield hit


def _set_deadlines(ctx: ReviewContext, has: Callable[[Unit], object]) -> str:
    """The 时限 the draft keeps (set at its deadline step) for the measures whose text gives none."""
    due = {item_span(i): i.due for s in ctx.sections(SectionRole.MEASURES) for i in s.all_items() if i.due}
    kept = [(u, due[u.span]) for u in ctx.points(SectionRole.MEASURES) if u.span in due and not has(u)]
    if not kept:
        return ""
    given = "，".join(f"{u.label}“{text}”" for u, text in kept)
    return f"；已设定的时限写进正文即可：{given}"


@rule(
    "measures.verifiable.owner",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}{which}没有写明{who}",
    suggestion="{advice}",
)
def owner(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A team's measures name who is responsible (kinds whose measures are asked an owner): in
    their text, or stored with the draft's measure (a 领导班子's 责任领导 picked from the team, a
    责任部门 given; a 党支部班子's 支委). A draft is asked for them at its deadlines step, so not
    before that step is done. The words are the kind's: a 党支部班子 names a 支委."""
    question = ctx.kind.measure_owner if ctx.kind is not None else OwnerQuestion.NONE
    words = owners.advice(question)
    if words is None or ctx.still_to_write(DEADLINES):
        return
    keys = ("owners", "committee") if question is OwnerQuestion.COMMITTEE else ("owners",)
    found = [params.pattern(key).search for key in keys]
    stored = {item_span(i) for s in ctx.sections(SectionRole.MEASURES) for i in s.all_items() if i.owned}

    def named(unit: Unit) -> bool:
        return unit.span in stored or any(search(unit.text) for search in found)

    for hit in lacking(ctx, SectionRole.MEASURES, named):
        hit.fields.update(who=words.who, advice=words.what)
        yield hit

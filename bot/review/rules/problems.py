"""problems.*: 把问题找准 — concrete, one's own, about thought not only work, not stock, not praise."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from rapidfuzz import fuzz, process

from bot.document import Item, SectionRole, Span
from bot.review import similar
from bot.review.config import Params, load_data
from bot.review.engine import ReviewContext, Scope, default_config, rule
from bot.review.findings import Hit, Severity
from bot.review.rules.points import naming
from bot.review.rules.structure import told_to_move
from bot.review.units import Block, Unit, prose_name, sentences

_CLAUSE = re.compile(r"[^。；：:;，,“”\n]+")  # last year's problems are often quoted mid-sentence
_MIN_REPEAT = 6
# Words after which 个别同志 / 有的干部 is the object of the writer's action, not the subject.
_OBJECT_OF = ("对", "向", "与", "和", "给", "帮助", "批评", "提醒", "督促", "要求", "指出")
# …or a little after 对 in the same clause (对分管股室个别干部迟到早退的问题，只是口头提醒).
_OBJECT_CLAUSE = re.compile(r"对[^，。；：,;:]{1,8}$")


def block_name(block: Block) -> str:
    """How messages name an aspect (（三）, 第3点, “first words”), or the problems as 问题部分."""
    return prose_name(block.section, block.depth) if block.depth > 1 else "问题部分"


def is_disguised(unit: Unit, params: Params) -> bool:
    """A virtue written up as a fault (明批暗褒: 对自己要求过于严格); problems.praise.disguised reports it."""
    return bool(params.pattern("disguised").search(unit.headline))


def finds_nothing(text: str, params: Params) -> bool:
    """A point saying nothing was found (经自查，未发现公车私用问题。 then what was checked and how): an
    area a self-inspection checked and found clean, with no problem to illustrate or rectify."""
    return params.pattern("nothing_found").search(Item.from_text(text).headline) is not None


def nothing_found(text: str) -> bool:
    """``finds_nothing`` as the packaged configuration words it, for what reads a point outside a
    review: the ledger's problems, the chat telling a heading from an answer."""
    return finds_nothing(text, default_config().params(CONCRETE))


def is_stock(unit: Unit, params: Params) -> bool:
    """A 万能问题 headline with nothing concrete after it; problems.stock reports these.

    Stock wording is a configured pattern or a statement close to one of the shipped list
    (bot/data/review/stock.txt), compared character by character with rapidfuzz.
    """
    if params.pattern("signals").search(unit.text):
        return False
    headline = unit.headline.rstrip("。；;，, ")
    if params.pattern("stock_phrases").search(headline):
        return True
    cutoff = 100 * params.number("stock_similarity")
    return process.extractOne(headline, _stock_list(), scorer=fuzz.ratio, score_cutoff=cutoff) is not None


@functools.cache
def _stock_list() -> tuple[str, ...]:
    lines = (line.strip() for line in load_data("stock.txt").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


CONCRETE = "problems.concrete"


@rule(
    CONCRETE,
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}{which}没有具体事例",
    suggestion="补充时间、次数或哪项工作中的具体表现，可用“比如……”引出，做到见人见事",
)
def concrete(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Each problem point carries an example, a number, a date or a named piece of work (per aspect).
    A cause written among them (究其原因…) is told to move instead (``told_to_move``), and a point of
    praise with a token shortfall is problems.praise's (one remark, asking for the real shortfall);
    a point saying nothing was found there (经自查，未发现…问题) has no problem to give an example of."""
    signals = params.pattern("signals")
    heading = next((b.heading for b in ctx.blocks(SectionRole.PROBLEMS)), "")
    praised = list(_token_shortfall(ctx, ctx.config.params(PRAISE))) if ctx.config.enabled(PRAISE) else []
    for block in ctx.problem_aspects:
        bare = [
            u
            for u in block.units
            if not signals.search(u.text)
            and not finds_nothing(u.text, params)
            and not _within(u.span, praised)
            and not is_stock(u, params)
            and not is_disguised(u, params)
            and not told_to_move(ctx, "problems", heading, u.text)
        ]
        if bare:
            yield _naming(block, bare)


def _naming(block: Block, bare: list[Unit]) -> Hit:
    """One hit for the points of an aspect that lack something (``points.naming``)."""
    return naming(bare, block.units, block.section.heading_span, block_name(block))


@rule(
    "problems.concrete.unchecked",
    Severity.INFO,
    scope=Scope.STEP,
    message="{where}{which}只写了未发现问题，没有说明查了什么、怎么查的",
    suggestion="写明这一项查了哪些台账、凭证或单位，查了多少，如“查阅今年以来的接待审批单216份，未发现……”",
)
def unchecked(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A checkpoint reported clean (经自查，未发现…问题) says what was checked and how, as a
    self-inspection's guide asks: a number, a date or a named piece of work, or a word of checking
    (查阅、抽查、逐笔核对…). The 导语 may say how the whole check went; this is advice, per point."""
    signals, checked = params.pattern("signals"), params.pattern("checked")
    for block in ctx.problem_aspects:
        bare = [
            u
            for u in block.units
            if finds_nothing(u.text, params) and not signals.search(u.text) and not checked.search(u.text)
        ]
        if bare:
            yield _naming(block, bare)


@rule(
    "problems.voice",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="个人材料中写“{text}”，是在讲别人的问题",
    suggestion="只讲本人的问题，改为写自己的具体表现，如“我在……时……”",
)
def voice(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A first-person material's problems are the writer's own, not 有的班子成员's or 个别同志's; a
    self-inspection report's are the unit's own, not 部分基层单位和少数党员干部's. Others named as the
    object of the writer's own failing (对个别同志的问题没有指出) are fine."""
    inspection = ctx.kind is not None and ctx.kind.key == "self_inspection"
    if ctx.voice != "first_person" and not inspection:
        return
    subjects = params.pattern("others_units" if inspection else "others")
    for block in ctx.blocks(SectionRole.PROBLEMS):
        body, pos = block.body, 0
        while (match := subjects.search(body, pos)) is not None:
            at = match.start()
            clause = max(body.rfind("\n", 0, at) + 1, at - 9)  # within its own paragraph
            if body.endswith(_OBJECT_OF, 0, at) or _OBJECT_CLAUSE.search(body, clause, at):
                pos = at + 1  # as a lookbehind would: a later, shorter subject may still count
                continue
            start = block.body_span[0] + at
            yield Hit((start, start + len(match.group())), {"text": match.group()})
            pos = match.end()


@rule(
    "problems.voice.collective",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="个人材料中这一条讲的是“{text}”的问题，没有讲本人",
    suggestion="不以班子、单位的问题代替个人问题：写清自己在其中的责任和表现，如“我作为分管领导，对……”",
)
def voice_collective(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A first-person material's point opening with the unit, its leadership or its staff as the
    subject (局党组…, 我局…, 部分党员干部…) and never coming to the writer (我, 本人, 作为…) reports the
    unit's problem in place of his own."""
    if ctx.voice != "first_person":
        return
    collective, own = params.pattern("collective"), params.pattern("own")
    for block in ctx.problem_aspects:
        for unit in block.units:
            found = collective.match(unit.text.strip())
            if found is not None and not own.search(unit.text):
                start = unit.span[0] + len(unit.text) - len(unit.text.lstrip())
                yield Hit((start, start + len(found.group())), {"text": found.group()})


@rule(
    "problems.voice.team",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="班子材料中写“{text}”，是个人的口吻",
    suggestion="以班子口吻写，改为“班子”“支委会”或“我们”；个人的问题写进本人的对照检查材料",
)
def voice_team(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A team material speaks as the team (班子, 支委会, 我们); a point in the first person singular
    (我对青年党员的思想动态掌握不够, 本人) was mostly copied from a member's own material. Words quoted
    from others (群众反映“我…”) and 我们, 我局, 自我批评 are fine; one remark per point."""
    if ctx.voice != "team":
        return
    singular = params.pattern("singular")
    for role in (SectionRole.PROBLEMS, SectionRole.CAUSES, SectionRole.MEASURES):
        for unit in ctx.points(role):
            found = next((m for m in singular.finditer(unit.text) if not _quoted(unit.text, m.start())), None)
            if found is not None:
                start = unit.span[0] + found.start()
                yield Hit((start, start + len(found.group())), {"text": found.group()})


def _quoted(text: str, at: int) -> bool:
    """Whether ``at`` stands inside “…” (others' words, quoted)."""
    return text.count("“", 0, at) > text.count("”", 0, at)


@rule(
    "problems.thought",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}只谈了工作上的问题，没有从思想、政治、党性上查找",
    suggestion="不以工作问题代替思想问题，补充思想认识、政治站位或党性修养上的差距",
)
def thought(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Somewhere in each aspect (not in each point) the problems touch thought, politics or party spirit.

    Reports checked against a notice's list (自查自纠, 整改落实情况: kinds without a meeting) are
    about matters, not thought, and are left alone.
    """
    if ctx.kind is not None and ctx.kind.meeting is None:
        return
    vocabulary = params.strings("vocabulary")
    for block in ctx.problem_aspects:
        if block.body.strip() and not any(word in block.body for word in vocabulary):
            yield Hit(block.section.heading_span, {"where": block_name(block)})


@rule(
    "problems.stock.generic",
    Severity.WARNING,
    scope=Scope.ITEM,
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
    scope=Scope.ITEM,
    message="这条问题与{source}的“{old}”基本相同",
    suggestion="说明上次查摆后为何仍然存在，并写出这次的新表现和原因",
)
def stock_repeat(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A problem is not last year's problem again in nearly the same words: those quoted in the
    上年度 section, or those of the user's own previous materials (``review(previous=…)``)."""
    sources = [
        ("上年度查摆", [c for b in ctx.blocks(SectionRole.LAST_YEAR) for c in _clauses(b.body)]),
        ("以前材料中", [c for text in ctx.previous for c in _clauses(text)]),
    ]
    cutoff = 100 * params.number("repeat_similarity")
    for block in ctx.problem_aspects:
        for unit in block.units:
            headline = unit.headline.rstrip("。；;，, ")
            if len(headline) < _MIN_REPEAT:
                continue
            for source, clauses in sources:
                found = process.extractOne(headline, clauses, scorer=fuzz.ratio, score_cutoff=cutoff)
                if found is not None:
                    yield Hit(unit.headline_span, {"source": source, "old": found[0]})
                    break


SHARED_ROLES = {SectionRole.PROBLEMS: "问题", SectionRole.CAUSES: "原因", SectionRole.MEASURES: "措施"}
"""The parts compared between the materials of a batch, and what one item of each is called."""


@rule(
    "problems.stock.shared",
    Severity.WARNING,
    scope=Scope.STEP,
    message="这条{what}与同一批次另一份材料中的一条几乎相同",
    suggestion="对照本人实际重写，写出自己的具体表现和事例，不照抄照搬他人材料",
)
def stock_shared(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A problem, cause or measure nearly the same as one of the same part of another material
    handed in with this one (a review batch), as the desk pairs them (bot.desk.duplicates); the
    other material and its author are never named (bot.review.similar)."""
    for role, what in SHARED_ROLES.items():
        others = ctx.peers.get(role, ())
        if not others:
            continue
        blocks = ctx.problem_aspects if role is SectionRole.PROBLEMS else ctx.blocks(role)
        units = [u for block in blocks for u in block.units]
        copied = similar.matching([u.text for u in units], others, params.number("shared_similarity"))
        for index in sorted(copied):
            yield Hit(units[index].headline_span, {"what": what})


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.findall(text) if len(c.strip()) >= _MIN_REPEAT]


PRAISE = "problems.praise"


@rule(
    PRAISE,
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}有一段在讲成绩：“{text}”",
    suggestion="{advice}",
)
def praise(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Praise and work-report passages (取得…成效, 始终…, 圆满完成…) anywhere in the problems section.

    A passage is a run of praising sentences without a word of shortfall; it is reported when it
    holds at least ``min_sentences`` sentences or ``min_chars`` characters (先扬后抑). A point that is
    such a list of what went well, with only a token shortfall at its end (……得到了上级肯定，但离要求
    还不够), is reported too: see ``_token_shortfall``.
    """
    positive, negative = params.pattern("praise"), params.pattern("negative")
    least, chars = params.number("min_sentences"), params.number("min_chars")
    tokens = list(_token_shortfall(ctx, params))
    for passage, tail in tokens:
        said = _clip(tail.rstrip("。；;，, "), (0, len(tail)))
        advice = f"这条只在末尾说了一句“{said}”，要写清差在哪里、有什么具体表现，成绩至多一句带过"
        fields = {"where": _where(ctx, passage[0]), "text": _clip(ctx.text, passage), "advice": advice}
        yield Hit(passage, fields)
    for block in ctx.blocks(SectionRole.PROBLEMS):
        run: list[Span] = []
        for span, sentence in [*sentences(block.body, block.body_span[0]), ((0, 0), "")]:
            if sentence and positive.search(sentence) and not negative.search(sentence):
                run.append(span)
                continue
            size = sum(b - a for a, b in run)
            passage = (run[0][0], run[-1][1]) if run else (0, 0)
            if run and (len(run) >= least or size >= chars) and not _within(passage, tokens):
                fields = {"where": _where(ctx, passage[0]), "text": _clip(ctx.text, passage)}
                yield Hit(passage, {**fields, "advice": _PRAISE_ADVICE})
            run = []


_PRAISE_ADVICE = "问题部分直奔问题，删去成绩和工作汇报，至多一句带过"
_CLAUSE_BREAK = re.compile(r"[^，,；;。！？!?：:\n]+[，,；;。！？!?：:]*")


def _token_shortfall(ctx: ReviewContext, params: Params) -> Iterator[tuple[Span, str]]:
    """Points written as achievements with a token shortfall at the end: (the praising part, the tail).

    The point is read clause by clause. Its first clause naming a shortfall (``shortfall``) begins
    the tail; a tail of at most ``tail_chars`` characters without a concrete detail, after at least
    ``min_clauses`` praising clauses (``praise``) and ``token_min_chars`` characters, is a token. A real
    problem that mentions what went well (虽然取得了一定成效，但3个项目进度滞后，比如……) names its
    shortfall early or at length, and is left alone.
    """
    positive, shortfall = params.pattern("praise"), params.pattern("shortfall")
    signals = params.pattern("signals")
    for block in ctx.problem_aspects:
        for unit in block.units:
            clauses = [(m.start(), m.group()) for m in _CLAUSE_BREAK.finditer(unit.text) if m.group().strip()]
            first = next((i for i, (_, c) in enumerate(clauses) if shortfall.search(c)), None)
            if first is None or first == 0:
                continue
            cut = clauses[first][0]
            head, tail = unit.text[:cut], unit.text[cut:].strip()
            praising = sum(1 for _, c in clauses[:first] if positive.search(c))
            if (
                len(tail) <= params.number("tail_chars")
                and not signals.search(tail)
                and praising >= params.number("min_clauses")
                and len(head.strip()) >= params.number("token_min_chars")
            ):
                start = unit.span[0] + len(head) - len(head.lstrip())
                yield (start, unit.span[0] + len(head.rstrip())), tail


def _within(span: Span, passages: list[tuple[Span, str]]) -> bool:
    return any(a < span[1] and span[0] < b for (a, b), _ in passages)


@rule(
    "problems.praise.disguised",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="“{text}”是把优点当缺点写（明批暗褒）",
    suggestion="换成真正的不足，写清具体表现和造成的影响",
)
def praise_disguised(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A virtue dressed as a fault (对自己要求过于严格, 常常加班加点) anywhere in the problems; one hit
    per paragraph, listing each phrase."""
    pattern = params.pattern("disguised")
    for block in ctx.blocks(SectionRole.PROBLEMS):
        start = block.body_span[0]
        for line in block.body.split("\n"):
            found = tuple((start + m.start(), start + m.end()) for m in pattern.finditer(line))
            if found:
                yield Hit(found[0], {"text": ctx.text[slice(*found[0])]}, places=found)
            start += len(line) + 1


def _where(ctx: ReviewContext, offset: int) -> str:
    aspect = next((b for b in ctx.aspect_blocks if b.body_span[0] <= offset < b.body_span[1]), None)
    return block_name(aspect) if aspect is not None else "问题部分"


def _clip(text: str, span: Span, size: int = 16) -> str:
    words = text[span[0] : span[1]]
    return words if len(words) <= size else words[: size - 1] + "…"

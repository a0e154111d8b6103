"""causes.*: 把根子挖深 — subjective roots rather than excuses, causes rather than restated problems."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.document import SectionRole, Span
from bot.review.config import Params
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity
from bot.review.rules.points import lacking
from bot.review.similar import normalise
from bot.texts import char_count

_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_OWNED_WINDOW = 12


@rule(
    "causes.subjective.excuse",
    Severity.WARNING,
    scope=Scope.STEP,
    message="“{text}”是客观理由",
    suggestion="{advice}",
)
def excuse(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Causes do not blame circumstances (工作忙, 任务重); naming an excuse as one (以…为借口) is fine.
    A reason declared objective (客观上…) is one too, unless its sentence already names the excuse.

    The advice is the one for this kind of excuse (``turns``); a kind met again points back to the
    first, so several excuses never get the same suggestion word for word.
    """
    excuses, owned = params.pattern("excuses"), params.pattern("owned")
    declared = params.pattern("declared")
    turns = params.mapping("turns")
    first: dict[str, str] = {}
    for block in ctx.blocks(SectionRole.CAUSES):
        named = list(excuses.finditer(block.body))
        said = {_sentence(block.body, m.start()) for m in named}
        named += [m for m in declared.finditer(block.body) if _sentence(block.body, m.start()) not in said]
        for match in sorted(named, key=lambda m: m.start()):
            if owned.match(block.body[match.end() : match.end() + _OWNED_WINDOW]):
                continue
            text = match.group()
            kind = next((key for key in turns if key in text), text)
            if kind in first:
                advice = f"与前面的“{first[kind]}”一样是客观理由，这里也要改从思想上、主观上找原因"
            else:
                first[kind] = text
                advice = str(turns.get(kind, _DEFAULT_TURN))
            start = block.body_span[0] + match.start()
            yield Hit((start, start + len(text)), {"text": text, "advice": advice})


def _sentence(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts."""
    return max(text.rfind(end, 0, offset) for end in _SENTENCE_ENDS) + 1


_SENTENCE_ENDS = ("。", "；", "！", "？", "\n")
_DEFAULT_TURN = "原因要从主观上、思想上找，如理想信念、宗旨意识、党性修养、纪律规矩，不以客观条件开脱"


@rule(
    "causes.subjective.roots",
    Severity.WARNING,
    scope=Scope.STEP,
    message="原因部分没有谈到理想信念、宗旨意识、党性修养等主观根源",
    suggestion="从主观上、思想上剖析：理想信念、宗旨意识、党性修养、纪律规矩、政绩观等方面各有什么差距",
)
def roots(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """The causes name at least one subjective root somewhere."""
    words = params.strings("roots")
    for block in ctx.blocks(SectionRole.CAUSES):
        if block.body.strip() and not any(w in block.body for w in words):
            yield Hit(block.section.heading_span)


@rule(
    "causes.shallow",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}{which}只有一句判断，没有展开剖析",
    suggestion="在判断之后联系前面查摆的问题，写清思想上、认识上为什么会这样，两三句即可",
)
def shallow(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A cause is analysed, not only named: a point of a few words (理想信念有所松懈。) names a root
    without saying how it led to the problems. One sentence of some length is analysis enough (a
    党支部's material often writes its causes so)."""
    least = params.number("min_chars")
    return lacking(ctx, SectionRole.CAUSES, lambda unit: char_count(unit.text) >= least)


def _content(ctx: ReviewContext, span: Span, stopwords: frozenset[str]) -> set[str]:
    return {w for w in ctx.words(span) if _CJK_WORD.fullmatch(w) and w not in stopwords}


@rule(
    "causes.restated",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="原因“{cause}”与问题“{problem}”说的是同一件事",
    suggestion="原因要回答“为什么会这样”，从思想根源上写，不把问题换个说法当原因",
)
def restated(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A cause's judgement does not merely repeat a problem's judgement: compared word by word, or,
    when the dictionary reads it as one word (党性修养有待加强), as the same words verbatim."""
    stopwords = frozenset(params.strings("stopwords"))
    threshold = params.number("similarity")
    causes = [
        (cause, _content(ctx, cause.headline_span, stopwords)) for cause in ctx.points(SectionRole.CAUSES)
    ]
    if not any(words for _, words in causes):
        return  # the problems are not segmented for nothing (the note on a problems answer)
    problems = [
        (unit.headline, _content(ctx, unit.headline_span, stopwords))
        for block in ctx.problem_aspects
        for unit in block.units
    ]
    for cause, words in causes:
        for headline, other in problems:
            if _same(cause.headline, headline) or (
                len(words) >= 2 and len(other) >= 2 and len(words & other) / len(words | other) >= threshold
            ):
                yield Hit(cause.headline_span, {"cause": cause.headline, "problem": headline})
                break


def _same(cause: str, problem: str) -> bool:
    """The same judgement whatever its punctuation: 理想信念有所松懈 as a cause and as a problem."""
    said = normalise(cause)
    return bool(said) and said == normalise(problem)

"""kind.*: say which kind of material the review assumed, or that the text is not one at all."""

from __future__ import annotations

from collections.abc import Iterator

from bot.review.config import Params
from bot.review.engine import TITLE, ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity


@rule(
    "kind.guess",
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="{untitled}按{basis}当作“{name}”审核",
    suggestion="如果类型不对，请{fix}材料类型（如“领导班子对照检查材料”）后重新检查",
)
def guess(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A kind taken from the title (or, untitled, the opening) is named, with how to override it
    by the title, which is all a user who sends a file in the chat can change (``duizhao check``
    adds its --kind on stderr). A title that names the kind is no omission: it is corrected, not
    written."""
    if ctx.kind is not None and ctx.kind_guessed_from is not None:
        titled = ctx.kind_guessed_from == TITLE
        words = {
            "name": ctx.kind.name,
            "basis": ctx.kind_guessed_from,
            "untitled": "" if titled else "标题没有写明材料类型，",
            "fix": "改正标题中的" if titled else "在标题中写明",
        }
        yield Hit(ctx.document.title_span, words, section=_where(ctx))


@rule(
    "kind.genre",
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="这份材料看起来是{genre}，不是对照检查材料，只检查了文字，没有按对照检查材料的结构和内容审核",
    suggestion="如果它其实是对照检查材料，请在标题中写明材料类型（如“个人对照检查材料”）后重新检查",
)
def genre(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Texts of other genres (工作总结, 心得体会, 通报, 情况报告) get their text rules only, said once."""
    if ctx.genre is not None:
        yield Hit(ctx.document.title_span, {"genre": ctx.genre}, section=_where(ctx))


def _where(ctx: ReviewContext) -> str | None:
    """An untitled text's finding about what it is is about the whole of it (全文), as every
    finding without a place is named; a titled one's is placed on its title."""
    return "全文" if ctx.document.title_span is None else None

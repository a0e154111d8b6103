"""text.capture: damage from copying a PDF or web page, repaired before the other rules read the text.

The engine reviews the repaired text (bot.parsing.capture) so damage never produces knock-on findings;
this rule tells the user what was repaired, one finding per kind of damage listing every place.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.parsing.capture import Damage, Repair
from bot.review.config import Params
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity

_WHAT = {
    "boilerplate": (
        "混入了{n}行网页上的文字，如“{example}”",
        "删去网页的栏目、来源和分享等文字，只保留材料正文",
    ),
    "title": ("标题重复出现了两次", "删去重复的那一行标题"),
    "pages": ("混入了{n}处页码或页眉，如“{example}”", "删去这些页码和页眉行"),
    "traditional": ("有{n}处繁体字，如“{example}”", "统一改为简体字，如“{fixed}”"),
    "spaces": ("有{n}处词语中间夹了空格，如“{example}”", "删去词语中间的空格"),
    "breaks": ("有{n}处句子中间断了行，如“{example}”", "把断开的句子接回同一段"),
    "linebreaks": (
        "有{n}处句子中间用了手动换行（Shift+Enter），如“{example}”",
        "在 Word 中删去句子中间的手动换行符，让句子接排（点“显示/隐藏编辑标记”可以看到它们），"
        "以免打印时换行前的一行被拉开",
    ),
}
_IN_SENTENCES = frozenset({"traditional", "spaces", "breaks", "linebreaks"})
"""Damage inside the material's own sentences, named by the place it is in (the locator every rule
gives); the other kinds are whole lines that were never part of any item."""
_COPIED = "（像是从PDF或网页复制时带进来的，审核已按修复后的文字进行）"
_TYPED = "（审核已按接排后的文字进行）"


@rule(
    "text.capture",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="{what}{why}",
    suggestion="{advice}",
)
def capture(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Line breaks inside sentences, page counters and running heads, web boilerplate, spaces inside
    words, Traditional characters and a duplicated title: one hit per kind, every place listed. A
    sentence a Word file breaks with Shift+Enter is no copy damage, only a line to join: advice
    (one step softer), in Word's terms."""
    repair = ctx.capture
    if repair is None:
        return
    for damage in repair.damage:
        yield _hit(ctx, repair, damage)


def _hit(ctx: ReviewContext, repair: Repair, damage: Damage) -> Hit:
    """The hit for one kind of damage; its spans point into the text as given, its place is named
    where the first of them is read in the repaired text (the item or lead it is in)."""
    what, advice = _WHAT[damage.kind]
    typed = damage.kind == "linebreaks"
    fields = {"n": len(damage.places), "example": damage.example, "fixed": damage.fixed}
    at = repair.read(damage.places[0][0])
    return Hit(
        damage.places[0],
        {
            "what": what.format(**fields),
            "why": _TYPED if typed else _COPIED,
            "advice": advice.format(**fields),
        },
        section=ctx.locator((at, at)) if damage.kind in _IN_SENTENCES else None,
        places=damage.places,
        raw=True,
        soft=typed,
    )


REVISIONS = "text.revisions"
"""The note that a .docx was read with its tracked changes accepted: the chat says it first."""


@rule(
    REVISIONS,
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="文件中有尚未接受的修订，已按全部接受后的文字审核",
    suggestion="在 Word 中“审阅 → 接受所有修订”后再定稿，以免删去的文字仍留在文件里",
)
def revisions(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A .docx with tracked changes is read as accepted; the user is told once."""
    if getattr(ctx.result, "revisions", False):
        yield Hit(None, section="全文")

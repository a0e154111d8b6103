"""A measures table's 责任人 and 时限 columns taken over when a material is imported.

Units tabulate their measures (序号 | 整改措施 | 责任领导 | 牵头部门 | 完成时限); the reader writes each
row as one measure with its other columns after their headers (``…。责任领导：王强；完成时限：2027年3月
底前。``, ``bot.parsing.sources``), as a text file writes them too (``bot.measure_fields`` reads them).
Each value is read as the deadline step reads what is typed at its questions
(``bot.flows.deadline_step``): a 时限 by ``measures.set_first_deadline``, a 责任人 within its
length (a team draft's member named first leads the measure; a 党支部班子's is one 支委). What it
cannot read, or a 时限 already past, stays for that question; the measure's text keeps every word.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import owners
from bot.catalog import OwnerQuestion
from bot.deadlines.parse import DeadlineProblem
from bot.draftview import DraftView
from bot.flows import measures
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.measure_fields import MAX_OWNER_CHARS, columns_of
from storage.models import Answer, DraftMember

UNREAD, PAST, TOO_LONG, NOT_ONE_MEMBER = "没能识别", "已经过去", "太长", "不是一位支委"
"""Why a measure's column was not taken over."""


@dataclass(frozen=True)
class Unread:
    """A measure's column that was not taken over: its number among the measures, which one, why."""

    number: int
    what: str  # 时限 / 责任人
    why: str


async def take_over(ctx: FlowContext, view: DraftView, answers: list[Answer]) -> tuple[int, list[Unread]]:
    """The 责任人 and 时限 the ``answers`` (measures just imported, flushed) give in their text,
    stored as if answered at the deadline step: how many measures took something over, and what
    was left for its question."""
    numbers = {answer.id: n for n, (answer, _) in enumerate(view.measures(), start=1)}
    meeting = view.draft.meeting_date or ctx.today
    members: list[DraftMember] | None = None
    taken, dated = 0, False
    unread: list[Unread] = []
    for answer in answers:
        measure = answer.measure
        if measure is None or answer.id not in numbers:
            continue
        found = columns_of(answer.text)
        replan = took = False
        if found.deadline is not None:
            deadline = await measures.set_first_deadline(ctx, measure, found.deadline, meeting)
            if isinstance(deadline, DeadlineProblem):
                why = PAST if isinstance(deadline, measures.Past) else UNREAD
                unread.append(Unread(numbers[answer.id], "时限", why))
            else:
                replan = took = dated = True
        if found.owner is not None and view.owner_question is OwnerQuestion.COMMITTEE:
            if isinstance(measures.store_member(ctx, measure, found.owner), owners.Unread):
                unread.append(Unread(numbers[answer.id], "责任人", NOT_ONE_MEMBER))
            else:
                took = True
        elif found.owner is not None and len(found.owner) > MAX_OWNER_CHARS:
            unread.append(Unread(numbers[answer.id], "责任人", TOO_LONG))
        elif found.owner is not None:
            members = await ctx.leaders(view) if members is None else members
            replan |= measures.store_owner(ctx, measure, found.owner, members)[0] is not None
            took = True
        if replan:  # reminders for a deadline set, and to the member who leads it
            await measures.replan(ctx, measure, since=meeting)
        taken += took
    if dated:
        await measures.schedule_summary(ctx, view.draft.public_id, meeting)
    return taken, sorted(unread, key=lambda u: u.number)


def unread_notice(unread: list[Unread]) -> str:
    """One sentence naming the measures whose columns were left for their questions; "" for none."""
    if not unread:
        return ""
    parts = "、".join(f"第{u.number}条的{u.what}{u.why}" for u in unread)
    return f"措施中{parts}，没有带入，请点“{Label.SET_DEADLINES}”补上。"

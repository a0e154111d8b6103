"""A measures table's 责任人 and 时限 columns taken over when a material is imported.

Units tabulate their measures (序号 | 整改措施 | 责任领导 | 牵头部门 | 完成时限); the reader writes each
row as one measure with its other columns after their headers (``…。责任领导：王强；完成时限：2027年3月
底前。``, ``bot.parsing.sources``), as a text file writes them too. Each value is read as the deadline
step reads what is typed at its questions (``bot.flows.deadline_step``): a 时限 by ``parse_deadline``,
a 责任人 within its length (a team draft's member named first leads the measure). What it cannot
read, or a 时限 already past, stays for that question; the measure's text keeps every word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.deadlines.parse import DeadlineProblem, Ongoing, parse_deadline
from bot.draftview import DraftView
from bot.flows import measures
from bot.flows.context import FlowContext
from bot.labels import Label
from storage import repo
from storage.models import Answer, DraftMember, Measure

_OWNER_LABELS = (
    "责任领导",
    "牵头领导",
    "分管领导",
    "责任人",
    "责任部门",
    "牵头部门",
    "责任单位",
    "牵头单位",
    "责任科室",
    "责任主体",
)
_DEADLINE_LABELS = ("完成时限", "整改时限", "完成期限", "整改期限", "完成时间", "办结时限", "时限")
_LABEL = "|".join(sorted(_OWNER_LABELS + _DEADLINE_LABELS, key=len, reverse=True))
_FIELD = re.compile(
    rf"(?:^|(?<=[。；;，,、（(\s]))(?P<labels>(?:{_LABEL})(?:[/／、](?:{_LABEL}))*)\s*[：:]\s*"
    rf"(?P<value>.*?)\s*(?=[。；;\n]|[，,]\s*(?:{_LABEL})\s*[：:]|$)"
)


@dataclass(frozen=True)
class Columns:
    """What a measure's text gives under a 责任人 and a 时限 label; None where it has no such label."""

    owner: str | None = None
    deadline: str | None = None


def columns_of(text: str) -> Columns:
    """The 责任人 (the values of every owner label, joined with 、: 王强、党政办) and the first 时限
    a measure's text gives after their labels; total: any text gives a ``Columns``."""
    owners: list[str] = []
    deadline: str | None = None
    for found in _FIELD.finditer(text):
        value = _closed(found["value"])
        if not value:
            continue
        if re.split(r"[/／、]", found["labels"])[0] in _DEADLINE_LABELS:
            deadline = deadline or value
        else:
            owners.append(value)
    return Columns("、".join(dict.fromkeys(owners)) or None, deadline)


def _closed(value: str) -> str:
    """A value without the bracket that closes a run of fields written in one (（责任人：王强）)."""
    value = value.strip()
    while (
        value
        and value[-1] in "）)"
        and value.count("（") + value.count("(") < (value.count("）") + value.count(")"))
    ):
        value = value[:-1].rstrip()
    return value


UNREAD, PAST, TOO_LONG = "没能识别", "已经过去", "太长"
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
            if (why := _deadline(ctx, meeting, measure, found.deadline)) is None:
                replan = took = dated = True
            else:
                unread.append(Unread(numbers[answer.id], "时限", why))
        if found.owner is not None and len(found.owner) > measures.MAX_OWNER_CHARS:
            unread.append(Unread(numbers[answer.id], "责任人", TOO_LONG))
        elif found.owner is not None:
            members = await measures.leaders(ctx, view) if members is None else members
            replan |= measures.store_owner(ctx, measure, found.owner, members)[0] is not None
            took = True
        if replan:  # reminders for a deadline set, and to the member who leads it
            await measures.replan(ctx, measure, since=meeting)
        taken += took
    if dated:
        await measures.schedule_summary(ctx, view.draft.public_id, meeting)
    return taken, sorted(unread, key=lambda u: u.number)


def _deadline(ctx: FlowContext, meeting: date, measure: Measure, text: str) -> str | None:
    """Store the 时限 as its question would; else why not (it cannot be read, or is already past)."""
    deadline = parse_deadline(text, meeting=meeting, today=ctx.today, settings=ctx.settings.reminders)
    if isinstance(deadline, DeadlineProblem):
        return UNREAD
    if not isinstance(deadline, Ongoing) and deadline.due < ctx.today:
        return PAST
    measures.store_deadline(measure, deadline)
    repo.record_event(ctx.session, measure, "deadline", text, ctx.user.id)
    return None


def unread_notice(unread: list[Unread]) -> str:
    """One sentence naming the measures whose columns were left for their questions; "" for none."""
    if not unread:
        return ""
    parts = "、".join(f"第{u.number}条的{u.what}{u.why}" for u in unread)
    return f"措施中{parts}，没有带入，请点“{Label.SET_DEADLINES}”补上。"

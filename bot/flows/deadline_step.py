"""The step after the measures section: a deadline (and, where needed, a review cadence and an
owner) for every measure, each confirmed back in words and planned as reminders at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from bot import links
from bot.callbacks import Flow, encode
from bot.catalog import OwnerQuestion
from bot.dates import format_date
from bot.deadlines.anchor import anchor_note
from bot.deadlines.calendar import is_workday, workday_on_or_before
from bot.deadlines.parse import (
    Cadence,
    Deadline,
    DeadlineProblem,
    Ongoing,
    describe,
    format_day,
    parse_cadence,
    parse_deadline,
)
from bot.deadlines.parse import warnings as deadline_warnings
from bot.draftview import DraftView
from bot.flows import measures, review
from bot.flows.context import STALE, FlowContext
from bot.measure_fields import MAX_OWNER_CHARS, split_owner
from bot.owners import Unread, looks_like_owner
from bot.replies import Button, Outgoing, Reply
from bot.steps import DEADLINES, SUMMARY
from bot.team import LEADERS, TeamRole, leader_named, name_of
from bot.texts import esc
from storage import repo, team
from storage.models import Answer, DraftMember, Measure


async def on_text(ctx: FlowContext, view: DraftView, text: str) -> list[Outgoing]:
    needs = view.measure_needs()
    if needs is None:
        return await ctx.advance(view, view.step(), "")
    _, answer, measure, need = needs
    if need == "deadline":
        return await _set_deadline(ctx, view, answer, measure, text)
    if need == "cadence":
        cadence = parse_cadence(text)
        if cadence is None:
            unread = "没能识别回顾频次，请点下面的按钮，或写“每月”“每季度”这样的频次。"
            return [await ctx.prompt(view, unread)]
        return await _set_cadence(ctx, view, measure, cadence)
    return await _set_owner(ctx, view, measure, text)


async def _set_owner(ctx: FlowContext, view: DraftView, measure: Measure, text: str) -> list[Outgoing]:
    """The measure's 责任人 as written (typed, or its own words through 按原文), said back."""
    said = await _store_owner(ctx, view, measure, text)
    if isinstance(said, Unread):
        return [await ctx.prompt(view, esc(said.message))]
    return await _next(ctx, view, said)


async def _store_owner(ctx: FlowContext, view: DraftView, measure: Measure, text: str) -> str | Unread:
    """Store the 责任人 as the kind asks it and say what was stored (HTML), or why nothing was.
    A 党支部班子's is one 支委 (``owners.committee_member``); in a 领导班子's, a member named first
    leads the measure unless one already does, and the rest is its 责任部门 (``measures.store_owner``)."""
    if view.owner_question is OwnerQuestion.COMMITTEE:
        member = measures.store_member(ctx, measure, text)
        return member if isinstance(member, Unread) else f"责任人：{esc(member)}。"
    if len(text) > MAX_OWNER_CHARS:
        return Unread(f"责任人写得简短些即可（{MAX_OWNER_CHARS}字以内）。")
    members = await ctx.leaders(view) if measure.leader_id is None else []
    leader, owner = measures.store_owner(ctx, measure, text, members)
    said = ""
    if leader is not None:  # named where his button was offered: as if picked, else nobody is reminded
        said = await _led(ctx, view, measure, leader)
        if not owner:  # the 责任部门 is asked next
            return said
        said += "\n"
    department_only = not split_owner(owner)[0]  # 党政办: the ledger files it as the 责任部门
    label = "责任部门" if measure.leader_id is not None or department_only else "责任人"
    return f"{said}{label}：{esc(owner)}。"


async def _owner_at_deadline(
    ctx: FlowContext, view: DraftView, measure: Measure, text: str
) -> list[Outgoing] | None:
    """An owner typed at the 时限 question (支部书记 王建华, 王五（分管副局长）、办公室) of a kind
    that asks one: kept as the measure's 责任人 when it has none yet, and the 时限 asked again;
    None when ``text`` names no owner, so the 时限 that could not be read is said to be."""
    members = await ctx.leaders(view) if measure.leader_id is None else []
    if not looks_like_owner(view.owner_question, text, leader_named(text, members) is not None):
        return None
    then = "这条措施还需要整改时限，请接着发送。"
    if measure.owner:
        kept = f"这条措施已记下责任人：{esc(measure.owner)}。"
        return [await ctx.prompt(view, f"“{esc(text.strip())}”是责任人，{kept}{then}")]
    said = await _store_owner(ctx, view, measure, text)
    if isinstance(said, Unread):
        return [await ctx.prompt(view, f"这里先写整改时限，责任人随后再问。{esc(said.message)}")]
    return [await ctx.prompt(view, f"已记下{said}\n{then}")]


async def _set_deadline(
    ctx: FlowContext, view: DraftView, answer: Answer, measure: Measure, text: str
) -> list[Outgoing]:
    meeting = view.draft.meeting_date or ctx.today
    settings = ctx.settings.reminders
    # A day already gone is stored here, and queried with the other warnings below.
    deadline = await measures.set_first_deadline(ctx, measure, text, meeting, past=True)
    if isinstance(deadline, DeadlineProblem):
        owner = await _owner_at_deadline(ctx, view, measure, text)
        return owner or [await ctx.prompt(view, esc(deadline.message))]
    links.accept(view)  # going on past the proposed links accepts them, guesses marked as such
    await _replan(ctx, view, measure)
    notice = [esc(describe(deadline))]
    notice += [
        f"请留意：{esc(w)}"
        for w in deadline_warnings(deadline, today=ctx.today, meeting=meeting, settings=settings)
    ]
    if note := anchor_note(deadline, meeting=view.draft.meeting_date, today=ctx.today, held=view.held):
        notice.append(note)
    if isinstance(deadline, Ongoing) and deadline.cadence is None:
        notice.append("还需要一个回顾频次。")
    written = None if isinstance(deadline, Ongoing) else ctx.written_date(view, answer)
    if isinstance(deadline, Ongoing) or written is None or written[1] == deadline.due:
        written = None
    else:
        notice.append(
            f"请核对：措施原文写的是“{esc(written[0])}”（{format_day(written[1])}），与刚设定的时限不同。"
        )
    notice.append("如需调整，之后可在 /deadlines 中找到这条措施办理。")
    replies = await _next(ctx, view, "\n".join(notice))
    if isinstance(replies[0], Reply):
        pub = view.draft.public_id
        if written is not None:
            data = encode(Flow.DEADLINE, "text", pub, measure.id)
            replies[0].buttons.insert(0, [Button(f"按原文改为{format_day(written[1])}", data)])
        elif not isinstance(deadline, Ongoing) and not is_workday(deadline.due):
            day = workday_on_or_before(deadline.due)
            data = encode(Flow.DEADLINE, "workday", pub, measure.id, day.isoformat())
            replies[0].buttons.insert(0, [Button(f"改为{format_day(day)}", data)])
    return replies


async def use_written_date(ctx: FlowContext, view: DraftView, measure_id: int) -> list[Outgoing]:
    """The 按原文 button: the deadline becomes the one the measure's own wording gives. Asked
    for that deadline, it answers the question as the phrase typed would; after another deadline
    was set (the query then), it corrects that one."""
    found = next(((a, m) for a, m in view.measures() if m.id == measure_id), None)
    phrase = ctx.written_deadline(view, found[0]) if found else None
    if found is None or phrase is None:
        return [await ctx.prompt(view, "这个按钮已经过期，下面是当前步骤：")]
    answer, measure = found
    if view.draft.cursor == DEADLINES and measure.deadline_kind is None:
        return await _set_deadline(ctx, view, answer, measure, phrase)
    meeting = view.draft.meeting_date or ctx.today
    deadline = parse_deadline(phrase, meeting=meeting, today=ctx.today, settings=ctx.settings.reminders)
    assert not isinstance(deadline, DeadlineProblem)  # date_in_text only returns phrases that parse
    return await _correct(ctx, view, measure, deadline, "已按措施原文调整")


def rewritten_dates(
    ctx: FlowContext, view: DraftView, edited: Iterable[Answer]
) -> tuple[str, list[list[Button]]]:
    """After items were edited: each measure whose wording now promises another date than its deadline
    (2027年3月底前 rewritten as 6月底前), a line and a 按原文改为 button, so the deadline, which the
    reminders and the ledger go by, follows the text when the user wants it to."""
    lines: list[str] = []
    rows: list[list[Button]] = []
    touched = set(map(id, edited))
    for answer, measure in view.measures():
        due = measure.deadline_date if measure.deadline_kind != "ongoing" else None
        written = ctx.written_date(view, answer) if id(answer) in touched and due is not None else None
        if due is None or written is None or written[1] == due:
            continue
        lines.append(
            f"请核对：措施现在写的是“{esc(written[0])}”（{format_day(written[1])}），"
            f"整改时限仍为{format_day(due)}。"
        )
        data = encode(Flow.DEADLINE, "text", view.draft.public_id, measure.id)
        rows.append([Button(f"按原文改为{format_day(written[1])}", data)])
    return "\n".join(lines), rows


async def use_written_owner(ctx: FlowContext, view: DraftView, measure_id: int) -> list[Outgoing]:
    """The 按原文 button at a measure's 责任人 question: the owner its own words name, stored as
    that text typed there would be (read from the measure again, never from the button)."""
    needs = view.measure_needs()
    if needs is None or needs[2].id != measure_id or needs[3] != "owner":
        return [await ctx.prompt(view, STALE)]
    _, answer, measure, _ = needs
    written = await ctx.written_owner(view, answer, measure)
    if written is None:
        return [await ctx.prompt(view, STALE)]
    return await _set_owner(ctx, view, measure, written)


async def use_workday(ctx: FlowContext, view: DraftView, measure_id: int, iso: str) -> list[Outgoing]:
    """The 改为<前一个工作日> button under a deadline that fell on a weekend or holiday: the same
    deadline (its type, what follows it) on that day."""
    measure = next((m for _, m in view.measures() if m.id == measure_id), None)
    current = measures.deadline_of(measure) if measure is not None else None
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        day = None
    if measure is None or isinstance(current, Ongoing | None) or day is None:
        return [await ctx.prompt(view, "这个按钮已经过期，下面是当前步骤：")]
    moved = replace(current, due=day, text=f"{format_date(day)}前")
    return await _correct(ctx, view, measure, moved, "已调整")


async def _correct(
    ctx: FlowContext, view: DraftView, measure: Measure, deadline: Deadline, done: str
) -> list[Outgoing]:
    """Set a deadline already given anew, and say so where the user is."""
    measures.store_deadline(measure, deadline)
    repo.record_event(ctx.session, measure, "deadline", deadline.text, ctx.user.id)
    await _replan(ctx, view, measure)
    notice = f"{done}。{esc(describe(deadline))}。"
    if view.draft.cursor in (DEADLINES, SUMMARY):
        return [await ctx.prompt(view, notice)]
    return [Reply(notice)]


async def set_cadence(ctx: FlowContext, view: DraftView, measure_id: int, iso: str) -> list[Outgoing]:
    target = next((m for _, m in view.measures() if m.id == measure_id), None)
    try:
        cadence = Cadence.from_iso(iso)
    except ValueError:
        cadence = None
    if target is None or cadence is None:
        return [await ctx.prompt(view, STALE)]
    return await _set_cadence(ctx, view, target, cadence)


async def _set_cadence(
    ctx: FlowContext, view: DraftView, measure: Measure, cadence: Cadence
) -> list[Outgoing]:
    measure.review_cadence = cadence.iso
    repo.record_event(ctx.session, measure, "cadence", cadence.label, ctx.user.id)
    await _replan(ctx, view, measure)
    return await _next(ctx, view, f"回顾频次：{cadence.label}。")


async def set_leader(ctx: FlowContext, view: DraftView, measure_id: int, user_id: int) -> list[Outgoing]:
    """A member of the team draft leads the measure: he gets its reminders; 责任部门 comes next."""
    target = next((m for _, m in view.measures() if m.id == measure_id), None)
    member = await team.member(ctx.session, view.draft.id, user_id)
    if target is None or member is None or TeamRole.of(member.role) not in LEADERS:
        return [await ctx.prompt(view, STALE)]
    measures.lead(ctx, target, member)
    return await _next(ctx, view, await _led(ctx, view, target, member))


async def _led(ctx: FlowContext, view: DraftView, measure: Measure, member: DraftMember) -> str:
    """``member`` now leads the measure: its reminders are planned for him; what to say."""
    await _replan(ctx, view, measure)
    return f"责任领导：{esc(name_of(member))}，到期提醒将发给他本人。"


async def later(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    notice = "好的，整改时限可以之后在全文概览里接着设定。"
    return await ctx.move(view, view.step(SUMMARY), notice)


async def _replan(ctx: FlowContext, view: DraftView, measure: Measure) -> None:
    meeting = view.draft.meeting_date or ctx.today
    await measures.replan(ctx, measure, since=meeting)
    await measures.schedule_summary(ctx, view.draft.public_id, meeting)


async def _next(ctx: FlowContext, view: DraftView, notice: str) -> list[Outgoing]:
    """Stay on the step while something is still missing, otherwise go on to the summary."""
    if view.measure_needs() is not None:
        return await ctx.move(view, view.step(), notice)
    notice += "\n各条整改措施的时限都已设定，到期前我会提醒您。"
    return await review.advance(ctx, view, view.step(), notice)

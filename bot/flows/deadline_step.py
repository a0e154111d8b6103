"""The step after the measures section: a deadline (and, where needed, a review cadence and an
owner) for every measure, each confirmed back in words and planned as reminders at once."""

from __future__ import annotations

from bot import links, prompts
from bot.deadlines.parse import Cadence, DeadlineProblem, Ongoing, describe, parse_cadence, parse_deadline
from bot.deadlines.parse import warnings as deadline_warnings
from bot.draftview import DraftView
from bot.flows import measures
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from bot.steps import SUMMARY
from bot.texts import esc
from storage import repo
from storage.models import Measure

MAX_OWNER_CHARS = 60


async def on_text(ctx: FlowContext, view: DraftView, text: str) -> list[Outgoing]:
    needs = view.measure_needs()
    if needs is None:
        return await ctx.advance(view, view.step(), "")
    _, _, measure, need = needs
    if need == "deadline":
        return await _set_deadline(ctx, view, measure, text)
    if need == "cadence":
        cadence = parse_cadence(text)
        if cadence is None:
            return [
                prompts.present(
                    ctx.catalog, view, "没能识别回顾频次，请点下面的按钮，或写“每月”“每季度”这样的频次。"
                )
            ]
        return await _set_cadence(ctx, view, measure, cadence)
    if len(text) > MAX_OWNER_CHARS:
        return [prompts.present(ctx.catalog, view, f"责任人写得简短些即可（{MAX_OWNER_CHARS}字以内）。")]
    measure.owner = text
    repo.record_event(ctx.session, measure, "owner", text, ctx.user.id)
    return await _next(ctx, view, f"责任人：{esc(text)}。")


async def _set_deadline(ctx: FlowContext, view: DraftView, measure: Measure, text: str) -> list[Outgoing]:
    meeting = view.draft.meeting_date or ctx.today
    settings = ctx.settings.reminders
    deadline = parse_deadline(text, meeting=meeting, today=ctx.today, settings=settings)
    if isinstance(deadline, DeadlineProblem):
        return [prompts.present(ctx.catalog, view, esc(deadline.message))]
    links.confirm(view)  # going on past the proposed links accepts them
    measures.store_deadline(measure, deadline)
    repo.record_event(ctx.session, measure, "deadline", text, ctx.user.id)
    await _replan(ctx, view, measure)
    notice = [esc(describe(deadline))]
    notice += [
        f"请留意：{esc(w)}"
        for w in deadline_warnings(deadline, today=ctx.today, meeting=meeting, settings=settings)
    ]
    if isinstance(deadline, Ongoing) and deadline.cadence is None:
        notice.append("还需要一个回顾频次。")
    notice.append("如需调整，之后可在 /deadlines 中找到这条措施办理。")
    return await _next(ctx, view, "\n".join(notice))


async def set_cadence(ctx: FlowContext, view: DraftView, measure_id: int, iso: str) -> list[Outgoing]:
    target = next((m for _, m in view.measures() if m.id == measure_id), None)
    try:
        cadence = Cadence.from_iso(iso)
    except ValueError:
        cadence = None
    if target is None or cadence is None:
        return [prompts.present(ctx.catalog, view, "这个按钮已经过期，下面是当前步骤：")]
    return await _set_cadence(ctx, view, target, cadence)


async def _set_cadence(
    ctx: FlowContext, view: DraftView, measure: Measure, cadence: Cadence
) -> list[Outgoing]:
    measure.review_cadence = cadence.iso
    repo.record_event(ctx.session, measure, "cadence", cadence.label, ctx.user.id)
    await _replan(ctx, view, measure)
    return await _next(ctx, view, f"回顾频次：{cadence.label}。")


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
    return await ctx.advance(view, view.step(), notice + "\n各条整改措施的时限都已设定，到期前我会提醒您。")

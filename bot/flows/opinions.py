"""Opinions collected before the meeting (征求意见, 谈心谈话, 上级点评 …): pasted one a line or sent as
an .xlsx, sorted into the aspects by their words, confirmed by the owner, then candidate problems
decided like the members' proposals, each keeping its source (问题来源)."""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.flows.items import problem_step
from bot.flows.proposals import aspect_name, digest
from bot.flows.team import OWNER_ONLY, seat_for
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.team import (
    COLLECTED,
    MAX_OPINION_CHARS,
    MAX_OPINIONS,
    Opinion,
    Origin,
    ProposalState,
    TeamRole,
    origin_from_cell,
    read_opinions,
    sort_into_aspects,
)
from bot.texts import esc, level2, preview
from storage import team
from storage.models import Proposal

# -- collected opinions ---------------------------------------------------------------------------


async def ask_opinions(ctx: FlowContext, public_id: str, origin_name: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    origin = Origin.of(origin_name)
    if seat is None or origin not in COLLECTED:
        return [Reply(OWNER_ONLY)]
    assert origin is not None
    ctx.ask(Pending(Awaiting.OPINIONS, seat.draft.id, COLLECTED.index(origin)))
    text = (
        f"请粘贴会前收集到的意见，一行一条（来源：<b>{origin.label}</b>）。"
        "行首注明来源的，如“谈心谈话：……”，按所注来源记。我会按各方面的关键词归类，请您确认。"
    )
    rows = [
        [
            Button(f"来源改为{o.label}", encode(Flow.PROPOSAL, "op", public_id, o.value))
            for o in COLLECTED[:3]
            if o is not origin
        ],
        [Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))],
    ]
    return [Reply(text, rows)]


async def opinions(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    """Each message adds opinions to sort (the question stays open on the sorting screens, until
    确认归类 or another button)."""
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None or seat.member.role != TeamRole.OWNER:
        ctx.ask(None)
        return [Reply(OWNER_ONLY)]
    default = COLLECTED[pending.other] if 0 <= pending.other < len(COLLECTED) else Origin.OPINION
    found = read_opinions(text, default)
    if not found:
        return [Reply("没有读到意见，请一行一条粘贴。")]
    return await _sort_opinions(ctx, seat, found)


async def opinion_sheet(ctx: FlowContext, rows: list[tuple[str, str]]) -> list[Outgoing]:
    """An .xlsx of opinions (one a row, with its source), sent while 录入征求意见 is open."""
    pending = ctx.pending
    if pending is None or pending.awaiting is not Awaiting.OPINIONS:
        return [Reply("表格只用于录入征求意见：请先在 /team 中点“录入征求意见”，再发送 .xlsx 表格。")]
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None or seat.member.role != TeamRole.OWNER:
        ctx.ask(None)
        return [Reply(OWNER_ONLY)]
    default = COLLECTED[pending.other] if 0 <= pending.other < len(COLLECTED) else Origin.OPINION
    found = [Opinion(text[:MAX_OPINION_CHARS], origin_from_cell(source, default)) for text, source in rows]
    if not found:
        return [Reply("表格里没有读到意见。请一行一条，意见放在“意见”或“内容”列，来源放在“来源”列。")]
    return await _sort_opinions(ctx, seat, found[:MAX_OPINIONS])


async def _sort_opinions(ctx: FlowContext, seat: team.Seat, found: list[Opinion]) -> list[Outgoing]:
    view = DraftView.build(ctx.catalog, seat.draft)
    aspects = sort_into_aspects([o.text for o in found], [a["text"] for a in view.aspects])
    for opinion, aspect in zip(found, aspects, strict=True):
        ctx.session.add(
            Proposal(
                draft_id=seat.draft.id,
                author_id=ctx.user.id,
                aspect=aspect,
                text=opinion.text,
                origin=opinion.origin.value,
                state=ProposalState.SORTING.value,
            )
        )
    await ctx.session.flush()
    return await sorting(ctx, seat.draft.public_id, f"收到{len(found)}条意见，已按关键词归入各方面：")


async def sorting(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    view = DraftView.build(ctx.catalog, seat.draft)
    found = await team.proposals(ctx.session, seat.draft.id, [ProposalState.SORTING])
    lines = [notice] if notice else []
    rows: list[list[Button]] = []
    aspect = -1
    for number, proposal in enumerate(found, start=1):
        if proposal.aspect != aspect:
            aspect = proposal.aspect
            placed = problem_step(view, aspect) is not None
            lines.append(f"\n<b>{esc(aspect_name(view, aspect)) if placed else '未归入方面'}</b>")
        origin = Origin.of(proposal.origin) or Origin.OPINION
        lines.append(f"{number}. {preview(proposal.text, 60)}（{origin.label}）")
        rows.append(
            [Button(Label.ADJUST_NTH.format(number), encode(Flow.PROPOSAL, "sort", public_id, proposal.id))]
        )
    if found:
        choose = _choose(view, found)
        lines.append("\n还有意见可以继续发送。" + (choose or _CONFIRM))
        if not choose:
            rows.insert(0, [Button(Label.SORT_CONFIRM, encode(Flow.PROPOSAL, "sorted", public_id))])
    else:
        lines.append("没有待归类的意见。")
    rows.append([Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))])
    return [Reply("\n".join(lines), rows)]


async def choose_sort(ctx: FlowContext, public_id: str, proposal_id: int) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    proposal = await team.proposal(ctx.session, seat.draft.id, proposal_id)
    if proposal is None or proposal.state != ProposalState.SORTING:
        return await sorting(ctx, public_id, "这条意见已确认过归类。")
    view = DraftView.build(ctx.catalog, seat.draft)
    rows = [
        [Button(f"{level2(n)}{a['text'][:28]}", encode(Flow.PROPOSAL, "to", public_id, proposal.id, n))]
        for n, a in enumerate(view.aspects, start=1)
    ]
    return [Reply(f"“{preview(proposal.text, 60)}”归入哪个方面？", rows)]


async def sort_to(ctx: FlowContext, public_id: str, proposal_id: int, aspect: int) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    proposal = await team.proposal(ctx.session, seat.draft.id, proposal_id)
    view = DraftView.build(ctx.catalog, seat.draft)
    if proposal is None or proposal.state != ProposalState.SORTING or problem_step(view, aspect) is None:
        return await sorting(ctx, public_id, "这条意见已确认过归类。")
    proposal.aspect = aspect
    return await sorting(ctx, public_id, "已调整。")


_CONFIRM = "归类无误请点“确认归类”，确认后成为候选问题，在“处理建议”中逐条采纳。"


def _choose(view: DraftView, found: list[Proposal]) -> str:
    """What to do about the opinions in no aspect (``bot.team.UNSORTED``), by their numbers on the
    sorting screen: choose one for each before confirming; "" when there are none."""
    numbers = [n for n, p in enumerate(found, start=1) if problem_step(view, p.aspect) is None]
    if not numbers:
        return ""
    which = "、".join(map(str, numbers))
    buttons = "、".join(f"“{Label.ADJUST_NTH.format(n)}”" for n in numbers)
    return f"第{which}条与各方面的表述都对不上，还没有归入方面，请点{buttons}选择方面后再确认归类。"


async def confirm_sorting(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """The sorted opinions become open proposals; not while one is in no aspect, which could be
    adopted nowhere."""
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    found = await team.proposals(ctx.session, seat.draft.id, [ProposalState.SORTING])
    if _choose(DraftView.build(ctx.catalog, seat.draft), found):
        return await sorting(ctx, public_id, "还有意见没有归入方面，暂不能确认。")
    for proposal in found:
        proposal.state = ProposalState.OPEN.value
    return await digest(ctx, public_id, f"已确认，{len(found)}条意见成为候选问题。")

"""Candidate problems of a team draft: members' contributions and the opinions collected before the
meeting, and the owner's decisions on them (accept, possibly edited; merge two; decline with a word).

Contributions never touch the draft: each is a row of its own, so two members writing at once
cannot overwrite each other. Only the owner's decision writes into the draft, and a decision on a
proposal that was already decided (an old digest, a second device) is refused and shown as it is.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import links
from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.draftview import DraftView
from bot.flows import items, notices, team_digest
from bot.flows.context import FlowContext
from bot.flows.team import GONE, OWNER_ONLY, is_open, seat_for
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.review.similar import normalise
from bot.splitter import one_text, split_answer
from bot.team import Origin, ProposalState, TeamRole, name_of
from bot.texts import esc, level2, preview, shorten
from storage import team
from storage.models import Draft, Proposal

DIGEST_SIZE = 8
DECIDED = "这条建议已经处理过了（{}），没有再改动。"


def aspect_name(view: DraftView, aspect: int) -> str:
    if 0 < aspect <= len(view.aspects):
        return f"{level2(aspect)}{view.aspects[aspect - 1]['text']}"
    return "其他"


# -- a member contributes -------------------------------------------------------------------------


async def choose_aspect(ctx: FlowContext, public_id: str, aspect: int) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.MEMBER)
    if seat is None:
        return [Reply(GONE)]
    view = DraftView.build(ctx.catalog, seat.draft)
    if items.problem_step(view, aspect) is None or not is_open(seat.draft, aspect):
        return [Reply("起草人暂未向成员开放这个方面，请发送 /team 重新选择。")]
    ctx.ask(Pending(Awaiting.CONTRIBUTION, seat.draft.id, aspect))
    text = (
        f"请发送您在<b>{esc(aspect_name(view, aspect))}</b>查摆的问题。"
        "可以一条一段，也可以整段粘贴带编号的内容；发送后交起草人汇总，采纳情况会告诉您。"
    )
    return [Reply(text, [[Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))]])]


async def contribute(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None or TeamRole.of(seat.member.role) is not TeamRole.MEMBER:
        ctx.ask(None)
        return [Reply(GONE)]
    if not is_open(seat.draft, pending.other):
        ctx.ask(None)
        return [Reply("起草人已不再向成员开放这个方面，刚才的内容未提交。请发送 /team 重新选择。")]
    view = DraftView.build(ctx.catalog, seat.draft)
    chosen = items.problem_step(view, pending.other)
    parts = items.aspect_parts(view, chosen, text) if chosen is not None else None
    groups = [(t.aspect, split) for t, split in parts] if parts else [(pending.other, split_answer(text))]
    if not any(split.items or split.lead for _, split in groups):
        return [Reply("没有收到内容，请直接发送问题的文字。")]
    for _, split in groups:
        if problem := items.unfit(split):
            return [Reply(problem)]
    waiting = {
        (p.aspect, normalise(p.text))
        for p in await team.proposals_by(ctx.session, seat.draft.id, ctx.user.id)
        if p.state == ProposalState.OPEN.value
    }
    sent: dict[int, int] = {}
    repeated = 0
    closed: list[int] = []
    leads: list[str] = []
    for aspect, split in groups:
        if not is_open(seat.draft, aspect):
            closed.append(aspect)
            continue
        if split.lead and split.items:
            leads.append(split.lead)
        for body in split.items or ([split.lead] if split.lead else []):
            if (aspect, normalise(body)) in waiting:
                repeated += 1
                continue
            waiting.add((aspect, normalise(body)))
            sent[aspect] = sent.get(aspect, 0) + 1
            ctx.session.add(
                Proposal(
                    draft_id=seat.draft.id,
                    author_id=ctx.user.id,
                    aspect=aspect,
                    text=body,
                    origin=Origin.SELF.value,
                    state=ProposalState.OPEN.value,
                )
            )
    said = [_submitted(view, sent, pending.other)] if sent else []
    if repeated:
        which = f"另有{repeated}条" if sent else ("这一条" if repeated == 1 else "这几条")
        said.append(f"{which}您已经提交过，正等起草人处理，没有重复提交。")
    if closed:
        names = "、".join(level2(aspect) for aspect in closed)
        said.append(f"{names}起草人暂未向成员开放，其下的内容没有提交。")
    if leads:
        lead = preview(leads[0], 20)
        said.append(f"开头一段“{lead}”是引言，不是问题，没有提交；各方面的引言由起草人撰写。")
    replies: list[Outgoing] = [
        Reply(
            "".join(said) + "可以继续发送，或点下面的按钮。",
            [
                [Button(Label.OTHER_ASPECT, encode(Flow.TEAM, "board", seat.draft.public_id))],
                [Button(Label.MY_PROPOSALS, encode(Flow.PROPOSAL, "mine", seat.draft.public_id))],
            ],
        )
    ]
    owner = await _owner_id(ctx, seat.draft.id)
    if owner is not None and sent:
        await team_digest.schedule(ctx, owner, seat.draft)
    return replies


def _submitted(view: DraftView, sent: dict[int, int], chosen: int) -> str:
    """The words that say what went to the owner: the chosen aspect named, or the count per aspect
    when a block written under several aspects' headings was divided among them."""
    if list(sent) == [chosen]:
        return f"已提交{sent[chosen]}条（{esc(aspect_name(view, chosen))}），交起草人汇总。"
    each = "、".join(f"{level2(aspect)}{count}条" for aspect, count in sent.items())
    return f"已按方面标题分开提交{sum(sent.values())}条：{each}，交起草人汇总。"


async def _owner_id(ctx: FlowContext, draft_id: int) -> int | None:
    return next(
        (m.user_id for m in await team.members(ctx.session, draft_id) if m.role == TeamRole.OWNER), None
    )


async def mine(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """What became of each of the member's proposals."""
    seat = await seat_for(ctx, public_id)
    if seat is None:
        return [Reply(GONE)]
    found = await team.proposals_by(ctx.session, seat.draft.id, ctx.user.id)
    lines = ["<b>我的建议及处理结果</b>"]
    for number, proposal in enumerate(found, start=1):
        state = ProposalState(proposal.state)
        note = f"：{esc(proposal.note)}" if proposal.note else ""
        where = level2(proposal.aspect) if proposal.aspect else ""
        lines.append(f"{number}. {where}{preview(proposal.text, 40)} —— {state.label}{note}")
    if not found:
        lines.append("您还没有提出建议。")
    return [Reply("\n".join(lines), [[Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))]])]


# -- the owner decides ----------------------------------------------------------------------------


async def digest(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    """New proposals per aspect, a few at a time, each with its decisions."""
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    view = DraftView.build(ctx.catalog, seat.draft)
    found = await team.proposals(ctx.session, seat.draft.id, [ProposalState.OPEN])
    names = {m.user_id: name_of(m) for m in await team.members(ctx.session, seat.draft.id)}
    lines = [notice] if notice else []
    lines.append(f"<b>待处理的建议和意见</b>（共{len(found)}条）")
    rows: list[list[Button]] = []
    aspect = -1
    for number, proposal in enumerate(found[:DIGEST_SIZE], start=1):
        if proposal.aspect != aspect:
            aspect = proposal.aspect
            lines.append(f"\n<b>{esc(aspect_name(view, aspect))}</b>")
        origin = Origin.of(proposal.origin) or Origin.SELF
        who = names.get(proposal.author_id or 0, "已退出的成员") if origin is Origin.SELF else origin.label
        lines.append(f"{number}. {esc(proposal.text)}（{esc(who)}）")
        pid = proposal.id
        rows.append(
            [
                Button(Label.ACCEPT_NTH.format(number), encode(Flow.PROPOSAL, "ok", public_id, pid)),
                Button(Label.ACCEPT_EDITED, encode(Flow.PROPOSAL, "edit", public_id, pid)),
                Button(Label.MERGE, encode(Flow.PROPOSAL, "merge", public_id, pid)),
                Button(Label.DECLINE, encode(Flow.PROPOSAL, "no", public_id, pid)),
            ]
        )
    if len(found) > DIGEST_SIZE:
        lines.append(f"\n（另有{len(found) - DIGEST_SIZE}条，处理完以上各条后显示。）")
    if not found:
        lines.append("目前没有待处理的建议。")
    rows.append([Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))])
    return [Reply("\n".join(lines), rows)]


async def _open_proposal(
    ctx: FlowContext, public_id: str, proposal_id: int
) -> tuple[team.Seat, Proposal] | list[Outgoing]:
    """The owner's seat and the still-open proposal, or the replies saying why not."""
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    proposal = await team.proposal(ctx.session, seat.draft.id, proposal_id)
    if proposal is None:
        ctx.refused("proposal")
        return await digest(ctx, public_id, "这条建议已不存在。")
    if proposal.state != ProposalState.OPEN:
        return await digest(ctx, public_id, DECIDED.format(ProposalState(proposal.state).label))
    return seat, proposal


async def accept(
    ctx: FlowContext, public_id: str, proposal_id: int, text: str | None = None
) -> list[Outgoing]:
    found = await _open_proposal(ctx, public_id, proposal_id)
    if isinstance(found, list):
        return found
    seat, proposal = found
    return await digest(ctx, public_id, await _take(ctx, seat, [proposal], text or proposal.text))


async def _take(ctx: FlowContext, seat: team.Seat, taken: list[Proposal], text: str, done: str = "") -> str:
    """Write the proposals into the draft as one item (their authors are told); what to say: why
    not, or ``done`` and where it went."""
    view = DraftView.build(ctx.catalog, seat.draft)
    first = taken[0]
    step = items.problem_step(view, first.aspect)
    if step is None:
        return "这个方面已不在材料中，无法采纳。"
    if full := items.too_many(view, step, 1):
        return full
    (answer,) = await items.place(ctx, view, step, len(view.slot(step)), [text], None)
    answer.author_id = first.author_id
    answer.origin = first.origin
    state = ProposalState.MERGED if len(taken) > 1 else ProposalState.ACCEPTED
    for proposal in taken:
        proposal.state, proposal.answer_id, proposal.decided_at = state.value, answer.id, ctx.now
    for proposal in taken:
        await _tell(ctx, proposal)
    said = f"{done}已采纳，写入{items.in_aspect(view, step, answer)}。"
    if links.is_confirmed(view):  # the links were settled before this problem came
        said += (
            f"这条问题还没有对应的整改措施，请在全文概览的“{Label.LINKS_VIEW}”中对应到已有措施，或补写措施。"
        )
    return said


async def _tell(ctx: FlowContext, proposal: Proposal) -> None:
    """The proposer hears what became of his proposal (``outcome``), unless he decided it himself."""
    if proposal.author_id is not None and proposal.author_id != ctx.user.id:
        state = ProposalState(proposal.state)
        await notices.queue(ctx, notices.OUTCOME, proposal.author_id, proposal, state, at_once=True)


async def outcome(session: AsyncSession, catalog: Catalog, user_id: int, key: str) -> Reply | None:
    """A notice to the proposer (``bot.flows.notices``) that his proposal was accepted, merged or
    declined, if it still is."""
    found = notices.about(key)
    proposal = await session.get(Proposal, found[0]) if found else None
    if proposal is None or not found or proposal.state != found[1] or proposal.author_id != user_id:
        return None
    said = f"您提出的“{preview(proposal.text, 40)}”"
    if proposal.state == ProposalState.DECLINED:
        return Reply(f"{said}未被采纳：{esc(proposal.note or '')}")
    draft = await session.get(Draft, proposal.draft_id)
    if draft is None:
        return None
    how = "与另一条合并后采纳" if proposal.state == ProposalState.MERGED else "采纳"
    return Reply(
        f"{said}已被起草人{how}，写入{esc(aspect_name(DraftView.build(catalog, draft), proposal.aspect))}。"
    )


async def ask(ctx: FlowContext, public_id: str, proposal_id: int, question: Awaiting) -> list[Outgoing]:
    """修改后采纳 or 不采纳: the next text is the wording, or the word on why."""
    found = await _open_proposal(ctx, public_id, proposal_id)
    if isinstance(found, list):
        return found
    _, proposal = found
    ctx.ask(Pending(question, proposal.id))
    if question is Awaiting.PROPOSAL_EDIT:
        text = f"请发送修改后的表述，采纳后写入材料。原文：\n{esc(proposal.text)}"
    else:
        text = f"请用一句话说明不采纳的原因，会告诉提出的同志。\n“{preview(proposal.text, 60)}”"
    return [Reply(text, [[Button(Label.RETURN, encode(Flow.PROPOSAL, "list", public_id))]])]


async def choose_merge(ctx: FlowContext, public_id: str, proposal_id: int) -> list[Outgoing]:
    found = await _open_proposal(ctx, public_id, proposal_id)
    if isinstance(found, list):
        return found
    seat, proposal = found
    others = [
        p
        for p in await team.proposals(ctx.session, seat.draft.id, [ProposalState.OPEN])
        if p.id != proposal.id and p.aspect == proposal.aspect
    ]
    if not others:
        return await digest(ctx, public_id, "同一方面没有其他待处理的建议可以合并。")
    rows = [
        [Button(shorten(p.text, 30), encode(Flow.PROPOSAL, "with", public_id, proposal.id, p.id))]
        for p in others
    ]
    rows.append([Button(Label.RETURN, encode(Flow.PROPOSAL, "list", public_id))])
    return [Reply(f"与哪一条合并？\n“{preview(proposal.text, 60)}”", rows)]


async def ask_merged(ctx: FlowContext, public_id: str, first_id: int, second_id: int) -> list[Outgoing]:
    first = await _open_proposal(ctx, public_id, first_id)
    second = await _open_proposal(ctx, public_id, second_id)
    if isinstance(first, list):
        return first
    if isinstance(second, list):
        return second
    ctx.ask(Pending(Awaiting.PROPOSAL_MERGE, first_id, second_id))
    text = f"请发送合并后的一条表述。两条原文：\n① {esc(first[1].text)}\n② {esc(second[1].text)}"
    return [Reply(text, [[Button(Label.RETURN, encode(Flow.PROPOSAL, "list", public_id))]])]


async def decision_text(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    """The wording or the word a decision asked for."""
    ctx.ask(None)
    seat_proposal = await _proposal_of_owner(ctx, pending.target)
    if seat_proposal is None:
        return [Reply("这条建议已经处理过或已不存在，发送 /team 查看。")]
    seat, proposal = seat_proposal
    pub = seat.draft.public_id
    # The wording of the one item it becomes: the numbers typed before it are the file's to write.
    wording = one_text(text) or text.strip()
    if pending.awaiting is Awaiting.PROPOSAL_EDIT:
        return await accept(ctx, pub, proposal.id, wording)
    if pending.awaiting is Awaiting.PROPOSAL_MERGE:
        other = await team.proposal(ctx.session, seat.draft.id, pending.other)
        if other is None or other.state != ProposalState.OPEN:
            return await digest(ctx, pub, "要合并的另一条已经处理过了，没有改动。")
        return await digest(ctx, pub, await _take(ctx, seat, [proposal, other], wording, "已合并为一条。"))
    proposal.state, proposal.note, proposal.decided_at = ProposalState.DECLINED.value, text[:200], ctx.now
    await _tell(ctx, proposal)
    return await digest(ctx, pub, "已记为不采纳。")


async def _proposal_of_owner(ctx: FlowContext, proposal_id: int) -> tuple[team.Seat, Proposal] | None:
    found = await team.open_proposal_by_id(ctx.session, proposal_id)
    if found is None:
        return None
    seat = await team.seat_by_id(ctx.session, ctx.user.id, found.draft_id)
    if seat is None or seat.member.role != TeamRole.OWNER:
        return None
    return seat, found

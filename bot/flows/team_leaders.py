"""Who leads a team draft's measure (责任领导), changed after the deadline step: from the measure's
card in /deadlines, by the draft's owner only. The leader gets the measure's reminders and acts on
them; 销号 stays with the owner, who keeps the ledger and verifies what the leader reports done."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.flows import measures, notices
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.measure_status import status_of
from bot.replies import Button, Outgoing, Reply
from bot.team import LEADERS, TeamRole, name_of
from bot.texts import esc, preview
from storage import repo, team
from storage.models import Draft, Measure, MeasureEvent

NOBODY = 0
"""The button's user for "no member leads it": the owner follows it up himself."""
LEADS, FREED = "leads", "freed"
"""What a member's notice about a measure says: that he leads it now, or no longer."""


async def buttons(ctx: FlowContext, measure: Measure, draft: Draft) -> list[list[Button]]:
    """For the owner of a team draft with members: one button per other possible leader."""
    members = await team.members(ctx.session, draft.id)
    if not any(m.user_id == ctx.user.id and m.role == TeamRole.OWNER for m in members):
        return []
    rows = [
        [
            Button(
                f"改由{name_of(m)[:16]}牵头",
                encode(Flow.FOLLOW_UP, "lead", measure.id, m.user_id),
            )
        ]
        for m in members
        if TeamRole.of(m.role) in LEADERS and m.user_id != measure.leader_id
    ]
    if measure.leader_id is not None:
        rows.append([Button(Label.OWNER_FOLLOWS, _data(measure, NOBODY))])
    return rows


def _data(measure: Measure, user_id: int) -> str:
    return encode(Flow.FOLLOW_UP, "lead", measure.id, user_id)


async def change(ctx: FlowContext, measure_id: int, user_id: int) -> list[Outgoing]:
    found = await repo.measure_of(ctx.session, ctx.user.id, measure_id)
    owner = found is not None and await _owns(ctx, found[2])
    leader = await team.member(ctx.session, found[2].id, user_id) if found is not None and user_id else None
    if (
        found is None
        or not owner
        or (user_id != NOBODY and (leader is None or TeamRole.of(leader.role) not in LEADERS))
    ):
        ctx.refused("measure")
        return [Reply("这项整改措施的责任领导只能由起草人在班子成员和审定人中指定。发送 /deadlines 查看。")]
    measure, answer, draft = found
    before = measure.leader_id
    measure.leader_id = user_id or None
    name = name_of(leader) if leader is not None else "起草人"
    repo.record_event(ctx.session, measure, "leader", name, ctx.user.id)
    await measures.replan(ctx, measure, since=draft.meeting_date or ctx.today)
    if user_id:
        await notices.queue(ctx, notices.LEAD, user_id, measure, LEADS, at_once=True)
    if before and before != user_id:
        await notices.queue(ctx, notices.LEAD, before, measure, FREED, at_once=True)
    what = preview(answer.text, 40)
    return [Reply(f"已改由{esc(name)}牵头：“{what}”。到期提醒发给{esc(name)}。")]


async def notice(session: AsyncSession, _: Catalog, user_id: int, key: str) -> Reply | None:
    """A notice to a member (``bot.flows.notices``) that he now leads the measure, or no longer
    does, if that is still so."""
    found = notices.about(key)
    loaded = await repo.measure_by_id(session, found[0]) if found else None
    if loaded is None or not found:
        return None
    measure, answer, _draft = loaded
    what = preview(answer.text, 40)
    if found[1] == LEADS and measure.leader_id == user_id:
        return Reply(f"起草人指定您为整改措施“{what}”的责任领导，到期前会提醒您办理。")
    if found[1] == FREED and measure.leader_id != user_id:
        return Reply(f"整改措施“{what}”已改由他人牵头，不再提醒您。")
    return None


DID = {
    "done": "已完成",
    "evidence": "补充了佐证材料",
    "postpone": "调整了整改时限",
    "deadline": "设定了整改时限",
    "postpone_reason": "说明延期原因",
    "progress": "报告进展",
    "close": "销号",
}
"""What a leader did with his measure, by the kind of event its history records."""


async def record(ctx: FlowContext, measure: Measure, kind: str, text: str) -> None:
    """The user's action on a measure goes into its history; if he leads it for a team draft's
    owner, the owner is told (``reported``)."""
    event = repo.record_event(ctx.session, measure, kind, text, ctx.user.id)
    members = await team.members(ctx.session, measure.draft_id)
    owner = next((m.user_id for m in members if m.role == TeamRole.OWNER), ctx.user.id)
    if owner != ctx.user.id and any(m.user_id == ctx.user.id for m in members):
        await notices.queue(ctx, notices.ACTION, owner, event, kind, at_once=True)


async def reported(session: AsyncSession, _: Catalog, user_id: int, key: str) -> Reply | None:
    """A notice to the owner (``bot.flows.notices``) of what a leader did with his measure, while
    he still owns the draft; a completion comes with the 销号 button, which is his."""
    found = notices.about(key)
    event = await session.get(MeasureEvent, found[0]) if found else None
    loaded = await repo.measure_by_id(session, event.measure_id) if event is not None else None
    if event is None or loaded is None or event.kind not in DID:
        return None
    measure, answer, draft = loaded
    owner = await team.member(session, draft.id, user_id)
    if owner is None or owner.role != TeamRole.OWNER:
        return None
    leader = await team.member(session, draft.id, event.author_id) if event.author_id else None
    name = (leader.display_name if leader is not None else None) or "班子成员"
    text = f"{esc(name)}办理整改措施“{preview(answer.text, 30)}”：{DID[event.kind]}" + (
        f"：{preview(event.text, 80)}" if event.text else ""
    )
    status = status_of(measure.status)
    if event.kind not in ("done", "evidence") or not status.is_done or status.is_closed:
        return Reply(text)
    return Reply(f"{text}\n{SIGN_OFF_HINT}", [[sign_off_button(measure.id)]])


SIGN_OFF_HINT = "经核实整改到位后，点“销号”（也可以之后在 /deadlines 中销号）。"


def sign_off_button(measure_id: int) -> Button:
    return Button(Label.SIGN_OFF, encode(Flow.FOLLOW_UP, "close", measure_id))


async def signs_off(ctx: FlowContext, draft: Draft) -> bool:
    """销号 is the ledger keeper's: the author of his own material, the 起草人 of a team draft; the
    member or 审定人 who leads a measure reports it done, and does not sign off his own work."""
    return await _owns(ctx, draft)


async def sign_off_refused(ctx: FlowContext, draft: Draft) -> str:
    """What a leader is told who presses 销号 on his measure: whose it is, and that he has his report."""
    owner = next((m for m in await team.members(ctx.session, draft.id) if m.role == TeamRole.OWNER), None)
    who = f"（{esc(owner.display_name)}）" if owner is not None and owner.display_name else ""
    return f"销号由起草人{who}核实整改到位后办理，您报告的完成情况已转给起草人，您无需再操作。"


async def _owns(ctx: FlowContext, draft: Draft) -> bool:
    member = await team.member(ctx.session, draft.id, ctx.user.id)
    return member is not None and member.role == TeamRole.OWNER

"""A team draft's member list: remove a member, switch 班子成员 ↔ 审定人, transfer the 起草人 role;
a member leaving. Whoever it concerns is told by a notice (``bot.flows.notices``) queued with the
change."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.draftview import DraftView
from bot.flows import measures, notices
from bot.flows.context import FlowContext
from bot.flows.team import GONE, OWNER_ONLY, seat_for, title_of
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.team import INVITABLE, TeamRole, name_of
from bot.texts import esc
from storage import team
from storage.models import Draft, DraftMember

REMOVED = "removed"
"""The role a member's notice names when he was removed: none."""

# -- members --------------------------------------------------------------------------------------


async def member_list(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    others = [m for m in await team.members(ctx.session, seat.draft.id) if m.user_id != ctx.user.id]
    rows = [
        [
            Button(
                f"{TeamRole(m.role).label}：{name_of(m)[:30]}", encode(Flow.TEAM, "mem", public_id, m.user_id)
            )
        ]
        for m in others
    ]
    rows.append([Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))])
    text = "\n".join(
        filter(
            None,
            [
                notice,
                "<b>成员管理</b>",
                "点成员可以移出、调整身份或转交起草人。" if others else "还没有其他成员。",
            ],
        )
    )
    return [Reply(text, rows)]


async def _other(ctx: FlowContext, public_id: str, user_id: int) -> tuple[team.Seat, DraftMember] | None:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None or user_id == ctx.user.id:
        return None
    other = await team.member(ctx.session, seat.draft.id, user_id)
    return (seat, other) if other is not None else None


async def member_menu(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    _, other = found
    role = TeamRole(other.role)
    flip = TeamRole.APPROVER if role is TeamRole.MEMBER else TeamRole.MEMBER
    rows = [
        [Button(f"改为{flip.label}", encode(Flow.TEAM, "role", public_id, user_id, flip.value))],
        [Button(Label.HAND_OVER, encode(Flow.TEAM, "own", public_id, user_id))],
        [Button(Label.REMOVE, encode(Flow.TEAM, "rm", public_id, user_id))],
        [Button(Label.BACK_TO_MEMBERS, encode(Flow.TEAM, "members", public_id))],
    ]
    return [Reply(f"{esc(name_of(other))}（{role.label}）", rows)]


async def change_role(ctx: FlowContext, public_id: str, user_id: int, role_name: str) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    role = TeamRole.of(role_name)
    if found is None or role not in INVITABLE:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    assert role is not None
    found[1].role = role.value
    await notices.queue(ctx, notices.ROLE, user_id, found[0].draft, role.value, at_once=True)
    return await member_list(ctx, public_id, f"已将{esc(name_of(found[1]))}改为{role.label}。")


async def remove(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    seat, other = found
    name = name_of(other)
    await _leave(ctx, seat, other, ctx.user.id)
    await notices.queue(ctx, notices.ROLE, user_id, seat.draft, REMOVED, at_once=True)
    return await member_list(ctx, public_id, f"已将{esc(name)}移出。他提出过的建议保留在材料中。")


async def changed(session: AsyncSession, catalog: Catalog, user_id: int, key: str) -> Reply | None:
    """A notice to a member (``bot.flows.notices``) that his role changed, that the draft was handed
    to him, or that he was removed, if that is still so."""
    found = notices.about(key)
    draft = await session.get(Draft, found[0]) if found else None
    if draft is None or not found:
        return None
    member = await team.member(session, draft.id, user_id)
    if (member.role if member is not None else REMOVED) != found[1]:
        return None
    title = esc(DraftView.build(catalog, draft).title)
    if member is None:
        return Reply(f"起草人已将您移出《{title}》。")
    if member.role == TeamRole.OWNER:
        return Reply(f"您已成为《{title}》的起草人，可以修改和汇总材料。发送 /drafts 打开，/team 管理成员。")
    return Reply(f"您在《{title}》中的身份已改为{TeamRole(member.role).label}。")


async def _leave(ctx: FlowContext, seat: team.Seat, member: DraftMember, owner: int) -> None:
    """The membership goes; the measures he led come back to the owner, reminders included."""
    await ctx.session.delete(member)
    for answer in seat.draft.answers:
        if answer.measure is not None and answer.measure.leader_id == member.user_id:
            answer.measure.leader_id = None
            since = seat.draft.meeting_date or ctx.today
            await measures.replan(ctx, answer.measure, since=since, owner=owner)


async def ask_leave(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.MEMBER, TeamRole.APPROVER)
    if seat is None:
        return [Reply(GONE)]
    text = (
        f"确定退出《{esc(title_of(ctx.catalog, seat))}》吗？您提出过的问题留在材料中，"
        "您牵头的整改措施交回起草人跟进。再加入需要起草人重新邀请。"
    )
    rows = [
        [Button(Label.LEAVE_CONFIRM, encode(Flow.TEAM, "leaveok", public_id))],
        [Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))],
    ]
    return [Reply(text, rows)]


async def leave(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """A member or the approver leaves the team draft of his own accord."""
    seat = await seat_for(ctx, public_id, TeamRole.MEMBER, TeamRole.APPROVER)
    if seat is None:
        return [Reply(GONE)]
    members = await team.members(ctx.session, seat.draft.id)
    owner = next((m.user_id for m in members if m.role == TeamRole.OWNER), ctx.user.id)
    name, title = name_of(seat.member), title_of(ctx.catalog, seat)
    await _leave(ctx, seat, seat.member, owner)
    ctx.ask(None)
    if owner != ctx.user.id:  # his name goes with his membership: the notice keeps it till it is sent
        status = str(ctx.user.id)
        await notices.queue(ctx, notices.LEFT, owner, seat.draft, status, at_once=True, note=name)
    return [Reply(f"已退出《{esc(title)}》。")]


async def left(
    session: AsyncSession, catalog: Catalog, user_id: int, key: str, name: str | None
) -> Reply | None:
    """A notice to the owner (``bot.flows.notices``) that the member ``name`` left, while the owner
    is still on the draft."""
    found = notices.about(key)
    seat = await team.seat_by_id(session, user_id, found[0]) if found else None
    if seat is None:
        return None
    title = esc(title_of(catalog, seat))
    return Reply(f"{esc(name or '一位成员')}已退出《{title}》。他提出过的建议保留在材料中。")


async def ask_transfer(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    text = (
        f"确定把起草人转交给{esc(name_of(found[1]))}吗？转交后由他修改和汇总材料、管理成员，您成为班子成员。"
    )
    rows = [
        [Button(Label.HAND_OVER_CONFIRM, encode(Flow.TEAM, "ownok", public_id, user_id))],
        [Button(Label.CANCEL, encode(Flow.TEAM, "members", public_id))],
    ]
    return [Reply(text, rows)]


async def transfer(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    seat, other = found
    other.role = TeamRole.OWNER.value
    seat.member.role = TeamRole.MEMBER.value
    for answer in seat.draft.answers:  # what no member leads is followed up by the new owner
        if answer.measure is not None and answer.measure.leader_id is None:
            await measures.replan(
                ctx, answer.measure, since=seat.draft.meeting_date or ctx.today, owner=user_id
            )
    if ctx.user.active_draft_id == seat.draft.id:
        ctx.user.active_draft_id = None
    await notices.queue(ctx, notices.ROLE, user_id, seat.draft, TeamRole.OWNER.value, at_once=True)
    return [Reply(f"已转交，{esc(name_of(other))}现在是起草人，您是班子成员。发送 /team 查看。")]

"""Joining a team draft: invitations by deep link (/start tm_<code>), accepted with one button.

A code is 128 random bits; an invitation expires, has limited places (taken with one conditional
UPDATE) and can be revoked. A dead code admits nobody and says so; it never shows the draft.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import meta_check
from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.dates import format_date
from bot.draftview import DraftView
from bot.flows import notices
from bot.flows.context import FlowContext
from bot.flows.team import (
    GONE,
    MAX_NAME_CHARS,
    OWNER_ONLY,
    board,
    name_question,
    seat_for,
    title_of,
)
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.team import INVITABLE, TeamRole, name_of
from bot.texts import esc
from storage import team
from storage.models import Draft, DraftMember

INVITE_PREFIX = "tm_"
INVITE_DAYS = 7
INVITE_USES = {TeamRole.MEMBER: 10, TeamRole.APPROVER: 1}
DEAD_LINK = "这个邀请链接已失效（已过期、已撤销或名额已满），请向起草人重新索取。"


# -- invitations ----------------------------------------------------------------------------------


async def invite(ctx: FlowContext, public_id: str, role_name: str, bot_username: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    role = TeamRole.of(role_name)
    if seat is None or role not in INVITABLE:
        return [Reply(OWNER_ONLY)]
    assert role is not None
    code = secrets.token_urlsafe(16)
    uses = INVITE_USES[role]
    expires = ctx.now + timedelta(days=INVITE_DAYS)
    team.add_invite(ctx.session, code, seat.draft.id, role.value, ctx.user.id, uses, expires)
    local = format_date(expires.astimezone(ctx.settings.tz).date())
    link = f"https://t.me/{bot_username}?start={INVITE_PREFIX}{code}"
    text = (
        f"邀请{role.label}的链接（可供{uses}人使用，{local}前有效）：\n{link}\n"
        "请通过可信渠道发给本人；对方打开链接后点“接受”即可加入。不再需要时可在 /team 中撤销。"
    )
    return [Reply(text, [[Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))]])]


async def revoke(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    count = await team.revoke_invites(ctx.session, seat.draft.id, ctx.now)
    return await board(ctx, public_id, f"已撤销{count}个邀请链接，用它们已经加入的成员不受影响。")


def invite_code(start_argument: str) -> str | None:
    """The code of a team invitation in ``/start tm_<code>``, or None."""
    if not start_argument.startswith(INVITE_PREFIX):
        return None
    code = start_argument[len(INVITE_PREFIX) :]
    return code if len(code) == 22 and all(c.isascii() and (c.isalnum() or c in "-_") for c in code) else None


async def show_invitation(ctx: FlowContext, code: str) -> list[Outgoing]:
    """What opening the link shows: which draft, which role, and the button to accept."""
    found = await team.live_invite(ctx.session, code, ctx.now)
    if found is None:
        return [Reply(DEAD_LINK)]
    if (seat := await team.member(ctx.session, found.draft_id, ctx.user.id)) is not None:
        return [already_in(seat, TeamRole(found.role))]
    draft = await ctx.session.get(Draft, found.draft_id)
    title = DraftView.build(ctx.catalog, draft).title if draft else "班子对照检查材料"
    role = TeamRole(found.role)
    duty = {
        TeamRole.MEMBER: "可以查看全文，按方面提出问题，由起草人采纳汇总；您牵头的整改措施会提醒您办理。",
        TeamRole.APPROVER: "可以查看全文，材料报送审定时阅改并作出审定。",
    }[role]
    text = f"起草人邀请您以<b>{role.label}</b>身份参与《{esc(title)}》。\n{duty}"
    accept = Label.JOIN_MEMBER if role is TeamRole.MEMBER else Label.JOIN_APPROVER
    rows = [[Button(accept, encode(Flow.TEAM, "join", code, 0))]]
    if role is TeamRole.MEMBER:
        text += (
            "\n\n如同意起草人看到您个人对照检查材料的进度"
            "（只看是否开始、完成、有无必须修改的地方，不看内容），请点第二个按钮。"
        )
        rows.append([Button(Label.JOIN_WITH_STATUS, encode(Flow.TEAM, "join", code, 1))])
    return [Reply(text, rows)]


def already_in(seat: DraftMember, invited_as: TeamRole) -> Reply:
    """A member opening another invitation to the same draft: his role stays what it is, and only
    the 起草人 can change it (a 班子成员 sent the 审定人's link is told so, not just "already in")."""
    role = TeamRole.of(seat.role) or TeamRole.MEMBER
    text = f"您已经以{role.label}身份参与这份班子材料，发送 /team 打开。"
    if invited_as is not role and role is not TeamRole.OWNER:
        text += (
            f"\n这个链接邀请的是{invited_as.label}；如需改为{invited_as.label}，"
            "请起草人在“成员管理”中调整您的身份。"
        )
    return Reply(text)


async def join(ctx: FlowContext, code: str, consent: int) -> list[Outgoing]:
    found = await team.live_invite(ctx.session, code, ctx.now)
    if found is None:
        return [Reply(DEAD_LINK)]
    if (seat := await team.member(ctx.session, found.draft_id, ctx.user.id)) is not None:
        return [already_in(seat, TeamRole(found.role))]
    taken = await team.take_place(ctx.session, code, ctx.now)
    if taken is None:
        return [Reply(DEAD_LINK)]
    role = TeamRole(taken.role)
    ctx.session.add(
        DraftMember(
            draft_id=taken.draft_id,
            user_id=ctx.user.id,
            role=role.value,
            status_consent=bool(consent) and role is TeamRole.MEMBER,
        )
    )
    ctx.ask(Pending(Awaiting.MEMBER_NAME, taken.draft_id))
    return [Reply(f"已加入，您的身份是{role.label}。\n" + name_question("李四 副镇长"))]


NOT_A_NAME = (
    f"这里只需发送姓名和职务（{MAX_NAME_CHARS}字以内），例如：李四 副镇长。"
    "刚才的内容没有记下，请先发送姓名和职务。"
)
SENTENCE_MARKS = "。；！？;!?"
"""A name and post never hold a sentence: text with these inside is material sent too early."""


async def set_name(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    name = " ".join(text.split())
    if len(name) > MAX_NAME_CHARS or any(mark in name.rstrip(SENTENCE_MARKS) for mark in SENTENCE_MARKS):
        # A member who pastes his problems before giving his name: they are not his name, and
        # cutting them to a name's length would lose them and name him by their first words.
        return [Reply(NOT_A_NAME)]
    if refused := meta_check.markup_notice("姓名和职务", name):  # the ledger would print the tags
        return [Reply(refused)]
    ctx.ask(None)
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None:
        return [Reply(GONE)]
    seat.member.display_name = name
    owner = next(
        (m for m in await team.members(ctx.session, seat.draft.id) if m.role == TeamRole.OWNER), None
    )
    if owner is not None and owner.user_id != ctx.user.id:
        await notices.queue(ctx, notices.JOINED, owner.user_id, seat.draft, str(ctx.user.id), at_once=True)
    return await board(ctx, seat.draft.public_id, f"好的，{esc(name)}。")


async def joined(session: AsyncSession, catalog: Catalog, user_id: int, key: str) -> Reply | None:
    """A notice to the owner (``bot.flows.notices``) that a member joined, if both still are."""
    found = notices.about(key)
    seat = await team.seat_by_id(session, user_id, found[0]) if found else None
    if seat is None or not found or seat.member.role != TeamRole.OWNER or not found[1].isdigit():
        return None
    member = await team.member(session, seat.draft.id, int(found[1]))
    if member is None:
        return None
    title, role = title_of(catalog, seat), TeamRole(member.role)
    return Reply(f"{esc(name_of(member))}已加入《{esc(title)}》，身份：{role.label}。发送 /team 查看。")

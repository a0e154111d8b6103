"""/team: a team (班子) draft's board, invitations by deep link, joining, and the member list.

The owner (起草人) drafts the material through the ordinary flows; everyone else on the draft reaches
it only through here, and every button re-checks the presser's membership and role, so a forged or
replayed button of a non-member finds nothing and changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot import fulltext
from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.submission_status import Status
from bot.team import INVITABLE, ProposalState, TeamRole
from bot.texts import esc, level2
from storage import submissions, team
from storage.models import Draft, DraftMember

INVITE_PREFIX = "tm_"
INVITE_DAYS = 7
INVITE_USES = {TeamRole.MEMBER: 10, TeamRole.APPROVER: 1}
MAX_NAME_CHARS = 40
NO_TEAM = (
    "您还没有参与班子材料。起草人用 /new 新建“领导班子对照检查材料”后，"
    "可在 /team 中生成邀请链接，请班子成员和审定人加入。"
)
GONE = "这份班子材料已无法打开：您不是它的成员，或它已被删除。"
DEAD_LINK = "这个邀请链接已失效（已过期、已撤销或名额已满），请向起草人重新索取。"
OWNER_ONLY = "这项操作只有起草人可以进行。"


def team_kinds(catalog: Catalog) -> list[str]:
    return [key for key, kind in catalog.kinds.items() if kind.voice == "team"]


def name_of(member: DraftMember) -> str:
    role = TeamRole.of(member.role)
    if member.display_name:
        return member.display_name
    return role.label if role is TeamRole.OWNER else f"{role.label if role else '成员'}（未留姓名）"


async def seat_for(ctx: FlowContext, public_id: str, *roles: TeamRole) -> team.Seat | None:
    """The presser's seat in the draft, if he is on it in one of ``roles`` (any role when none)."""
    found = await team.seat(ctx.session, ctx.user.id, public_id)
    if found is None or (roles and TeamRole.of(found.member.role) not in roles):
        ctx.refused("team draft")
        return None
    return found


# -- the board ------------------------------------------------------------------------------------


async def board_command(ctx: FlowContext) -> list[Outgoing]:
    """/team: the board of the team draft being written, or the list of the user's team drafts."""
    seats = await team.seats(ctx.session, ctx.user.id, team_kinds(ctx.catalog))
    if not seats:
        return [Reply(NO_TEAM)]
    pending = ctx.pending
    current = next((s for s in seats if s.draft.id == ctx.user.active_draft_id), None)
    if pending is not None and pending.awaiting is Awaiting.CONTRIBUTION:
        current = next((s for s in seats if s.draft.id == pending.target), current)
    if current is None and len(seats) == 1:
        current = seats[0]
    if current is None:
        rows = [
            [Button(f"{TeamRole(s.member.role).label}：{_title(ctx.catalog, s)[:40]}", _board(s))]
            for s in seats
        ]
        return [Reply("<b>我参与的班子材料</b>\n请选择：", rows)]
    return await board(ctx, current.draft.public_id)


def is_open(draft: Draft, aspect: int) -> bool:
    """Whether members may contribute to the aspect (all are, until the owner chooses)."""
    return draft.open_aspects is None or aspect in draft.open_aspects


def _member_line(member: DraftMember) -> str:
    label = TeamRole(member.role).label
    return f"· {label}：{esc(member.display_name)}" if member.display_name else f"· {label}"


def _board(seat: team.Seat) -> str:
    return encode(Flow.TEAM, "board", seat.draft.public_id)


def _title(catalog: Catalog, seat: team.Seat) -> str:
    return DraftView.build(catalog, seat.draft).title


async def board(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    seat = await seat_for(ctx, public_id)
    if seat is None:
        return [Reply(GONE)]
    if ctx.pending is not None and ctx.pending.awaiting is Awaiting.OPINIONS:
        ctx.ask(None)  # back on the board: what the owner types next is no longer an opinion
    role = TeamRole(seat.member.role)
    view = DraftView.build(ctx.catalog, seat.draft)
    members = await team.members(ctx.session, seat.draft.id)
    lines = [notice] if notice else []
    lines += [f"<b>《{esc(view.title)}》</b>", f"您的身份：{role.label}", "", "<b>成员</b>"]
    lines += [
        f"· {TeamRole(m.role).label}" + (f"：{esc(m.display_name)}" if m.display_name else "")
        for m in members
    ]
    pub = seat.draft.public_id
    if role is TeamRole.OWNER:
        rows = await _owner_rows(ctx, seat, lines)
    else:
        rows = _member_rows(view, role)
        if role is TeamRole.MEMBER:
            lines += ["", "请选择要提出问题的方面，然后直接发送内容（可整段粘贴，我会拆分）。"]
    rows += await _approval_rows(ctx, seat, role, lines)
    rows.append([Button("查看全文", encode(Flow.TEAM, "page", pub, 1))])
    if role is not TeamRole.OWNER:
        rows.append([Button("返回我的个人材料", encode(Flow.TEAM, "home", pub))])
    return [Reply("\n".join(lines), rows)]


async def _owner_rows(ctx: FlowContext, seat: team.Seat, lines: list[str]) -> list[list[Button]]:
    pub = seat.draft.public_id
    open_ = await team.proposals(ctx.session, seat.draft.id, [ProposalState.OPEN])
    sorting = await team.proposals(ctx.session, seat.draft.id, [ProposalState.SORTING])
    invites = await team.live_invites(ctx.session, seat.draft.id, ctx.now)
    lines += ["", f"待处理的建议和意见：{len(open_)}条"]
    if sorting:
        lines.append(f"待确认归类的征求意见：{len(sorting)}条")
    if invites:
        lines.append(f"有效邀请链接：{len(invites)}个")
    rows = [
        [
            Button("邀请班子成员", encode(Flow.TEAM, "inv", pub, TeamRole.MEMBER.value)),
            Button("邀请审定人", encode(Flow.TEAM, "inv", pub, TeamRole.APPROVER.value)),
        ],
        [
            Button("成员管理", encode(Flow.TEAM, "members", pub)),
            Button("成员个人材料进度", encode(Flow.TEAM, "status", pub)),
        ],
        [Button(f"处理建议（{len(open_)}）", encode(Flow.PROPOSAL, "list", pub))],
        [Button("向成员开放的方面", encode(Flow.TEAM, "aspects", pub))],
        [Button("录入征求意见", encode(Flow.PROPOSAL, "op", pub, "opinion"))],
    ]
    if sorting:
        rows.append([Button(f"确认意见归类（{len(sorting)}）", encode(Flow.PROPOSAL, "sorted", pub))])
    if invites:
        rows.append([Button("撤销全部邀请链接", encode(Flow.TEAM, "revoke", pub))])
    return rows


async def _approval_rows(
    ctx: FlowContext, seat: team.Seat, role: TeamRole, lines: list[str]
) -> list[list[Button]]:
    """Where 审定 stands, and its buttons for the owner and the approver."""
    versions = await submissions.history(
        ctx.session, submissions.Series("draft", seat.draft.id, seat.draft.id)
    )
    pub = seat.draft.public_id
    rows: list[list[Button]] = []
    if versions:
        latest = versions[-1]
        lines.append(f"审定：第{latest.version}版{Status.of(latest.status).label}")
        if role is TeamRole.APPROVER and latest.status == Status.SUBMITTED:
            rows.append(
                [Button(f"审阅第{latest.version}版", encode(Flow.APPROVAL, "read", latest.public_id, 1))]
            )
        if role is TeamRole.OWNER:
            rows.append([Button("查看批注", encode(Flow.APPROVAL, "notes", pub))])
        rows.append([Button("报送记录", encode(Flow.APPROVAL, "hist", pub))])
    if role is TeamRole.OWNER:
        rows.append([Button("报送审定", encode(Flow.APPROVAL, "submit", pub))])
    return rows


def _member_rows(view: DraftView, role: TeamRole) -> list[list[Button]]:
    pub = view.draft.public_id
    if role is not TeamRole.MEMBER:
        return []
    rows = [
        [Button(f"{level2(n)}{a['text'][:28]}", encode(Flow.TEAM, "asp", pub, n))]
        for n, a in enumerate(view.aspects, start=1)
        if is_open(view.draft, n)
    ]
    rows.append([Button("我的建议及处理结果", encode(Flow.PROPOSAL, "mine", pub))])
    return rows


async def leave_context(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """Back to the user's own material: the team draft stops taking his text."""
    del public_id
    ctx.ask(None)
    return [Reply("已回到您自己的材料。发送 /start 继续填写，/team 回到班子材料。")]


async def page(ctx: FlowContext, public_id: str, number: int) -> list[Outgoing]:
    """The assembled team material, read-only for members and the approver."""
    seat = await seat_for(ctx, public_id)
    if seat is None:
        return [Reply(GONE)]
    view = DraftView.build(ctx.catalog, seat.draft)
    all_pages = fulltext.pages(view)
    number = min(max(number, 1), len(all_pages))
    paging = [
        Button(label, encode(Flow.TEAM, "page", public_id, target))
        for label, target in (("上一页", number - 1), ("下一页", number + 1))
        if 1 <= target <= len(all_pages)
    ]
    rows = [paging] if paging else []
    rows.append([Button("返回班子材料", encode(Flow.TEAM, "board", public_id))])
    header = f"<b>全文</b>（第{number}/{len(all_pages)}页）"
    return [Reply("\n".join([header, "", *all_pages[number - 1].lines]), rows)]


async def aspects_menu(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    """The owner opens aspects to the members' contributions, or closes them, one tap each."""
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    view = DraftView.build(ctx.catalog, seat.draft)
    rows = [
        [
            Button(
                f"{'✓' if is_open(seat.draft, n) else '✗'} {level2(n)}{a['text'][:26]}",
                encode(Flow.TEAM, "tog", public_id, n),
            )
        ]
        for n, a in enumerate(view.aspects, start=1)
    ]
    rows.append([Button("返回班子材料", encode(Flow.TEAM, "board", public_id))])
    text = "\n".join(filter(None, [notice, "班子成员可以对打✓的方面提出问题。点一下开放或关闭："]))
    return [Reply(text, rows)]


async def toggle_aspect(ctx: FlowContext, public_id: str, aspect: int) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    count = len(seat.draft.aspects or [])
    if not 1 <= aspect <= count:
        return await aspects_menu(ctx, public_id)
    opened = set(seat.draft.open_aspects if seat.draft.open_aspects is not None else range(1, count + 1))
    opened ^= {aspect}
    seat.draft.open_aspects = sorted(opened)
    state = "开放" if aspect in opened else "关闭"
    return await aspects_menu(ctx, public_id, f"已{state}{level2(aspect)}。")


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
    local = expires.astimezone(ctx.settings.tz).strftime("%Y年%m月%d日")
    link = f"https://t.me/{bot_username}?start={INVITE_PREFIX}{code}"
    text = (
        f"邀请{role.label}的链接（可供{uses}人使用，{local}前有效）：\n{link}\n"
        "请通过可信渠道发给本人；对方打开链接后点“接受”即可加入。不再需要时可在 /team 中撤销。"
    )
    return [Reply(text, [[Button("返回班子材料", encode(Flow.TEAM, "board", public_id))]])]


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
    if await team.member(ctx.session, found.draft_id, ctx.user.id) is not None:
        return [Reply("您已经是这份班子材料的成员了，发送 /team 打开。")]
    draft = await ctx.session.get(Draft, found.draft_id)
    title = DraftView.build(ctx.catalog, draft).title if draft else "班子对照检查材料"
    role = TeamRole(found.role)
    duty = {
        TeamRole.MEMBER: "可以查看全文，按方面提出问题，由起草人采纳汇总；您牵头的整改措施会提醒您办理。",
        TeamRole.APPROVER: "可以查看全文，材料报送审定时阅改并作出审定。",
    }[role]
    text = f"起草人邀请您以<b>{role.label}</b>身份参与《{esc(title)}》。\n{duty}"
    rows = [[Button(f"接受：以{role.label}身份参与", encode(Flow.TEAM, "join", code, 0))]]
    if role is TeamRole.MEMBER:
        text += (
            "\n\n如同意起草人看到您个人对照检查材料的进度"
            "（只看是否开始、完成、有无错误，不看内容），请点第二个按钮。"
        )
        rows.append([Button("接受，并同意显示我个人材料的进度", encode(Flow.TEAM, "join", code, 1))])
    return [Reply(text, rows)]


async def join(ctx: FlowContext, code: str, consent: int) -> list[Outgoing]:
    found = await team.live_invite(ctx.session, code, ctx.now)
    if found is None:
        return [Reply(DEAD_LINK)]
    if await team.member(ctx.session, found.draft_id, ctx.user.id) is not None:
        return [Reply("您已经是这份班子材料的成员了，发送 /team 打开。")]
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
    return [
        Reply(
            f"已加入，您的身份是{role.label}。\n"
            "请发送您的姓名和职务，例如：李四 副镇长（显示在成员名单和整改台账中）。"
        )
    ]


async def set_name(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    ctx.ask(None)
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None:
        return [Reply(GONE)]
    name = " ".join(text.split())[:MAX_NAME_CHARS]
    seat.member.display_name = name
    owner = next(
        (m for m in await team.members(ctx.session, seat.draft.id) if m.role == TeamRole.OWNER), None
    )
    role = TeamRole(seat.member.role)
    title = _title(ctx.catalog, seat)
    replies = await board(ctx, seat.draft.public_id, f"好的，{esc(name)}。")
    if owner is not None:
        notice = f"{esc(name)}已加入《{esc(title)}》，身份：{role.label}。发送 /team 查看。"
        replies.append(Reply(notice, to=owner.user_id))
    return replies


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
    rows.append([Button("返回班子材料", encode(Flow.TEAM, "board", public_id))])
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
        [Button("转交起草人", encode(Flow.TEAM, "own", public_id, user_id))],
        [Button("移出", encode(Flow.TEAM, "rm", public_id, user_id))],
        [Button("返回成员管理", encode(Flow.TEAM, "members", public_id))],
    ]
    return [Reply(f"{esc(name_of(other))}（{role.label}）", rows)]


async def change_role(ctx: FlowContext, public_id: str, user_id: int, role_name: str) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    role = TeamRole.of(role_name)
    if found is None or role not in INVITABLE:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    assert role is not None
    found[1].role = role.value
    notice = f"已将{esc(name_of(found[1]))}改为{role.label}。"
    return [
        *await member_list(ctx, public_id, notice),
        Reply(f"您在班子材料中的身份已改为{role.label}。", to=user_id),
    ]


async def remove(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    seat, other = found
    name = name_of(other)
    await ctx.session.delete(other)
    for answer in seat.draft.answers:
        if answer.measure is not None and answer.measure.leader_id == user_id:
            answer.measure.leader_id = None
    title = _title(ctx.catalog, seat)
    return [
        *await member_list(ctx, public_id, f"已将{esc(name)}移出。他提出过的建议保留在材料中。"),
        Reply(f"起草人已将您移出《{esc(title)}》。", to=user_id),
    ]


async def ask_transfer(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    text = (
        f"确定把起草人转交给{esc(name_of(found[1]))}吗？转交后由他修改和汇总材料、管理成员，您成为班子成员。"
    )
    rows = [
        [Button("确认转交", encode(Flow.TEAM, "ownok", public_id, user_id))],
        [Button("取消", encode(Flow.TEAM, "members", public_id))],
    ]
    return [Reply(text, rows)]


async def transfer(ctx: FlowContext, public_id: str, user_id: int) -> list[Outgoing]:
    found = await _other(ctx, public_id, user_id)
    if found is None:
        return await member_list(ctx, public_id, "这位成员已不在名单中。")
    seat, other = found
    other.role = TeamRole.OWNER.value
    seat.member.role = TeamRole.MEMBER.value
    if ctx.user.active_draft_id == seat.draft.id:
        ctx.user.active_draft_id = None
    title = _title(ctx.catalog, seat)
    notice = f"您已成为《{esc(title)}》的起草人，可以修改和汇总材料。发送 /drafts 打开，/team 管理成员。"
    return [
        Reply(f"已转交，{esc(name_of(other))}现在是起草人，您是班子成员。发送 /team 查看。"),
        Reply(notice, to=user_id),
    ]

"""/team: a team (班子) draft's board, invitations by deep link, joining, and the member list.

The owner (起草人) drafts the material through the ordinary flows; everyone else on the draft reaches
it only through here, and every button re-checks the presser's membership and role, so a forged or
replayed button of a non-member finds nothing and changes nothing.
"""

from __future__ import annotations

from bot import fulltext
from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.draftview import DraftView
from bot.flows import followup
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.submission_status import Status
from bot.submissions import Snapshot, changes, of_draft
from bot.team import ProposalState, TeamRole
from bot.texts import esc, level2
from storage import submissions, team
from storage.models import Draft, DraftMember, Submission

MAX_NAME_CHARS = 40
NO_TEAM = (
    "您还没有参与班子材料。起草人用 /new 新建“领导班子对照检查材料”后，"
    "可在 /team 中生成邀请链接，请班子成员和审定人加入。"
)
GONE = "这份班子材料已无法打开：您不是它的成员，或它已被删除。"
DEAD_LINK = "这个邀请链接已失效（已过期、已撤销或名额已满），请向起草人重新索取。"
OWNER_ONLY = "这项操作只有起草人可以进行。"


def name_question(example: str, shown_in: str = "成员名单和整改台账") -> str:
    """What a member is asked on joining, and the owner on first opening the board."""
    return f"请发送您的姓名和职务，例如：{example}（显示在{shown_in}中）。"


def team_kinds(catalog: Catalog) -> list[str]:
    return [key for key, kind in catalog.kinds.items() if kind.voice == "team"]


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
    pending = ctx.pending
    leave_team_question(ctx)
    seats = await team.seats(ctx.session, ctx.user.id, team_kinds(ctx.catalog))
    if not seats:
        return [Reply(NO_TEAM)]
    current = next((s for s in seats if s.draft.id == ctx.user.active_draft_id), None)
    if pending is not None and pending.awaiting.is_about_team_draft:
        current = next((s for s in seats if s.draft.id == pending.target), current)
    if current is None and len(seats) == 1:
        current = seats[0]
    if current is None:
        rows = [
            [Button(f"{TeamRole(s.member.role).label}：{title_of(ctx.catalog, s)[:40]}", _board(s))]
            for s in seats
        ]
        return [Reply("<b>我参与的班子材料</b>\n请选择：", rows)]
    return await board(ctx, current.draft.public_id)


def is_open(draft: Draft, aspect: int) -> bool:
    """Whether members may contribute to the aspect (all are, until the owner chooses)."""
    return draft.open_aspects is None or aspect in draft.open_aspects


def leave_team_question(ctx: FlowContext) -> None:
    """/team (or its label typed): whatever a team draft's question was waiting for (a name,
    contributions, opinions, a proposal's wording, a 批注) no longer takes the next text, as after
    any button but the question's own (``FlowContext.press``)."""
    if ctx.pending is not None and ctx.pending.awaiting.is_team:
        ctx.ask(None)


def _member_line(member: DraftMember) -> str:
    label = TeamRole(member.role).label
    return f"· {label}：{esc(member.display_name)}" if member.display_name else f"· {label}"


def _ask_owner_name(ctx: FlowContext, seat: team.Seat) -> Reply:
    """The owner is asked his name once, as members are on joining: an empty name marks that he
    was asked, so skipping (or not answering) does not bring the question back."""
    seat.member.display_name = ""
    ctx.ask(Pending(Awaiting.MEMBER_NAME, seat.draft.id))
    text = "您是这份班子材料的起草人。" + name_question("张三 党政办主任", "成员名单")
    return Reply(text, [[Button(Label.SKIP_TO_TEAM, _board(seat))]])


def _board(seat: team.Seat) -> str:
    return encode(Flow.TEAM, "board", seat.draft.public_id)


def title_of(catalog: Catalog, seat: team.Seat) -> str:
    return DraftView.build(catalog, seat.draft).title


async def board(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    seat = await seat_for(ctx, public_id)
    if seat is None:
        return [Reply(GONE)]
    role = TeamRole(seat.member.role)
    if role is TeamRole.OWNER and seat.member.display_name is None:
        return [_ask_owner_name(ctx, seat)]
    view = DraftView.build(ctx.catalog, seat.draft)
    members = await team.members(ctx.session, seat.draft.id)
    lines = [notice] if notice else []
    lines += [f"<b>《{esc(view.title)}》</b>", f"您的身份：{role.label}", "", "<b>成员</b>"]
    lines += [_member_line(m) for m in members]
    pub = seat.draft.public_id
    if role is TeamRole.OWNER:
        rows = await _owner_rows(ctx, seat, lines)
    else:
        rows = _member_rows(view, role)
        if role is TeamRole.MEMBER:
            lines += ["", await _my_proposals(ctx, seat)]
            lines.append("请选择要提出问题的方面，然后直接发送内容（可整段粘贴，我会拆分）。")
    rows += await _approval_rows(ctx, seat, role, lines)
    rows.append([Button(Label.FULL_TEXT, encode(Flow.TEAM, "page", pub, 1))])
    if role is not TeamRole.OWNER:
        rows.append([Button(Label.BACK_TO_OWN, encode(Flow.TEAM, "home", pub))])
        rows.append([Button(Label.LEAVE, encode(Flow.TEAM, "leave", pub))])
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
            Button(Label.INVITE_MEMBER, encode(Flow.TEAM, "inv", pub, TeamRole.MEMBER.value)),
            Button(Label.INVITE_APPROVER, encode(Flow.TEAM, "inv", pub, TeamRole.APPROVER.value)),
        ],
        [
            Button(Label.MEMBERS, encode(Flow.TEAM, "members", pub)),
            Button(Label.MEMBER_STATUS, encode(Flow.TEAM, "status", pub)),
        ],
        [Button(Label.PROPOSALS.format(len(open_)), encode(Flow.PROPOSAL, "list", pub))],
        [Button(Label.OPEN_ASPECTS, encode(Flow.TEAM, "aspects", pub))],
        [Button(Label.OPINIONS, encode(Flow.PROPOSAL, "op", pub, "opinion"))],
    ]
    if sorting:
        rows.append([Button(Label.SORT_PENDING.format(len(sorting)), encode(Flow.PROPOSAL, "sorted", pub))])
    if invites:
        rows.append([Button(Label.REVOKE_INVITES, encode(Flow.TEAM, "revoke", pub))])
    return rows


def _changed_since(ctx: FlowContext, seat: team.Seat, version: Submission) -> list[str]:
    """A version handed in or approved, and the draft changed since: what is printed now is not
    what the 审定人 read, which the owner is told (with how to hand it in again)."""
    now = of_draft(DraftView.build(ctx.catalog, seat.draft))
    count = len(changes(Snapshot.of(version), now))
    if not count:
        return []
    return [f"（报送后材料又改动了{count}处，现在的内容未经审定；需要时请再次报送审定。）"]


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
        if role is TeamRole.OWNER and latest.status in (Status.SUBMITTED, Status.APPROVED):
            lines += _changed_since(ctx, seat, latest)
        if role is TeamRole.APPROVER and latest.status == Status.SUBMITTED:
            rows.append(
                [
                    Button(
                        Label.READ_VERSION.format(latest.version),
                        encode(Flow.APPROVAL, "read", latest.public_id, 1),
                    )
                ]
            )
        if role is TeamRole.OWNER:
            rows.append([Button(Label.NOTES, encode(Flow.APPROVAL, "notes", pub))])
        rows.append([Button(Label.HISTORY, encode(Flow.APPROVAL, "hist", pub))])
    if role is TeamRole.OWNER:
        rows.append([Button(Label.HAND_IN, encode(Flow.APPROVAL, "submit", pub))])
    elif role is TeamRole.APPROVER and not versions:
        lines += ["", "起草人报送审定后，我会把材料和审核摘要发给您。"]
    return rows


async def _my_proposals(ctx: FlowContext, seat: team.Seat) -> str:
    """One line on what became of the member's proposals so far."""
    mine = await team.proposals_by(ctx.session, seat.draft.id, ctx.user.id)
    if not mine:
        return "您还没有提出问题。"
    counts: dict[str, int] = {}
    for proposal in mine:
        label = ProposalState(proposal.state).label
        counts[label] = counts.get(label, 0) + 1
    return f"您提出的{len(mine)}条：" + "，".join(f"{label}{n}条" for label, n in counts.items()) + "。"


def _member_rows(view: DraftView, role: TeamRole) -> list[list[Button]]:
    pub = view.draft.public_id
    if role is not TeamRole.MEMBER:
        return []
    rows = [
        [Button(f"{level2(n)}{a['text'][:28]}", encode(Flow.TEAM, "asp", pub, n))]
        for n, a in enumerate(view.aspects, start=1)
        if is_open(view.draft, n)
    ]
    rows.append([Button(Label.MY_PROPOSALS, encode(Flow.PROPOSAL, "mine", pub))])
    return rows


async def leave_context(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """Back to the user's own material: the team draft's question went with the button
    (``FlowContext.press``); one about a measure stays until answered or cancelled, so it is asked
    again, and any other is closed."""
    del public_id
    back = "已回到您自己的材料。发送 /start 继续填写，/team 回到班子材料。"
    pending = ctx.pending
    if pending is not None and pending.awaiting.is_measure:
        return await followup.ask_again(ctx, pending, f"{back}\n\n还有一个问题等您回答：")
    ctx.ask(None)
    return [Reply(back)]


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
        for label, target in ((Label.PREVIOUS_PAGE, number - 1), (Label.NEXT_PAGE, number + 1))
        if 1 <= target <= len(all_pages)
    ]
    rows = [paging] if paging else []
    rows.append([Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))])
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
    rows.append([Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))])
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

"""The owner's view of the members' own materials for the same meeting: status only, never text,
and only for members who agreed to it when they joined."""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.flows.drafts import progress
from bot.flows.review import dismissed_keys, review_draft
from bot.flows.team import OWNER_ONLY, seat_for, team_kinds
from bot.labels import Label
from bot.replies import Button, Deferred, FileReply, Outgoing, Reply
from bot.review.findings import Severity
from bot.review.render import summary_text
from bot.team import TeamRole, name_of
from bot.texts import esc
from storage import repo, team
from storage.models import Draft


async def board(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    members = [m for m in await team.members(ctx.session, seat.draft.id) if m.role == TeamRole.MEMBER]
    statuses: list[tuple[str, str | Reviewed]] = []
    for member in members:
        if not member.status_consent:
            statuses.append((name_of(member), "未同意显示"))
            continue
        own = await _personal(ctx, member.user_id, seat.draft)
        statuses.append((name_of(member), await _status(ctx, own)))
    back = [[Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", public_id))]]

    def listed() -> list[Reply | FileReply]:  # after the commit: the finished materials' reviews
        lines = ["<b>班子成员个人对照检查材料进度</b>（只显示状态，不显示内容）"]
        lines += [f"· {esc(name)}：{_verdict(*s) if isinstance(s, tuple) else s}" for name, s in statuses]
        if not members:
            lines.append("还没有班子成员加入。")
        return [Reply("\n".join(lines), back)]

    return [Deferred(listed)]


Reviewed = tuple[DraftView, set[str]]
"""A finished material as read, with its dismissed findings: reviewed after the commit."""


async def _personal(ctx: FlowContext, user_id: int, team_draft: Draft) -> Draft | None:
    """The member's own material for the same meeting year (the latest one), if any."""
    kinds = set(team_kinds(ctx.catalog))
    drafts = [d for d in await repo.list_drafts(ctx.session, user_id) if d.kind not in kinds]
    same = [d for d in drafts if team_draft.year is None or d.year == team_draft.year]
    return same[0] if same else None


async def _status(ctx: FlowContext, draft: Draft | None) -> str | Reviewed:
    if draft is None:
        return "未开始"
    view = DraftView.build(ctx.catalog, draft)
    if not draft.completed:
        return f"填写中（{progress(view)}）"
    return view, await dismissed_keys(ctx, draft)


def _verdict(view: DraftView, dismissed: set[str]) -> str:
    """The 必须修改 count of the member's own review, in its words; what he dismissed is not counted."""
    _, findings = review_draft(view, dismissed)
    errors = summary_text(findings, (Severity.ERROR,))
    return f"已完成，{errors}" if errors else "已完成，没有必须修改的地方"

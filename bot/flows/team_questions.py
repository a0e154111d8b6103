"""Text that answers a question of a team draft, routed to the flow that asked it."""

from __future__ import annotations

from bot.flows import approval, opinions, proposals, team_invites
from bot.flows.context import FlowContext
from bot.pending import Awaiting, Pending
from bot.replies import Outgoing


async def on_question(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    if pending.awaiting is Awaiting.MEMBER_NAME:
        return await team_invites.set_name(ctx, pending, text)
    if pending.awaiting is Awaiting.CONTRIBUTION:
        return await proposals.contribute(ctx, pending, text)
    if pending.awaiting is Awaiting.OPINIONS:
        return await opinions.opinions(ctx, pending, text)
    if pending.awaiting in (Awaiting.COMMENT, Awaiting.RETURN_NOTE):
        return await approval.on_question(ctx, pending, text)
    return await proposals.decision_text(ctx, pending, text)

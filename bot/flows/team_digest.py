"""The owner's digest of new proposals: one message for what members sent over a few minutes,
through the reminder queue, so it is sent after the commit, retried, and never at night or on a
day off. It says what is open when it goes out, per aspect, or nothing when all is decided."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.deadlines.plan import earliest_send_time
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.replies import Button, Reply
from bot.team import ProposalState, TeamRole
from bot.texts import esc, level2
from storage import reminders, team
from storage.models import Draft

PROPOSALS = "team_proposals"
KINDS = frozenset({PROPOSALS})
GATHER = timedelta(minutes=5)
"""How long the digest waits for more: a member often sends his problems in several messages."""


async def schedule(ctx: FlowContext, owner_id: int, draft: Draft) -> None:
    """A digest for the owner, unless one is already waiting (which will say this too)."""
    due = earliest_send_time(ctx.now + GATHER, ctx.settings.reminders, tz=ctx.settings.timezone)
    key = f"{PROPOSALS}:{draft.id}"
    await reminders.ensure(ctx.session, user_id=owner_id, kind=PROPOSALS, key=key, due_at=due)


async def compose(session: AsyncSession, catalog: Catalog, user_id: int, key: str) -> Reply | None:
    """The digest as things stand, for the draft's owner only."""
    _, _, ident = key.partition(":")
    if not ident.isdigit():
        return None
    seat = await team.seat_by_id(session, user_id, int(ident))
    if seat is None or seat.member.role != TeamRole.OWNER:
        return None
    found = await team.proposals(session, seat.draft.id, [ProposalState.OPEN])
    if not found:
        return None
    view = DraftView.build(catalog, seat.draft)
    counts: dict[int, int] = {}
    for proposal in found:
        counts[proposal.aspect] = counts.get(proposal.aspect, 0) + 1
    lines = [f"《{esc(view.title)}》有{len(found)}条问题建议待处理："]
    for aspect, count in sorted(counts.items()):
        name = view.aspects[aspect - 1]["text"] if 0 < aspect <= len(view.aspects) else "其他"
        lines.append(f"· {level2(aspect) if aspect else ''}{esc(name)}：{count}条")
    button = Button(Label.PROPOSALS.format(len(found)), encode(Flow.PROPOSAL, "list", seat.draft.public_id))
    return Reply("\n".join(lines), [[button]])

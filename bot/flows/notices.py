"""Notices to another user that something of his changed state: about a version handed in, to
whoever reads it, that it was handed in, and to its author, that it was returned or approved (the
desk's, composed by ``bot.flows.handin.notice``, and 审定's, by ``bot.flows.approval.notice``); to a
batch's member who still owes a material, that the batch was closed or reopened
(``bot.flows.handin.batch_notice``); and
in a team draft, to a proposal's author what the owner decided (``bot.flows.proposals.outcome``), to
a member that he now leads a measure or no longer does (``bot.flows.team_leaders.notice``), to the
owner that a member joined (``bot.flows.team_invites.joined``) or left (``team_members.left``), to a
member that his role changed, the draft was handed to him or he was removed (``team_members.changed``),
and to the owner what a member did with a measure he leads (``team_leaders.reported``).

A notice is a reminder row queued in the transaction that makes the change, so the commit that
changes the version or the proposal keeps the word that it changed: a process stopped before the
message goes out, or a send that fails, leaves the row to the reminder job (``bot.delivery``), which
retries. It is composed when it is sent, as things stand then: a version superseded or decided
meanwhile is not announced any more. The one thing the database may no longer hold by then is the
name of a member who left (it goes with his membership): the row keeps it as its ``note``
(encrypted) until it is sent, and his /forget deletes the rows that name him (``forget``).

The desk's notices wait for working hours: a reviewer hears of dozens of cadres' materials, none of
them urgent at night. 审定's go ``at_once``: the update that queued them sends them right after its
own replies (``FlowContext.notices``), and the job only if that did not happen (``FALLBACK``); so do
the team's, which tell of a change as it is made.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.plan import earliest_send_time
from bot.flows.context import FlowContext
from storage import reminders
from storage.models import Draft, Measure, MeasureEvent, Proposal, ReviewBatch, Submission

DESK, APPROVAL = "desk_note", "approval_note"
VERSIONS = frozenset({DESK, APPROVAL})
"""The notices about a version (a ``Submission``)."""
BATCH = "desk_batch"
"""To a member of a review batch who still owes a material: the batch was closed, or reopened
(``bot.flows.handin.batch_notice``); its key ends in ``closed`` or ``open``."""
OUTCOME, LEAD, JOINED = "team_outcome", "team_lead", "team_joined"
ROLE, LEFT, ACTION = "team_role", "team_left", "team_action"
TEAM = frozenset({OUTCOME, LEAD, JOINED, ROLE, LEFT, ACTION})
"""The notices about a team draft: a proposal decided, a measure's leader changed, a member joined,
a member's role changed (or he was removed), a member left, a leader acted on his measure. Each key
names a message of its own: two members who joined or left the same draft are two notices."""
NAMING = frozenset({JOINED, LEFT})
"""The notices whose key ends in the user they tell of (``<kind>:<draft>:<user>``)."""
KINDS = VERSIONS | TEAM | {BATCH}
FALLBACK = timedelta(minutes=1)
"""When the reminder job sends a notice meant to go at once: long enough for the update that
queued it to finish its work after the commit (a review) and send it itself."""


async def queue(
    ctx: FlowContext,
    kind: str,
    user_id: int,
    subject: Submission | Proposal | Measure | MeasureEvent | Draft | ReviewBatch,
    status: str,
    *,
    at_once: bool,
    note: str | None = None,
) -> None:
    """Tell ``user_id`` that ``subject`` now has ``status``: once, whatever stops the process."""
    if at_once:
        due = ctx.now + FALLBACK
    else:
        due = earliest_send_time(ctx.now, ctx.settings.reminders, tz=ctx.settings.timezone)
    if subject.id is None:  # added in this update (an event): its id names it
        await ctx.session.flush()
    key = f"{kind}:{subject.id}:{status}"
    queued = await reminders.ensure(ctx.session, user_id=user_id, kind=kind, key=key, due_at=due, note=note)
    if at_once:
        ctx.notices.append(queued)


def about(key: str) -> tuple[int, str] | None:
    """The id of the subject a notice's key names, and the status it names."""
    _, _, rest = key.partition(":")
    ident, _, status = rest.partition(":")
    return (int(ident), status) if ident.isdigit() else None


async def named(session: AsyncSession, key: str) -> Submission | None:
    """The version a notice's key names, if it still has the status the key names."""
    found = about(key)
    submission = await session.get(Submission, found[0]) if found else None
    return submission if submission is not None and found and submission.status == found[1] else None


async def forget(session: AsyncSession, user_id: int) -> None:
    """The user is being forgotten: the notices that tell others of him (his joining, his leaving
    with his name) go, sent or not."""
    await reminders.drop_naming(session, NAMING, user_id)

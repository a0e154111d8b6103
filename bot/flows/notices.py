"""Notices about a version handed in: to whoever reads it, that it was handed in, and to its author,
that it was returned or approved. The desk's (composed by ``bot.flows.handin.notice``) and 审定's
(``bot.flows.approval.notice``) go the same way.

A notice is a reminder row queued in the transaction that hands the version in or decides it, so
the commit that changes the version keeps the word that it changed: a process stopped before the
message goes out, or a send that fails, leaves the row to the reminder job (``bot.delivery``), which
retries. It is composed when it is sent, as things stand then: a version superseded or decided
meanwhile is not announced any more.

The desk's notices wait for working hours: a reviewer hears of dozens of cadres' materials, none of
them urgent at night. 审定's go ``at_once``: the update that queued them sends them right after its
own replies (``FlowContext.notices``), and the job only if that did not happen (``FALLBACK``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.plan import earliest_send_time
from bot.flows.context import FlowContext
from bot.submission_status import Status
from storage import reminders
from storage.models import Submission

DESK, APPROVAL = "desk_note", "approval_note"
KINDS = frozenset({DESK, APPROVAL})
FALLBACK = timedelta(minutes=1)
"""When the reminder job sends a notice meant to go at once: long enough for the update that
queued it to finish its work after the commit (a review) and send it itself."""


async def queue(
    ctx: FlowContext, kind: str, user_id: int, submission: Submission, status: Status, *, at_once: bool
) -> None:
    """Tell ``user_id`` that ``submission`` now has ``status``: once, whatever stops the process."""
    if at_once:
        due = ctx.now + FALLBACK
    else:
        due = earliest_send_time(ctx.now, ctx.settings.reminders, tz=ctx.settings.timezone)
    key = f"{kind}:{submission.id}:{status.value}"
    queued = await reminders.ensure(ctx.session, user_id=user_id, kind=kind, key=key, due_at=due)
    if at_once:
        ctx.notices.append(queued)


async def named(session: AsyncSession, key: str) -> Submission | None:
    """The version a notice's key names, if it still has the status the key names."""
    _, _, rest = key.partition(":")
    ident, _, status = rest.partition(":")
    if not ident.isdigit():
        return None
    submission = await session.get(Submission, int(ident))
    return submission if submission is not None and submission.status == status else None

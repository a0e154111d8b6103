"""Reminder delivery: claim what is due, compose each message as things stand, send it through
whatever sender the caller gives, record the outcome, and plan the next digest.

Safe in several instances at once: due rows are claimed in one transaction (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL) and committed before anything is sent. A RetryAfter reschedules after the
time asked for, transient trouble backs off exponentially, a user who blocked the bot is marked and
not retried. The sender (``handlers.common.telegram_sender`` for Telegram) only turns a reply into an
API call and its error into an ``Outcome``.

``deliver`` sends given rows the same way at once: the notices an update queued to go right after
its replies (``bot.flows.notices``); a row it does not get to stays for ``dispatch_once``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.deadlines.plan import ReminderKind, earliest_send_time
from bot.draftview import DraftView
from bot.flows import (
    approval,
    followup,
    handin,
    measures,
    notices,
    proposals,
    team_digest,
    team_invites,
    team_leaders,
    team_members,
)
from bot.flows.desk_common import DUE
from bot.observability import REMINDERS_FAILED, REMINDERS_SENT
from bot.replies import Reply, heavy
from bot.settings import Settings
from storage import reminders, repo
from storage.db import Database
from storage.models import Reminder, User

MAX_ATTEMPTS = 6
LATE = timedelta(hours=1)  # later than this, a reminder is a catch-up and waits for a working slot
_NOTICES = {notices.DESK: handin.notice, notices.APPROVAL: approval.notice}  # who composes each notice
_TEAM_NOTICES = {
    notices.OUTCOME: proposals.outcome,
    notices.LEAD: team_leaders.notice,
    notices.JOINED: team_invites.joined,
    notices.ROLE: team_members.changed,
    notices.ACTION: team_leaders.reported,
}
"""Who composes each team notice but ``LEFT``, which needs the name its row keeps."""


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class RetryAfter:
    """The platform asked to wait (flood control)."""

    delay: timedelta


@dataclass(frozen=True)
class Transient:
    """Timeouts, connection trouble: worth trying again later."""

    reason: str


@dataclass(frozen=True)
class Blocked:
    """The user blocked the bot."""


@dataclass(frozen=True)
class Failed:
    """Refused for good (e.g. a malformed message)."""

    reason: str


Outcome = Sent | RetryAfter | Transient | Blocked | Failed
Send = Callable[[int, Reply], Awaitable[Outcome]]
"""Sends one reply to a user and says how it went; never raises for a delivery problem."""


@dataclass
class DispatchResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class _Job:
    """A claimed row, as read in the transaction that claimed it."""

    id: int
    user_id: int
    kind: str
    measure_id: int | None
    key: str
    attempts: int
    due_at: datetime
    note: str | None

    @classmethod
    def of(cls, row: Reminder) -> _Job:
        return cls(row.id, row.user_id, row.kind, row.measure_id, row.key, row.attempts, row.due_at, row.note)


async def dispatch_once(
    db: Database, settings: Settings, catalog: Catalog, send: Send, now: datetime | None = None
) -> DispatchResult:
    """Claim what is due and send it; safe to run in several instances at once."""
    now = now or datetime.now(UTC)
    result = DispatchResult()
    async with db.transaction() as session:
        claimed = await reminders.claim_due(
            session,
            now=now,
            lease=_lease(settings),
            rate_per_second=settings.reminder_rate,
            batch=settings.reminder_batch,
            apart=team_digest.KINDS | notices.TEAM | {measures.SUMMARY},
        )
        jobs = [_Job.of(r) for r in claimed]
    interval = 1.0 / settings.reminder_rate
    for job in jobs:
        await _deliver(db, settings, catalog, send, job, now, result)
        await asyncio.sleep(interval)
    return result


async def deliver(
    db: Database, settings: Settings, catalog: Catalog, send: Send, ids: Sequence[int], now: datetime
) -> DispatchResult:
    """Send these rows now, due or not (the notices an update queued to go at once, see
    ``bot.flows.notices``), unless a dispatcher has claimed them already."""
    result = DispatchResult()
    async with db.transaction() as session:
        jobs = [_Job.of(r) for r in await reminders.claim(session, ids, now=now, lease=_lease(settings))]
    for job in jobs:
        await _deliver(db, settings, catalog, send, job, now, result)
    return result


def _lease(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.reminder_lease_seconds)


async def _deliver(
    db: Database,
    settings: Settings,
    catalog: Catalog,
    send: Send,
    job: _Job,
    now: datetime,
    result: DispatchResult,
) -> None:
    """Compose one claimed row as things stand, send it and record the outcome."""
    async with db.transaction() as session:
        user = await session.get(User, job.user_id)
        timezone = (user.timezone if user else None) or settings.timezone
        reply = await compose(session, catalog, job, now, timezone)
    send_at = earliest_send_time(now, settings.reminders, tz=timezone) if now - job.due_at > LATE else now
    if reply is not None and send_at > now:  # a late catch-up found at night or on a holiday waits
        async with db.transaction() as session:
            await reminders.retry_later(session, job.id, send_at, "quiet hours")
        result.retried += 1
        return
    if reply is not None and heavy([reply]):  # a review the message needs, done holding no lock
        await asyncio.to_thread(reply.settle)
    outcome = await send(job.user_id, reply) if reply is not None else None
    async with db.transaction() as session:
        await _record(session, job.id, job.user_id, job.attempts, outcome, now, result)
        if job.kind == measures.DIGEST and isinstance(outcome, Sent | None):
            await measures.next_digest(session, job.user_id, timezone, settings.reminders, now)


async def compose(
    session: AsyncSession, catalog: Catalog, job: _Job, now: datetime, timezone: str
) -> Reply | None:
    """The message for a reminder as things stand now, or None when there is nothing to say."""
    user_id, kind, measure_id, key = job.user_id, job.kind, job.measure_id, job.key
    today = now.astimezone(ZoneInfo(timezone)).date()
    if kind == notices.LEFT:
        return await team_members.left(session, catalog, user_id, key, job.note)
    if kind == DUE:
        return await handin.due_reminder(session, user_id, key, today)
    if kind == notices.BATCH:
        return await handin.batch_notice(session, user_id, key, today)
    if kind in notices.TEAM:
        return await _TEAM_NOTICES[kind](session, catalog, user_id, key)
    if kind in notices.VERSIONS:
        submission = await notices.named(session, key)
        return await _NOTICES[kind](session, catalog, user_id, submission) if submission else None
    if kind in team_digest.KINDS:
        return await team_digest.compose(session, catalog, user_id, key)
    if kind == measures.SUMMARY:
        return await followup.summary(session, catalog, user_id, key)
    if measure_id is None:
        rows = [(m, a) for m, a, _ in await repo.measures_of(session, user_id) if measures.is_open(m)]
        return followup.digest_reply(rows, today)
    loaded = await repo.measure_by_id(session, measure_id)
    if loaded is None or not measures.is_open(loaded[0]):
        return None
    if kind == ReminderKind.OVERDUE_NUDGE and await _digest_on(session, user_id, today, timezone):
        return None  # the day's digest lists the item, with its 办理 button: one message, not two
    measure, answer, draft = loaded
    title = DraftView.build(catalog, draft).title
    owner = (await followup.owner_lines(session, catalog, [(measure, draft)])).get(measure.id)
    return followup.reminder_reply(kind, measure, answer, title, today, owner)


async def _digest_on(session: AsyncSession, user_id: int, day: date, timezone: str) -> bool:
    """Whether the user's weekly digest goes out on ``day`` (local), or went out already."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    return await reminders.scheduled_between(session, user_id, measures.DIGEST, start, end)


async def _record(
    session: AsyncSession,
    reminder_id: int,
    user_id: int,
    attempts: int,
    outcome: Outcome | None,
    now: datetime,
    result: DispatchResult,
) -> None:
    """What the outcome means for the row; ``None`` is a reminder with nothing left to say."""
    if outcome is None:
        await reminders.record_skipped(session, reminder_id)
        result.skipped += 1
    elif isinstance(outcome, Sent):
        await reminders.record_sent(session, reminder_id, now)
        REMINDERS_SENT.inc()
        result.sent += 1
    elif isinstance(outcome, RetryAfter):
        await reminders.retry_later(session, reminder_id, now + outcome.delay, "retry after")
        result.retried += 1
    elif isinstance(outcome, Blocked):
        await reminders.block_user(session, user_id, now)
        REMINDERS_FAILED.inc()
        result.failed += 1
    elif isinstance(outcome, Transient) and attempts < MAX_ATTEMPTS:
        backoff = timedelta(minutes=2**attempts)
        await reminders.retry_later(session, reminder_id, now + backoff, outcome.reason)
        result.retried += 1
    else:
        await reminders.give_up(session, reminder_id, outcome.reason)
        REMINDERS_FAILED.inc()
        result.failed += 1

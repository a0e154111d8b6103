"""Reminder dispatch (a JobQueue job) and the follow-up buttons and commands.

Dispatch claims due rows in one transaction and commits before sending, then records each
outcome: RetryAfter reschedules after the time Telegram asks for, network errors back off,
a user who blocked the bot is marked and not retried.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.deadlines.plan import earliest_send_time
from bot.draftview import DraftView
from bot.flows import followup, measures
from bot.flows.context import FlowContext
from bot.observability import REMINDERS_FAILED, REMINDERS_SENT
from bot.replies import Outgoing, Reply
from handlers.common import Context, Services, run, run_callback, send_outgoing, services
from storage import reminders, repo
from storage.models import User

log = logging.getLogger("duizhao.reminders")

MAX_ATTEMPTS = 6
LATE = timedelta(hours=1)  # later than this, a reminder is a catch-up and waits for a working slot


@dataclass
class DispatchResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


async def dispatch_once(bot: Bot, found: Services, now: datetime | None = None) -> DispatchResult:
    """Claim what is due and send it; safe to run in several instances at once."""
    now = now or datetime.now(UTC)
    config = found.settings
    lease = timedelta(seconds=config.reminder_lease_seconds)
    result = DispatchResult()
    async with found.db.transaction() as session:
        claimed = await reminders.claim_due(
            session, now=now, lease=lease, rate_per_second=config.reminder_rate, batch=config.reminder_batch
        )
        jobs = [(r.id, r.user_id, r.kind, r.measure_id, r.attempts, r.due_at) for r in claimed]
    interval = 1.0 / config.reminder_rate
    for reminder_id, user_id, kind, measure_id, attempts, due_at in jobs:
        async with found.db.transaction() as session:
            user = await session.get(User, user_id)
            timezone = (user.timezone if user else None) or config.timezone
            reply = await _compose(session, found, user_id, kind, measure_id, now, timezone)
        send_at = earliest_send_time(now, config.reminders, tz=timezone) if now - due_at > LATE else now
        if reply is not None and send_at > now:  # a late catch-up found at night or on a holiday waits
            async with found.db.transaction() as session:
                await reminders.retry_later(session, reminder_id, send_at, "quiet hours")
            result.retried += 1
            continue
        outcome: TelegramError | bool | None = False
        if reply is not None:
            try:
                await send_outgoing(bot, user_id, [reply])
                outcome = None
            except TelegramError as error:
                outcome = error
        async with found.db.transaction() as session:
            await _record(session, reminder_id, user_id, attempts, outcome, now, result)
            if kind == measures.DIGEST and not isinstance(outcome, TelegramError):
                await measures.schedule_digest(session, user_id, timezone, config.reminders, now)
        await asyncio.sleep(interval)
    return result


async def _compose(
    session: AsyncSession,
    found: Services,
    user_id: int,
    kind: str,
    measure_id: int | None,
    now: datetime,
    timezone: str,
) -> Reply | None:
    """The message for a reminder as things stand now, or None when there is nothing to say."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    if measure_id is None:
        rows = [(m, a) for m, a, _ in await repo.measures_of(session, user_id)]
        if kind == measures.SUMMARY:
            return followup.summary_reply(rows) if rows else None
        return followup.digest_reply([(m, a) for m, a in rows if measures.is_open(m)], today)
    loaded = await repo.measure_by_id(session, measure_id)
    if loaded is None or not measures.is_open(loaded[0]):
        return None
    measure, answer, draft = loaded
    title = DraftView.build(found.catalog, draft).title
    return followup.reminder_reply(kind, measure, answer, title, today)


async def _record(
    session: AsyncSession,
    reminder_id: int,
    user_id: int,
    attempts: int,
    outcome: TelegramError | bool | None,
    now: datetime,
    result: DispatchResult,
) -> None:
    if outcome is None:
        await reminders.record_sent(session, reminder_id, now)
        REMINDERS_SENT.inc()
        result.sent += 1
    elif outcome is False:
        await reminders.record_skipped(session, reminder_id)
        result.skipped += 1
    elif isinstance(outcome, RetryAfter):
        wait = outcome.retry_after
        delay = wait if isinstance(wait, timedelta) else timedelta(seconds=wait)
        await reminders.retry_later(session, reminder_id, now + delay, "retry after")
        result.retried += 1
    elif isinstance(outcome, Forbidden):
        await reminders.block_user(session, user_id, now)
        REMINDERS_FAILED.inc()
        result.failed += 1
    elif (
        isinstance(outcome, NetworkError) and not isinstance(outcome, BadRequest) and attempts < MAX_ATTEMPTS
    ):
        backoff = timedelta(minutes=2**attempts)
        await reminders.retry_later(session, reminder_id, now + backoff, type(outcome).__name__)
        result.retried += 1
    else:
        assert isinstance(outcome, TelegramError)
        await reminders.give_up(session, reminder_id, str(outcome.message))
        REMINDERS_FAILED.inc()
        result.failed += 1


def _transient(error: TelegramError) -> bool:
    """Timeouts and connection trouble pass; a BadRequest (also a NetworkError subclass) won't."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def dispatch_job(context: Context) -> None:
    result = await dispatch_once(context.bot, services(context))
    if result.sent or result.failed or result.retried:
        log.info("reminders sent=%d retried=%d failed=%d", result.sent, result.retried, result.failed)


async def on_deadlines(update: Update, context: Context) -> None:
    await run(update, context, followup.deadlines, "deadlines")


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "open":
        return await followup.measure_card(ctx, callback.number(0))
    if callback.action in ("cancel", "skip"):
        return await followup.cancel(ctx)
    return await followup.start_action(ctx, callback.action, callback.number(0))


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "followup")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("deadlines", on_deadlines),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.FOLLOW_UP)),
    ]

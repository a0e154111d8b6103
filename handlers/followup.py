"""The reminder job and the follow-up buttons and commands.

Delivery itself (claiming, retries, digests) is ``bot.delivery``; here its sends become Telegram
calls and Telegram's errors become its outcomes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import delivery
from bot.callbacks import Callback, Flow, pattern
from bot.flows import followup, rectify_report, team_leaders
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, Services, run, run_callback, services, telegram_sender

log = logging.getLogger("duizhao.reminders")


async def dispatch_once(bot: Bot, found: Services, now: datetime | None = None) -> delivery.DispatchResult:
    """One round of ``bot.delivery`` sending through this bot."""
    return await delivery.dispatch_once(found.db, found.settings, found.catalog, telegram_sender(bot), now)


async def dispatch_job(context: Context) -> None:
    result = await dispatch_once(context.bot, services(context))
    if result.sent or result.failed or result.retried:
        log.info("reminders sent=%d retried=%d failed=%d", result.sent, result.retried, result.failed)


async def on_deadlines(update: Update, context: Context) -> None:
    await run(update, context, followup.deadlines, "deadlines")


async def on_rectify_report(update: Update, context: Context) -> None:
    await run(update, context, rectify_report.generate, "rectify_report")


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "open":
        return await followup.measure_card(ctx, callback.number(0))
    if callback.action == "lead":
        return await team_leaders.change(ctx, callback.number(0), callback.number(1))
    if callback.action == "report":
        return await rectify_report.generate(ctx)
    if callback.action == "reportof":
        return await rectify_report.generate(ctx, callback.text(0))
    if callback.action == "redo":
        return await rectify_report.generate(ctx, callback.text(0), replace=True)
    if callback.action == "skip":
        return await followup.skip(ctx)
    if callback.action == "cancel":
        return await followup.cancel(ctx)
    if callback.action == "list":
        return await followup.deadlines(ctx)
    if callback.action == "close":
        return await followup.sign_off(ctx, callback.number(0))
    return await followup.start_action(ctx, callback.action, callback.number(0))


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "followup")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("deadlines", on_deadlines),
        CommandHandler("rectify_report", on_rectify_report),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.FOLLOW_UP)),
    ]

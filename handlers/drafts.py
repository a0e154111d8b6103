"""/drafts, /status, /cancel and the draft-list buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import drafts
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run, run_callback


async def on_drafts(update: Update, context: Context) -> None:
    await run(update, context, drafts.list_drafts, "drafts")


async def on_status(update: Update, context: Context) -> None:
    await run(update, context, drafts.status, "status")


async def on_cancel(update: Update, context: Context) -> None:
    await run(update, context, drafts.pause, "cancel")


async def _draft_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "list":  # the only route without a draft's id
        return await drafts.list_drafts(ctx)
    public_id = callback.text(0)
    if callback.action == "open":
        return await drafts.open_draft(ctx, public_id)
    if callback.action == "del":
        return await drafts.confirm_delete(ctx, public_id)
    return await drafts.delete(ctx, public_id)


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _draft_button, "drafts")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("drafts", on_drafts),
        CommandHandler("status", on_status),
        CommandHandler("cancel", on_cancel),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.DRAFTS)),
    ]

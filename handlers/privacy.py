"""/forget (with confirmation) and /export_my_data."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, encode, pattern
from bot.flows import privacy
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run, run_callback, services


async def on_forget(update: Update, context: Context) -> None:
    await run(update, context, privacy.confirm_forget, "forget")


async def on_export(update: Update, context: Context) -> None:
    await run(update, context, privacy.export_my_data, "export_my_data")


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "forgetok":
        return await privacy.forget(ctx)
    return await privacy.keep(ctx)


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "privacy")
    if update.callback_query is not None and update.callback_query.data == encode(Flow.PRIVACY, "forgetok"):
        await services(context).db.release_deleted()


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("forget", on_forget),
        CommandHandler("export_my_data", on_export),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.PRIVACY)),
    ]

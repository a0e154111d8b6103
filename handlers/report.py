"""/report (choose a format), /ledger, and the format buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import report
from bot.flows.context import FlowContext
from bot.formats import ExportFormat
from bot.replies import Outgoing
from handlers.common import Context, run, run_callback


async def on_report(update: Update, context: Context) -> None:
    await run(update, context, report.choose_format, "report")


async def _ledger(ctx: FlowContext) -> list[Outgoing]:
    return await report.send(ctx, ExportFormat.XLSX)


async def on_ledger(update: Update, context: Context) -> None:
    if update.effective_chat:
        await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    await run(update, context, _ledger, "ledger")


async def _format_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "anyway":  # a name no output has shows the choice again
        return await report.send(ctx, callback.text(1), callback.text(0), anyway=True)
    return await report.send(ctx, callback.action, callback.text(0))


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _format_button, "report")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("report", on_report),
        CommandHandler("ledger", on_ledger),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.REPORT)),
    ]

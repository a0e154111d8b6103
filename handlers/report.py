"""/report: the assembled draft as a .docx file."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CommandHandler

from bot.flows import report
from handlers.common import Context, run


async def on_report(update: Update, context: Context) -> None:
    if update.effective_chat:
        await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    await run(update, context, report.docx, "report")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("report", on_report)]

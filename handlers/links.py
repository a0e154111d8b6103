"""The buttons that confirm or change which measure addresses which problem."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import links
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run_callback


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    return await links.on_button(ctx, callback)


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "links")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_button, pattern=pattern(Flow.LINKS))]

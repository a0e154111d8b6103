"""/start, /help and the home buttons (start a new draft, resume)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import home, setup, team_invites
from bot.flows.context import FlowContext
from bot.flows.desk_common import linked_batch
from bot.replies import Outgoing
from handlers import desk
from handlers.common import Context, run, run_callback


async def on_start(update: Update, context: Context) -> None:
    argument = context.args[0] if context.args else ""
    batch = linked_batch(argument)
    if batch is not None:
        await desk.on_link(update, context, batch)
        return
    code = team_invites.invite_code(argument) if argument else None
    if code is None:
        await run(update, context, home.start, "start")
        return

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await team_invites.show_invitation(ctx, code)

    await run(update, context, flow, "start:team")


async def on_help(update: Update, context: Context) -> None:
    await run(update, context, home.help_text, "help")


async def _home_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "resume":
        return await home.resume(ctx, callback.text(0))
    if callback.action == "new":
        return await setup.new_draft(ctx)
    return await home.current_step(ctx)


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _home_button, "home")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("start", on_start),
        CommandHandler("help", on_help),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.HOME)),
    ]

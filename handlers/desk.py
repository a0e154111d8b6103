"""/desk, /batch, the desk's buttons, and opening a batch's share link (``/start b_<id>``)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import batch_close, desk, handin
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from bot.submission_status import Status
from bot.texts import clean_input
from handlers.common import CallbackFlow, Context, run, run_callback


async def on_desk(update: Update, context: Context) -> None:
    username = context.bot.username

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await desk.home(ctx, username)

    await run(update, context, flow, "desk")


async def on_batch(update: Update, context: Context) -> None:
    message = update.effective_message
    words = clean_input(message.text or "" if message is not None else "").split(maxsplit=1)
    particulars = words[1] if len(words) > 1 else ""  # what followed /batch, on its line or under it

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await desk.new_batch(ctx, particulars)

    await run(update, context, flow, "batch")


async def on_link(update: Update, context: Context, public_id: str) -> None:
    """A cadre opened a batch's share link; his display name lets the reviewer tell who has not handed in."""
    user = update.effective_user
    name = user.full_name[:64] if user is not None else None

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await handin.join(ctx, public_id, name)

    await run(update, context, flow, "desk:join")


def _action(username: str) -> CallbackFlow:
    async def button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
        action = callback.action
        if action == "home":
            return await desk.home(ctx, username)
        if action == "cancel":
            return await desk.cancel(ctx)
        if action == "kind":
            return await desk.choose_kind(ctx, callback.text(0), callback.text(1), username)
        if action == "theme":
            return await desk.choose_theme(ctx, callback.text(0), callback.text(1), username)
        if action == "sub":
            return await handin.submit_draft(ctx, callback.text(0), callback.text(1))
        if action == "c":
            return await desk.ask_comment(ctx, callback.text(0), callback.number(1))
        one = callback.text(0)
        batch_actions = {
            "b": lambda: desk.batch_view(ctx, one, username),
            "dup": lambda: desk.duplicates_view(ctx, one),
            "xlsx": lambda: desk.export_xlsx(ctx, one),
            "zip": lambda: desk.export_zip(ctx, one),
            "link": lambda: desk.link(ctx, one, username),
            "nudge": lambda: desk.nudge(ctx, one),
            "due": lambda: desk.ask_due_date(ctx, one),
            "close": lambda: batch_close.close(ctx, one),
            "reopen": lambda: batch_close.reopen(ctx, one),
            "pick": lambda: handin.pick(ctx, one),
            "o": lambda: desk.open_submission(ctx, one),
            "items": lambda: desk.items_to_comment(ctx, one),
            "call": lambda: desk.ask_comment(ctx, one, None),
            "ret": lambda: desk.decide(ctx, one, Status.RETURNED),
            "retskip": lambda: desk.return_without_reason(ctx, one),
            "ok": lambda: desk.decide(ctx, one, Status.APPROVED),
            "doc": lambda: desk.word_file(ctx, one),
            "mine": lambda: handin.my_submission(ctx, one),
            "fix": lambda: handin.fix(ctx, one),
        }
        return await batch_actions[action]()

    return button


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _action(context.bot.username), "desk")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("desk", on_desk),
        CommandHandler("batch", on_batch),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.DESK)),
    ]

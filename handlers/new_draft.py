"""/new and the set-up buttons: kind, theme, pasting aspects, meeting date, skipping details."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import steps
from bot.callbacks import Callback, Flow, pattern
from bot.flows import home, setup
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run, run_callback

# action → the step the button belongs to (buttons of any other step are stale)
_STEP_OF_ACTION = {
    "kind": steps.KIND,
    "theme": steps.THEME,
    "paste": steps.THEME,
    "nodate": steps.DATE,
    "date": steps.DATE,
    "year": steps.ASPECTS,
    "asunit": "setup.unit",
}


async def on_new(update: Update, context: Context) -> None:
    await run(update, context, setup.new_draft, "new")


async def _setup_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "start":  # no draft yet: the pick creates it
        return await setup.start_draft(ctx, callback.number(0), callback.text(1))
    public_id = callback.text(0)
    value = str(callback.args[1]) if len(callback.args) > 1 else ""
    meta_step = callback.action in ("skip", "reuse")
    step_key = f"setup.{value}" if meta_step else _STEP_OF_ACTION.get(callback.action)
    if callback.action == "keep":
        shown_again = (steps.THEME, steps.ASPECTS, steps.DATE, *(f"setup.{f}" for f in steps.META_FIELDS))
        step_key = value if value in shown_again else None
    view, stale = await ctx.button_view(public_id, step_key)
    if view is None:
        return stale
    if callback.action == "kind":
        return await setup.choose_kind(ctx, view, value)
    if callback.action == "theme":
        return await setup.choose_theme(ctx, view, value)
    if callback.action == "paste":
        return await setup.start_paste(ctx, view)
    if callback.action == "nodate":
        return await setup.skip_date(ctx, view)
    if callback.action == "date":
        return await setup.confirm_date(ctx, view, value)
    if callback.action == "year":
        return await setup.choose_year(ctx, view, callback.number(1))
    if callback.action == "keep" and step_key is not None:
        return await setup.keep(ctx, view, view.step(step_key))
    if callback.action == "skip" and value in steps.META_FIELDS:
        return await setup.set_meta(ctx, view, value, None)
    if callback.action == "reuse" and value in steps.META_FIELDS:
        return await setup.reuse_meta(ctx, view, value)
    if callback.action == "asunit":
        return await setup.name_as_unit(ctx, view)
    return await home.current_step(ctx)


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _setup_button, "new")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("new", on_new), CallbackQueryHandler(on_button, pattern=pattern(Flow.NEW))]

"""Answering sections: text messages, edited messages, and the section/navigation/summary buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import labels, prompts, steps
from bot.callbacks import Callback, Flow, pattern
from bot.flows import deadline_step, drafting, home, items, report, typed
from bot.flows.context import FlowContext
from bot.formats import ExportFormat
from bot.pending import Awaiting
from bot.replies import Outgoing
from bot.texts import clean_input
from handlers.common import Context, run, run_callback


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    text = clean_input(message.text or "")
    source = (message.chat_id, message.message_id)
    label = labels.typed(text)

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        replies = await typed.answer(ctx, label, text) if label is not None else None  # a button's words
        return replies if replies is not None else await drafting.on_text(ctx, text, source, message.date)

    await run(update, context, flow, "text")


async def on_edited(update: Update, context: Context) -> None:
    message = update.edited_message
    assert message is not None
    text = clean_input(message.text or "")
    if not text:
        return

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await drafting.edited(ctx, message.chat_id, message.message_id, text)

    await run(update, context, flow, "edited")


async def _section_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    view, stale = await ctx.button_view(callback.text(0), callback.text(1))
    if view is None:
        return stale
    step = view.step()
    actions = {
        "done": drafting.finish,
        "keep": drafting.keep,
        "skip": drafting.skip,
        "clear": drafting.clear,
        "undo": drafting.undo_last,
    }
    if callback.action in actions:
        return await actions[callback.action](ctx, view, step)
    if callback.action == "manage" and step.section is not None and step.section.answer == "items":
        return [prompts.manage_prompt(view, step)]
    if callback.action == "example" and step.section is not None and step.section.example:
        return [prompts.example_reply(view, step)]
    return [prompts.present(ctx.catalog, view)]


async def _item_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    """The item menu's buttons; they act on the step the list was shown for, which must be current."""
    view, stale = await ctx.button_view(callback.text(0), callback.text(1))
    if view is None:
        return stale
    step = view.step()
    if callback.action == "cancel":
        ctx.ask(None)
        return [prompts.manage_prompt(view, step, "已取消。")]
    answer_id = callback.number(2)
    if callback.action == "to":
        return await items.to_aspect(ctx, view, step, answer_id, callback.number(3))
    if callback.action == "tp":
        return await items.to_part(ctx, view, step, answer_id, callback.number(3))
    if callback.action == "relead":  # its argument is a revision of the lead
        return await items.restore_lead(ctx, view, step, answer_id)
    questions = {"edit": Awaiting.ITEM_EDIT, "insert": Awaiting.ITEM_INSERT}
    if callback.action in questions:
        return await items.ask_text(ctx, view, step, answer_id, questions[callback.action])
    if callback.action in ("up", "down"):
        return await items.shift(ctx, view, step, answer_id, -1 if callback.action == "up" else 1)
    actions = {
        "open": items.open_item,
        "move": items.choose_aspect,
        "part": items.choose_part,
        "del": items.delete,
        "lead": items.make_lead,
        "item": items.make_item,
        "join": items.join_previous,
        "split": items.split_held,
    }
    return await actions[callback.action](ctx, view, step, answer_id)


async def _full_text_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    view, stale = await ctx.button_view(callback.text(0))
    if view is None:
        return stale
    return [prompts.full_text_page(view, callback.number(1))]


async def _nav_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    view, stale = await ctx.button_view(
        callback.text(0), callback.text(1) if callback.action == "back" else None
    )
    if view is None:
        return stale
    if callback.action == "back":
        previous = view.neighbour(view.step(), -1)
        if previous is not None:
            return await ctx.move(view, previous)
    if callback.action == "go":
        target = view.step(callback.text(1))
        if target.key == callback.text(1):
            return await ctx.move(view, target)
    return [prompts.present(ctx.catalog, view)]


async def _summary_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "report":
        return await report.send(ctx, ExportFormat.DOCX, callback.text(0))
    view, stale = await ctx.button_view(callback.text(0))
    if view is None:
        return stale
    if callback.action == "edit":
        return [prompts.jump_menu(view)]
    return await home.current_step(ctx)


async def _deadline_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action in ("text", "workday"):  # about one measure: still valid after moving on
        view, stale = await ctx.button_view(callback.text(0))
        if view is None:
            return stale
        if callback.action == "workday":
            return await deadline_step.use_workday(ctx, view, callback.number(1), callback.text(2))
        return await deadline_step.use_written_date(ctx, view, callback.number(1))
    view, stale = await ctx.button_view(callback.text(0), steps.DEADLINES)
    if view is None:
        return stale
    if callback.action == "lead":
        return await deadline_step.set_leader(ctx, view, callback.number(1), callback.number(2))
    if callback.action == "owner":
        return await deadline_step.use_written_owner(ctx, view, callback.number(1))
    if callback.action == "cadence":
        return await deadline_step.set_cadence(ctx, view, callback.number(1), callback.text(2))
    if callback.action == "later":
        return await deadline_step.later(ctx, view)
    return [await ctx.prompt(view)]


async def on_deadline_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _deadline_button, "deadline")


async def on_section_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _section_button, "section")


async def on_item_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _item_button, "item")


async def on_full_text_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _full_text_button, "full_text")


async def on_nav_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _nav_button, "nav")


async def on_summary_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _summary_button, "summary")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edited),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text),
        CallbackQueryHandler(on_section_button, pattern=pattern(Flow.SECTION)),
        CallbackQueryHandler(on_item_button, pattern=pattern(Flow.ITEM)),
        CallbackQueryHandler(on_full_text_button, pattern=pattern(Flow.FULL_TEXT)),
        CallbackQueryHandler(on_nav_button, pattern=pattern(Flow.NAV)),
        CallbackQueryHandler(on_summary_button, pattern=pattern(Flow.SUMMARY)),
        CallbackQueryHandler(on_deadline_button, pattern=pattern(Flow.DEADLINE)),
    ]

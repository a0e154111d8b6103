"""Anything no other handler takes: media get a polite request to answer in words, unknown commands
get help, and button data of no known flow (a forged or ancient button) the current step again."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.commands import meant
from bot.flows import home
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run

TEXT_ONLY = "请以文字回复。图片、语音、贴纸等暂时无法识别；需要时可把内容打成文字发给我。"
UNKNOWN_COMMAND = "没有这个命令。"


async def _text_only(ctx: FlowContext) -> list[Outgoing]:
    return await home.current_step(ctx, TEXT_ONLY)


def unknown_command(text: str) -> str:
    """What the bot says to a command it does not have, naming the one it most likely meant."""
    word = text.split(maxsplit=1)[0].removeprefix("/").split("@", 1)[0] if text.strip() else ""
    close = meant(word)
    guess = f"您是想发送 /{close} 吗？" if close else ""
    return f"{UNKNOWN_COMMAND}{guess}发送 /help 查看可用命令。"


async def on_media(update: Update, context: Context) -> None:
    await run(update, context, _text_only, "media")


async def on_unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    said = unknown_command(message.text or "" if message is not None else "")

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await home.current_step(ctx, said)

    await run(update, context, flow, "unknown_command")


async def on_unknown_button(update: Update, context: Context) -> None:
    await run(update, context, home.current_step, "callback:invalid")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CallbackQueryHandler(on_unknown_button),
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, on_unknown_command),
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, on_media),
    ]

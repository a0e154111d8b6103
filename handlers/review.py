"""/check, dismissing findings, and documents sent to the bot (review, import, reformat)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.callbacks import Callback, Flow, pattern
from bot.flows import report, review
from bot.flows.context import FlowContext
from bot.parsing import ParseError, ParseResult, parse_bytes
from bot.replies import Outgoing, Reply
from handlers.common import Context, run, run_callback

log = logging.getLogger("duizhao.uploads")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SUFFIXES = (".docx", ".txt", ".md", ".markdown")
TOO_LARGE = "文件太大了（超过2 MB）。对照检查材料一般不大，请删去图片后另存为 .docx 或 .txt 再发送。"
UNSUPPORTED = "暂不支持这种文件。请发送 .docx、.txt 或 .md 格式的材料（.doc/.wps 请先另存为 .docx）。"
UNREADABLE = "没能下载这个文件，请稍后重新发送。"


async def on_check(update: Update, context: Context) -> None:
    await run(update, context, review.check, "check")


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "ign":
        return await review.dismiss(ctx, callback.text(0), callback.text(1))
    return await review.check(ctx, callback.number(1))


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "review")


async def fetch(context: Context, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


async def read_upload(context: Context, file_id: str, filename: str) -> ParseResult | str:
    """The parsed material, or the Chinese explanation of why it cannot be read."""
    try:
        data = await fetch(context, file_id)
    except TelegramError:
        log.warning("download of an upload failed")
        return UNREADABLE
    try:
        return parse_bytes(filename, data)
    except ParseError as error:
        return f"{error}。"


async def on_document(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    filename = document.file_name or "材料"
    problem: str | None = None
    if not filename.lower().endswith(SUFFIXES):
        problem = UNSUPPORTED
    elif (document.file_size or 0) > MAX_UPLOAD_BYTES:
        problem = TOO_LARGE
    parsed = None if problem else await read_upload(context, document.file_id, filename)
    if isinstance(parsed, str):
        problem = parsed

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        if problem is not None or not isinstance(parsed, ParseResult):
            return [Reply(f"{problem}文件未保存。")]
        upload_id = await review.remember_upload(ctx, document.file_id, filename)
        return [review.upload_reply(parsed, filename, upload_id)]

    await run(update, context, flow, "upload")


async def _upload_button(ctx: FlowContext, callback: Callback, context: Context) -> list[Outgoing]:
    upload = await review.upload_of(ctx, callback.text(0))
    if upload is None:
        ctx.refused("upload")
        return [Reply("这个文件的记录已不存在，请重新发送文件。")]
    parsed = await read_upload(context, upload.file_id, upload.filename)
    if isinstance(parsed, str):
        return [Reply(parsed)]
    if callback.action == "import":
        return await review.import_document(ctx, parsed.document)
    return report.formatted_upload(parsed.document, upload.filename)


async def on_upload_button(update: Update, context: Context) -> None:
    async def bound(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
        return await _upload_button(ctx, callback, context)

    await run_callback(update, context, bound, "upload")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("check", on_check),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.REVIEW)),
        CallbackQueryHandler(on_upload_button, pattern=pattern(Flow.UPLOAD)),
        MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, on_document),
    ]

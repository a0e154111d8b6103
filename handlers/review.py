"""/check, dismissing findings, and documents sent to the bot (review, import, reformat)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import uploads
from bot.callbacks import Callback, Flow, decode, pattern
from bot.document import Document
from bot.flows import handin, items, opinions, report, review, setup
from bot.flows.context import FlowContext
from bot.parsing.sheet import opinion_rows
from bot.replies import Outgoing, Reply
from bot.review.findings import Place
from bot.texts import esc
from bot.uploads import Reading, Refusal
from handlers.common import Context, run, run_callback, services

log = logging.getLogger("duizhao.uploads")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SUFFIXES = (".docx", ".txt", ".md", ".markdown")
TOO_LARGE = "文件太大了（超过2 MB）。对照检查材料一般不大，请删去图片后另存为 .docx 或 .txt 再发送"
UNSUPPORTED = "暂不支持这种文件。请发送 .docx、.txt 或 .md 格式的材料（.doc/.wps 请先另存为 .docx）"
UNSUPPORTED_PDF = (
    "PDF 文件暂时读不了。请用 WPS 或 Word 打开后另存为 .docx 再发送；"
    "也可以把全文复制到记事本，存为 .txt 文件发给我"
)
UNREADABLE = "没能下载这个文件，请稍后重新发送"
DOWNLOAD_SECONDS = 30.0


async def on_check(update: Update, context: Context) -> None:
    await run(update, context, review.check, "check")


async def _button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    if callback.action == "ign":
        return await review.dismiss(ctx, callback.text(0), callback.text(1))
    if callback.action == "go":
        return await items.open_found(ctx, callback.text(0), Place(item=callback.number(1)))
    if callback.action == "at":
        return await items.open_found(ctx, callback.text(0), Place(section=callback.text(1)))
    if callback.action == "fix":
        return await items.open_fix(ctx, callback.text(0), callback.number(1))
    if callback.action == "page":
        return await review.check(ctx, callback.number(1), callback.number(2))
    return await review.check(ctx, callback.number(1))


async def on_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _button, "review")


async def fetch(context: Context, file_id: str) -> bytes | Refusal:
    """The file's content, reading at most ``MAX_UPLOAD_BYTES`` whatever size was stated (or not)."""
    try:
        file = await context.bot.get_file(file_id)
        if file.file_size is not None:
            if file.file_size > MAX_UPLOAD_BYTES:
                return Refusal(TOO_LARGE)
            return bytes(await file.download_as_bytearray())
        return await _capped_download(str(file.file_path))
    except (TelegramError, httpx.HTTPError):
        log.warning("download of an upload failed")
        return Refusal(UNREADABLE)


async def _capped_download(url: str) -> bytes | Refusal:
    """Stream a file of unknown size and stop as soon as it is larger than an upload may be."""
    data = bytearray()
    async with httpx.AsyncClient(timeout=DOWNLOAD_SECONDS) as client, client.stream("GET", url) as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) > MAX_UPLOAD_BYTES:
                return Refusal(TOO_LARGE)
    return bytes(data)


def _refused(refusal: Refusal) -> list[Outgoing]:
    return [Reply(f"{esc(refusal.message)}。文件未保存。")]


async def on_document(update: Update, context: Context) -> None:
    """Download and read the file in the worker first, outside any transaction, then record it."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    filename = document.file_name or "材料"
    if filename.lower().endswith(".xlsx"):
        await _opinion_sheet(update, context, document.file_id, document.file_size or 0)
        return
    outcome: Reading | Refusal
    if not filename.lower().endswith(SUFFIXES):
        outcome = Refusal(UNSUPPORTED_PDF if filename.lower().endswith(".pdf") else UNSUPPORTED)
    elif (document.file_size or 0) > MAX_UPLOAD_BYTES:
        outcome = Refusal(TOO_LARGE)
    else:
        data = await fetch(context, document.file_id)
        outcome = data if isinstance(data, Refusal) else await uploads.isolated(uploads.read, filename, data)

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        if isinstance(outcome, Refusal):
            return _refused(outcome)
        upload_id = await review.remember_upload(ctx, document.file_id, filename, outcome.text)
        return [await _reviewed(ctx, outcome, filename, upload_id)]

    await run(update, context, flow, "upload")


async def _reviewed(ctx: FlowContext, reading: Reading, filename: str, upload_id: str) -> Reply:
    """A file's (or a pasted material's) review, with what can be done with it next."""
    reply = review.upload_reply(reading, filename, upload_id)
    reply.buttons += await handin.upload_buttons(ctx, upload_id)
    return reply


async def _opinion_sheet(update: Update, context: Context, file_id: str, size: int) -> None:
    """A spreadsheet is only ever a team draft's collected opinions (read in the worker)."""
    rows: list[tuple[str, str]] | Refusal
    if size > MAX_UPLOAD_BYTES:
        rows = Refusal(TOO_LARGE)
    else:
        data = await fetch(context, file_id)
        rows = data if isinstance(data, Refusal) else await uploads.isolated(opinion_rows, data)

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return _refused(rows) if isinstance(rows, Refusal) else await opinions.opinion_sheet(ctx, rows)

    await run(update, context, flow, "opinion_sheet")


async def _prepared(
    context: Context, callback: Callback, user_id: int
) -> Document | bytes | dict[str, Any] | Reading | Refusal | None:
    """What the button needs, computed in the worker before the update's transaction: ``None``
    when the upload is gone (expired, forgotten or never this user's)."""
    async with services(context).db.transaction() as session:
        upload = await review.upload_of(session, user_id, callback.text(0), services(context).clock())
        text = None if upload is None else upload.text
    if text is None:
        return None
    if callback.action in ("import", "fill"):
        return await uploads.isolated(uploads.document_of, text)
    if callback.action == "desk":
        return await uploads.isolated(uploads.snapshot_of, text)
    if callback.action == "review":
        return await uploads.isolated(uploads.read_pasted, text)
    return await uploads.isolated(uploads.reformatted, text)


async def on_upload_button(update: Update, context: Context) -> None:
    query, user = update.callback_query, update.effective_user
    parsed = decode(query.data or "") if query else None
    prepared = None
    if parsed is not None and user is not None and parsed.action != "preamble":  # only kept, not read
        prepared = await _prepared(context, parsed, user.id)

    async def bound(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
        upload = await review.upload_of(ctx.session, ctx.user.id, callback.text(0), ctx.now)
        if upload is not None and upload.text is not None and callback.action == "preamble":
            return await setup.paste_as_preamble(
                ctx, callback.text(1), upload.text, review.paste_source(upload)
            )
        if upload is None or prepared is None:
            ctx.refused("upload")
            return [Reply("这个文件的记录已不存在或已过期，请重新发送文件。")]
        if isinstance(prepared, Refusal):
            return [Reply(f"{esc(prepared.message)}。")]
        if isinstance(prepared, Document) and callback.action == "fill":
            return await review.fill_draft(ctx, callback.text(1), prepared)
        if isinstance(prepared, Document):
            return await review.import_document(ctx, prepared)
        if isinstance(prepared, dict):
            return await handin.submit_upload(ctx, callback.text(1), prepared)
        if isinstance(prepared, Reading):
            return [await _reviewed(ctx, prepared, upload.filename, callback.text(0))]
        return report.formatted_upload(prepared, upload.filename)

    await run_callback(update, context, bound, "upload")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("check", on_check),
        CallbackQueryHandler(on_button, pattern=pattern(Flow.REVIEW)),
        CallbackQueryHandler(on_upload_button, pattern=pattern(Flow.UPLOAD)),
        MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, on_document),
    ]

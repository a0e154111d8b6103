"""Sending the material as a file: the official .docx, Markdown, plain text, or the ledger."""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.flows.context import NO_DRAFT, FlowContext
from bot.formats import ExportFormat
from bot.formats.export import export_view, filename_stem, history_of, render_document, safe_stem
from bot.replies import Button, FileReply, Outgoing, Rendering, Reply
from bot.texts import esc

FORMAT_LABELS = {
    ExportFormat.DOCX: "Word（公文格式）",
    ExportFormat.MD: "Markdown",
    ExportFormat.TXT: "纯文本",
}


async def choose_format(ctx: FlowContext) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None:
        return [Reply(NO_DRAFT)]
    pub = view.draft.public_id
    rows = [[Button(label, encode(Flow.REPORT, fmt.value, pub))] for fmt, label in FORMAT_LABELS.items()]
    question = f"《{esc(view.title)}》要哪种格式？Word 可直接打印；Markdown 和纯文本便于粘贴到其他系统。"
    return [Reply(question, rows)]


async def send(ctx: FlowContext, fmt: ExportFormat, public_id: str | None = None) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None or (public_id and view.draft.public_id != public_id):
        return [Reply(NO_DRAFT)]
    if fmt is ExportFormat.XLSX:
        history = await history_of(ctx.session, view.draft.id, ctx.settings.tz)
        filename, content = export_view(view, fmt, history=history, tz=ctx.settings.tz)
        count = len(view.measures())
        return [FileReply(filename, content, f"《{esc(view.title)}》整改台账，共{count}条措施。")]
    # The model is read here, in the transaction; the file is rendered after it, in the worker.
    filename = f"{filename_stem(view)}.{fmt.value}"
    date_line = view.draft.meeting_date or ctx.today
    rendering = Rendering(render_document, (view.to_document(), fmt, None, date_line, view.signature))
    caption = f"《{esc(view.title)}》"
    missing = view.missing_required()
    if missing:
        headings = (s.section.heading or "导语" for s in missing if s.section is not None)
        names = "、".join(dict.fromkeys(headings))
        caption += f"\n注意：以下必填部分还没有内容：{esc(names)}。"
    return [FileReply(filename, rendering, caption)]


def formatted_upload(content: bytes, filename: str) -> list[Outgoing]:
    """An uploaded material back in the official format (rendered by ``bot.uploads``), its text unchanged."""
    stem = safe_stem(filename.rsplit(".", 1)[0])
    caption = "已按公文格式重新排版，文字内容未改动。"
    return [FileReply(f"{stem}_规范排版.docx", content, caption)]

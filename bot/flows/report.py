"""Sending the material as a file: the official .docx, Markdown, plain text, or the ledger."""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows.context import NO_DRAFT, FlowContext
from bot.flows.review import dismissed_keys, review_draft
from bot.formats import ExportFormat
from bot.formats.export import (
    filename_stem,
    history_of,
    ledger_job,
    render_document,
    render_ledger,
    safe_stem,
)
from bot.replies import Button, Deferred, FileReply, Outgoing, Rendering, Reply
from bot.review import Finding
from bot.review.findings import Severity
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


async def send(
    ctx: FlowContext, fmt: ExportFormat, public_id: str | None = None, *, anyway: bool = False
) -> list[Outgoing]:
    """The material as a file; while it has 必须修改 findings, first those, with 先去修改 / 仍然生成
    (``anyway``: the user chose to have the file all the same)."""
    view = await ctx.view()
    if view is None or view.kind is None or (public_id and view.draft.public_id != public_id):
        return [Reply(NO_DRAFT)]
    if fmt is ExportFormat.XLSX or anyway:
        return [*await _file(ctx, view, fmt, anyway=anyway)]
    # The review that decides between the file and the open errors runs after the commit.
    dismissed = await dismissed_keys(ctx, view.draft)
    file = await _file(ctx, view, fmt, anyway=False)

    def unless_errors() -> list[Reply | FileReply]:
        _, findings = review_draft(view, dismissed)
        errors = [f for f in findings if f.severity is Severity.ERROR and not f.dismissed]
        return [open_errors(view, errors, fmt)] if errors else file

    return [Deferred(unless_errors)]


async def _file(
    ctx: FlowContext, view: DraftView, fmt: ExportFormat, *, anyway: bool
) -> list[Reply | FileReply]:
    if fmt is ExportFormat.XLSX:
        history = await history_of(ctx.session, view.draft.id, ctx.settings.tz)
        filename, args = ledger_job(view, history=history, tz=ctx.settings.tz)
        count = len(view.measures())
        caption = f"《{esc(view.title)}》整改台账，共{count}条措施。"
        return [FileReply(filename, Rendering(render_ledger, args), caption)]
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
    if anyway:
        caption += "\n注意：材料中仍有必须修改的地方，发送 /check 查看。"
    return [FileReply(filename, rendering, caption)]


MAX_LISTED = 5


def open_errors(view: DraftView, errors: list[Finding], fmt: ExportFormat) -> Reply:
    """The 必须修改 findings still open, with a jump to the first one's step and a way past them."""
    pub = view.draft.public_id
    lines = [f"《{esc(view.title)}》还有{len(errors)}处必须修改，审核时会被退回："]
    for number, finding in enumerate(errors[:MAX_LISTED], start=1):
        where = f"（{esc(finding.section)}）" if finding.section else ""
        lines.append(f"{number}. {esc(finding.message)}{where}")
    if len(errors) > MAX_LISTED:
        lines.append(f"……另有{len(errors) - MAX_LISTED}处，发送 /check 查看全部。")
    lines.append("建议先改好再生成；也可以先生成看看效果。")
    keys = {step.key for step in view.steps}
    first = next((f.place.section for f in errors if f.place.section in keys), None)
    rows = [[Button("先去修改", encode(Flow.NAV, "go", pub, first))]] if first else []
    rows.append([Button("仍然生成", encode(Flow.REPORT, "anyway", pub, fmt.value))])
    return Reply("\n".join(lines), rows)


def formatted_upload(content: bytes, filename: str) -> list[Outgoing]:
    """An uploaded material back in the official format (rendered by ``bot.uploads``), its text unchanged."""
    stem = safe_stem(filename.rsplit(".", 1)[0])
    caption = "已按公文格式重新排版，文字内容未改动。"
    return [FileReply(f"{stem}_规范排版.docx", content, caption)]

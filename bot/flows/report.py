"""Sending the material: the official .docx, its PDF or page pictures, Markdown, plain text, the ledger."""

from __future__ import annotations

from dataclasses import replace

from bot import links
from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows import drafts, rectify_report
from bot.flows.context import NO_DRAFT, FlowContext
from bot.flows.review import dismissed_keys, fix_route, review_draft
from bot.formats import ExportFormat
from bot.formats.export import (
    filename_stem,
    history_of,
    ledger_job,
    render_document,
    render_ledger,
    render_pictures,
    safe_stem,
)
from bot.labels import Label
from bot.render import pages
from bot.render.ledger import GUESSED_MARK
from bot.replies import Button, Deferred, FileReply, Outgoing, Pictures, Rendering, Reply
from bot.review import Finding
from bot.review.findings import Severity
from bot.texts import esc
from bot.worker import Limits
from storage import repo

FORMAT_LABELS = {
    ExportFormat.DOCX: Label.FORMAT_WORD,
    ExportFormat.PDF: Label.FORMAT_PDF,
    ExportFormat.MD: Label.FORMAT_MD,
    ExportFormat.TXT: Label.FORMAT_TXT,
}
PICTURES = {"page1": 1, "pages": None}
"""Page pictures in the chat: the first page, or all (up to ``pages.MAX_PICTURES``)."""
PICTURE_LABELS = {"page1": Label.FIRST_PAGE, "pages": Label.ALL_PAGES}
OUTPUTS = frozenset({*(f.value for f in ExportFormat), *PICTURES})
"""What a format button may name: a file format or page pictures."""
CONVERT_LIMITS = Limits(seconds=120, memory_bytes=1536 * 1024 * 1024, wall_seconds=120)
"""LibreOffice needs room, and does its work in a process of its own (its CPU time is its own)."""
NO_CONVERTER = "本服务器没有安装 LibreOffice，暂时不能生成PDF和页面图片，先发给您Word版。"
CONVERT_FAILED = "这次没能转换成PDF（LibreOffice 出错或超时）。请稍后再试；Word版可以照常生成。"


async def choose_format(ctx: FlowContext) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None:
        return await drafts.no_draft(ctx)
    pub = view.draft.public_id

    def button(output: str, label: str) -> Button:
        return Button(label, encode(Flow.REPORT, output, pub))

    labels = {f.value: label for f, label in FORMAT_LABELS.items()} | PICTURE_LABELS
    converts = pages.available()
    rows = [[button(o, labels[o]) for o in ("docx", "pdf") if converts or o == "docx"]]
    if converts:
        rows.append([button(o, labels[o]) for o in PICTURES])
    rows.append([button(o, labels[o]) for o in ("md", "txt")])
    question = f"《{esc(view.title)}》要哪种格式？Word 可直接打印；"
    question += "PDF 和页面图片便于在手机上查看；" if converts else ""
    question += "Markdown 和纯文本便于粘贴到其他系统。"
    if not converts:
        question += "\n（本服务器没有安装 LibreOffice，暂时不能生成PDF和页面图片。）"
    return [Reply(question, rows)]


async def send(
    ctx: FlowContext, output: str, public_id: str | None = None, *, anyway: bool = False
) -> list[Outgoing]:
    """The material as a file (or page pictures, ``PICTURES``); while it has 必须修改 findings, first
    those, with 先去修改 / 仍然生成 (``anyway``: the user chose to have it all the same)."""
    if output == ExportFormat.XLSX and public_id:  # offered again once its pairings changed
        return await _named_ledger(ctx, public_id)
    view = await ctx.view()
    if view is None or view.kind is None or (public_id and view.draft.public_id != public_id):
        return [Reply(NO_DRAFT)]
    if output not in OUTPUTS:
        return await choose_format(ctx)
    if output == ExportFormat.XLSX:
        return await _ledger(ctx, view)
    if anyway:
        return [*await _file(ctx, view, output, anyway=anyway)]
    # The review that decides between the file and the open errors runs after the commit.
    dismissed = await dismissed_keys(ctx, view.draft)
    file = await _file(ctx, view, output, anyway=False)

    def unless_errors() -> list[Reply | FileReply | Pictures]:
        _, findings = review_draft(view, dismissed)
        errors = [f for f in findings if f.severity is Severity.ERROR and not f.dismissed]
        return [open_errors(view, errors, output)] if errors else file

    return [Deferred(unless_errors)]


async def _named_ledger(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """The ledger of the user's material ``public_id`` names, open or not: the one /ledger gave
    while a report without measures was open is that of another material."""
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    view = await ctx.view(draft) if draft is not None else None
    if view is None or view.kind is None:
        return [Reply(NO_DRAFT)]
    return [*await _file(ctx, view, ExportFormat.XLSX, anyway=False)]


async def _ledger(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    """The ledger of the open material; one without measures (the 整改落实情况报告 /rectify_report
    just opened, a material not written through) gives that of the material the report would be
    drafted from, and says so, rather than an empty sheet."""
    notice = ""
    if not view.measures():
        source = await rectify_report.ledger_source(ctx)
        if source is not None and source.id != view.draft.id:
            notice = f"《{esc(view.title)}》没有整改措施，以下是最近一份有整改措施的材料的台账。\n"
            view = DraftView.build(ctx.catalog, source)
    files = await _file(ctx, view, ExportFormat.XLSX, anyway=False)
    return [replace(f, caption=notice + f.caption) if isinstance(f, FileReply) else f for f in files]


async def _file(
    ctx: FlowContext, view: DraftView, output: str, *, anyway: bool
) -> list[Reply | FileReply | Pictures]:
    if output == ExportFormat.XLSX:
        history = await history_of(ctx.session, view.draft.id, ctx.settings.tz)
        filename, args = ledger_job(view, history=history, tz=ctx.settings.tz)
        count = len(view.measures())
        caption = f"《{esc(view.title)}》整改台账，共{count}条措施。"
        ledger = FileReply(filename, Rendering(render_ledger, args), caption)
        guesses = links.settle_request(view, f"已在其整改措施后标“{GUESSED_MARK}”", "/ledger 重新导出")
        return (
            [ledger, Reply(f"台账中{guesses}", [links.buttons(view, links.Follows.LEDGER)])]
            if guesses
            else [ledger]
        )
    notice: list[Reply | FileReply | Pictures] = []
    if output not in (ExportFormat.DOCX, ExportFormat.MD, ExportFormat.TXT) and not pages.available():
        notice, output = [Reply(NO_CONVERTER)], ExportFormat.DOCX.value
    # The model is read here, in the transaction; the file is rendered after it, in the worker.
    date_line = view.draft.meeting_date or ctx.today
    document = view.to_document()
    caption = f"《{esc(view.title)}》"
    if names := view.missing_names():
        caption += f"\n注意：以下必填部分还没有内容：{esc(names)}。"
    if anyway:
        caption += "\n注意：材料中仍有必须修改的地方，发送 /check 查看。"
    if view.signed_by_team and view.signature and not (view.draft.meta or {}).get("signature"):
        caption += (
            f"\n文末署名按单位生成为“{esc(view.signature)}”；本单位写法不同的话，"
            f"请在全文概览点“{Label.EDIT_PART}”中的“署名”修改。"
        )
    if output in PICTURES:
        last = PICTURES[output]
        job = (document, None, date_line, view.signature, last)
        rendering = Rendering(render_pictures, job, limits=CONVERT_LIMITS, failed=CONVERT_FAILED)
        which = "第1页" if last == 1 else f"全部页面（最多{pages.MAX_PICTURES}页）"
        return [*notice, Pictures(rendering, caption.replace("》", f"》{which}", 1), filename_stem(view))]
    fmt = ExportFormat(output)
    filename = f"{filename_stem(view)}.{fmt.value}"
    made = (document, fmt, None, date_line, view.signature)
    if fmt is ExportFormat.PDF:
        rendering = Rendering(render_document, made, limits=CONVERT_LIMITS, failed=CONVERT_FAILED)
    else:
        rendering = Rendering(render_document, made)
    return [*notice, FileReply(filename, rendering, caption)]


MAX_LISTED = 5


def open_errors(view: DraftView, errors: list[Finding], output: str) -> Reply:
    """The 必须修改 findings still open, with a way past them and 先去修改: to the first one's place,
    as /check's 去修改 goes (the item it names, the problem a measure should answer…)."""
    pub = view.draft.public_id
    total = sum(f.count for f in errors)  # as /check counts them, with those a capped one folds in
    lines = [f"《{esc(view.title)}》还有{total}处必须修改，审核时会被退回："]
    for number, finding in enumerate(errors[:MAX_LISTED], start=1):
        where = f"（{esc(finding.section)}）" if finding.section else ""
        lines.append(f"{number}. {esc(finding.message)}{where}")
    if len(errors) > MAX_LISTED:
        lines.append(f"……另有{sum(f.count for f in errors[MAX_LISTED:])}处，发送 /check 查看全部。")
    lines.append("建议先改好再生成；也可以先生成看看效果。")
    first = next(filter(None, (fix_route(view, f) for f in errors)), None)
    rows = [[Button(Label.FIX_FIRST, first)]] if first else []
    rows.append([Button(Label.GENERATE_ANYWAY, encode(Flow.REPORT, "anyway", pub, output))])
    return Reply("\n".join(lines), rows)


def formatted_upload(content: bytes, filename: str) -> list[Outgoing]:
    """An uploaded material back in the official format (rendered by ``bot.uploads``): its words
    unchanged, its headings and items numbered as the levels of an official document are."""
    stem = safe_stem(filename.rsplit(".", 1)[0])
    caption = "已按公文格式重新排版：文字未改动，标题和条目的序号按公文层次统一编排。"
    return [FileReply(f"{stem}_规范排版.docx", content, caption)]

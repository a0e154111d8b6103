"""Assembling the draft into a file."""

from __future__ import annotations

import re

from bot.document import Document
from bot.draftview import DraftView
from bot.flows.context import NO_DRAFT, FlowContext
from bot.render.plain_docx import render_docx
from bot.replies import FileReply, Outgoing, Reply
from bot.texts import esc

_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def filename_for(view: DraftView, extension: str) -> str:
    """``张三_2025年度民主生活会个人对照检查材料.docx``: name first, so a folder of them sorts by person."""
    name = (view.draft.meta or {}).get("name")
    title = view.title
    stem = f"{name}_{title.removeprefix(f'{name}同志')}" if name else title
    return _UNSAFE_FILENAME.sub("_", stem)[:80] + f".{extension}"


def formatted_upload(document: Document, filename: str) -> list[Outgoing]:
    """An uploaded material back as a tidy .docx, its text unchanged."""
    stem = _UNSAFE_FILENAME.sub("_", filename.rsplit(".", 1)[0])[:60] or "材料"
    return [
        FileReply(f"{stem}_规范排版.docx", render_docx(document), "已按规范格式重新排版，文字内容未改动。")
    ]


async def docx(ctx: FlowContext, public_id: str | None = None) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None or (public_id and view.draft.public_id != public_id):
        return [Reply(NO_DRAFT)]
    missing = view.missing_required()
    caption = f"《{esc(view.title)}》"
    if missing:
        names = "、".join(
            dict.fromkeys(s.section.heading or "导语" for s in missing if s.section is not None)
        )
        caption += f"\n注意：以下必填部分还没有内容：{esc(names)}。"
    document = view.to_document()
    return [FileReply(filename_for(view, "docx"), render_docx(document), caption)]

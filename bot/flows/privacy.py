"""/forget and /export_my_data: a user can take everything stored about them, or erase it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows import measures, notices
from bot.flows.context import FlowContext
from bot.formats import ExportFormat
from bot.formats.export import ExportError, export_view
from bot.labels import Label
from bot.replies import Button, FileReply, Outgoing, Reply
from bot.texts import esc
from storage import repo, team

CONFIRM = (
    "确定要删除您在本机器人中的<b>全部数据</b>吗？包括您的所有材料、回答及修改记录、整改措施和台账、"
    "提醒、上传文件记录、提交审核的材料及其批注。删除后无法恢复。\n"
    "您参与的班子材料中，您提出并已交给起草人的问题会留在班子材料里，但不再显示您的姓名；"
    "您在其中的成员身份随之取消。\n如需留存，请先发送 /export_my_data 导出。"
)
KEPT = "已取消，您的数据没有任何改动。"
LABELS = {
    "drafts": "材料{}份",
    "answers": "回答{}条",
    "revisions": "修改记录{}条",
    "measures": "整改措施{}项",
    "events": "台账记录{}条",
    "reminders": "提醒{}条",
    "dismissals": "已忽略的审核意见{}条",
    "uploads": "上传文件记录{}个",
    "submissions": "提交审核的材料{}份",
    "comments": "审核批注{}条",
    "batches": "审核批次{}个",
    "batch_submissions": "批次中收到的材料{}份",
}

SHOWN_IF_ANY = frozenset({"submissions", "comments", "batches", "batch_submissions"})


async def confirm_forget(ctx: FlowContext) -> list[Outgoing]:
    owned = [
        f"《{esc(DraftView.build(ctx.catalog, draft).title)}》（另有{others}位成员）"
        for draft, others in await team.owned_with_others(ctx.session, ctx.user.id)
    ]
    these = "这份材料" if len(owned) == 1 else "这几份材料"
    warning = (
        f"\n<b>请注意：</b>您是{'、'.join(owned)}的起草人，删除后{these}连同其他成员提交的内容一并删除。"
        "如班子还需要，请先在 /team → 成员管理 → 转交起草人。"
        if owned
        else ""
    )
    rows = [
        [
            Button(Label.FORGET_CONFIRM, encode(Flow.PRIVACY, "forgetok")),
            Button(Label.KEEP_DATA, encode(Flow.PRIVACY, "keep")),
        ]
    ]
    return [Reply(CONFIRM + warning, rows)]


async def forget(ctx: FlowContext) -> list[Outgoing]:
    for measure, owner, draft in await team.led_elsewhere(ctx.session, ctx.user.id):
        measure.leader_id = None  # a team's measure he led is followed up by its owner again
        await measures.replan(ctx, measure, since=draft.meeting_date or ctx.today, owner=owner)
    await notices.forget(ctx.session, ctx.user.id)
    counts = await repo.forget_user(ctx.session, ctx.user.id)
    done = "、".join(
        LABELS[key].format(counts[key]) for key in LABELS if counts.get(key) or key not in SHOWN_IF_ANY
    )
    return [Reply(f"已删除您的全部数据：{done}。\n如再使用本机器人，将从头开始。")]


async def keep(ctx: FlowContext) -> list[Outgoing]:
    del ctx
    return [Reply(KEPT)]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


async def export_my_data(ctx: FlowContext) -> list[Outgoing]:
    """One .zip: ``data.json`` with every stored row about the user, and each draft as Markdown."""
    data, drafts = await repo.user_data(ctx.session, ctx.user.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=_json_value))
        for draft in drafts:
            try:
                filename, content = export_view(DraftView.build(ctx.catalog, draft), ExportFormat.MD)
            except ExportError:  # not set up far enough to render; its rows are in data.json
                continue
            archive.writestr(f"drafts/{draft.public_id}_{filename}", content)
    caption = f"您存储的全部数据：{len(drafts)}份材料（data.json 为完整记录，drafts/ 下为各份材料全文）。"
    return [FileReply(f"duizhao_data_{ctx.user.id}.zip", buffer.getvalue(), caption)]

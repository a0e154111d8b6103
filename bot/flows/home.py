"""Greeting, help, resuming, and text that arrives when no step is waiting for it."""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.flows.context import NO_DRAFT, FlowContext
from bot.flows.drafts import latest, no_draft, progress, resume_rows
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.texts import esc
from storage import repo

INTRO = (
    "您好！我是<b>对照</b>，帮您起草民主生活会、组织生活会的对照检查材料："
    "按要求的各部分逐一引导填写，随时保存，写完生成Word文档。"
)

HELP = """<b>常用命令</b>
/new 新建一份材料
/drafts 我的材料（切换、删除）
/team 班子材料：邀请成员、汇总成员提出的问题、报送审定
/status 当前材料的进度和概览
/report 生成Word文档（也可选 Markdown、纯文本）
/check 按组织部审核口径检查当前材料
/deadlines 整改事项、时限和办理
/ledger 导出整改台账（Excel）
/rectify_report 根据整改台账生成整改落实情况报告
/desk 审核台：向审核批次提交材料、查看批注（审核人在此审核）
/cancel 取消正在回答的提问、暂停填写（内容都会保存）
/export_my_data 导出我存储的全部内容
/forget 删除我的全部内容（需确认）
/help 查看本说明

<b>填写方法</b>
· 按提示逐部分发送文字；“存在的主要问题”按方面逐一填写，每条一段，也可整段粘贴带编号的内容，我会自动拆分。
· 想改已发的内容，直接编辑那条消息；也可点“修改条目”逐条修改、插入、调整顺序或移到另一方面。
· 发送 /status 打开全文概览，点“查看全文”可以在聊天里通读整篇材料。
· 中途退出不要紧，下次发送 /start 就从上次的位置继续。
· 已有材料的，直接把 .docx、.txt 或 .md 文件发给我，或把全文粘贴过来，可以审核、导入继续修改，或规范排版。"""


async def start(ctx: FlowContext) -> list[Outgoing]:
    view = await ctx.view()
    if view is None:
        view = await latest(ctx)
    if view is None:
        return [Reply(f"{INTRO}\n\n发送 /help 查看用法。", [[Button(Label.START, encode(Flow.HOME, "new"))]])]
    text = f"{INTRO}\n\n您上次在写《{esc(view.title)}》，进度：{progress(view)}。"
    return [Reply(text, resume_rows(view))]


async def help_text(ctx: FlowContext) -> list[Outgoing]:
    del ctx
    return [Reply(HELP)]


async def resume(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        ctx.refused("draft")
        return [Reply(NO_DRAFT)]
    ctx.switch_to(draft)
    view = await ctx.view(draft)
    assert view is not None
    return [await ctx.prompt(view, "接着上次的位置继续：")]


async def paused(ctx: FlowContext, label: Label, notice: str) -> list[Outgoing]:
    """A button's words typed while no draft is being written: 继续填写 resumes the latest draft
    (what its button under the notice below does); any other says so and offers it."""
    view = await latest(ctx) if label is Label.RESUME else None
    if view is not None:
        return await resume(ctx, view.draft.public_id)
    return await no_draft(ctx, notice)


async def current_step(ctx: FlowContext, notice: str = "") -> list[Outgoing]:
    view = await ctx.view()
    if view is None:
        return await no_draft(ctx, notice)
    return [await ctx.prompt(view, notice)]

"""Listing, switching, pausing and deleting drafts."""

from __future__ import annotations

from bot import prompts, steps
from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows.context import NO_DRAFT, FlowContext
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.texts import esc
from storage import repo

MAX_LISTED = 10


def progress(view: DraftView) -> str:
    step = view.step()
    if view.kind is None or step.is_setup:
        return "基本信息填写中"
    if step.section is None:
        missing = len(view.missing_required())
        if missing:
            return f"还有{missing}处必填未写"
        return "各部分已写完，正在设定整改时限" if step.key == steps.DEADLINES else "已完成"
    return prompts.progress_label(view, step)


def resume_rows(view: DraftView) -> list[list[Button]]:
    return [
        [Button(Label.RESUME, encode(Flow.HOME, "resume", view.draft.public_id))],
        [Button(Label.NEW, encode(Flow.HOME, "new")), Button(Label.MY_DRAFTS, encode(Flow.DRAFTS, "list"))],
    ]


async def latest(ctx: FlowContext) -> DraftView | None:
    latest = await repo.latest_draft(ctx.session, ctx.user.id)
    return await ctx.view(latest) if latest else None


async def no_draft(ctx: FlowContext, notice: str = "", otherwise: str | None = None) -> list[Outgoing]:
    """What is said when no draft is being written: after /cancel the user still has materials,
    so the latest is offered to resume, as /start offers it, instead of telling him he has none.
    A user without any hears ``otherwise`` (by default ``notice`` and how to start one)."""
    view = await latest(ctx)
    notice = f"{notice}\n" if notice else ""
    if view is None:
        return [Reply(otherwise if otherwise is not None else f"{notice}{NO_DRAFT}")]
    text = (
        f"{notice}填写已暂停。要接着写《{esc(view.title)}》（进度：{progress(view)}），请点“{Label.RESUME}”；"
        "也可以新建材料，或在“我的材料”中换一份。"
    )
    return [Reply(text, resume_rows(view))]


async def list_drafts(ctx: FlowContext) -> list[Outgoing]:
    drafts = await repo.list_drafts(ctx.session, ctx.user.id)
    if not drafts:
        return [Reply("您还没有材料。发送 /new 开始写第一份。")]
    lines = ["<b>我的材料</b>"]
    rows: list[list[Button]] = []
    for number, draft in enumerate(drafts[:MAX_LISTED], start=1):
        view = await ctx.view(draft)
        assert view is not None
        active = "（当前）" if draft.id == ctx.user.active_draft_id else ""
        lines.append(f"{number}. {esc(view.title)}{active}\n　　{progress(view)}")
        rows.append(
            [
                Button(Label.OPEN_NTH.format(number), encode(Flow.DRAFTS, "open", draft.public_id)),
                Button(Label.DELETE_NTH.format(number), encode(Flow.DRAFTS, "del", draft.public_id)),
            ]
        )
    if len(drafts) > MAX_LISTED:
        lines.append(f"（另有{len(drafts) - MAX_LISTED}份较早的材料未列出。）")
    rows.append([Button(Label.NEW, encode(Flow.HOME, "new"))])
    return [Reply("\n".join(lines), rows)]


async def open_draft(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        ctx.refused("draft")
        return [Reply("没有找到这份材料，可能已被删除。发送 /drafts 查看现有材料。")]
    ctx.switch_to(draft)
    view = await ctx.view(draft)
    assert view is not None
    return [await ctx.prompt(view, f"已切换到《{esc(view.title)}》。")]


async def confirm_delete(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        ctx.refused("draft")
        return [Reply("没有找到这份材料，可能已被删除。")]
    view = await ctx.view(draft)
    assert view is not None
    rows = [
        [
            Button(Label.DELETE_CONFIRM, encode(Flow.DRAFTS, "delok", public_id)),
            Button(Label.KEEP_DATA, encode(Flow.DRAFTS, "list")),
        ]
    ]
    text = f"确定删除《{esc(view.title)}》吗？其中已写的{len(view.answers)}段内容会一并删除，无法恢复。"
    return [Reply(text, rows)]


async def delete(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        return [Reply("这份材料已经不在了。")]
    view = await ctx.view(draft)
    assert view is not None
    await repo.delete_draft(ctx.session, ctx.user, draft)
    return [Reply(f"已删除《{esc(view.title)}》。发送 /drafts 查看其余材料，或 /new 新建。")]


async def pause(ctx: FlowContext) -> list[Outgoing]:
    """/cancel: the question the next text would answer (an item's new wording, a 批注, a batch's
    particulars…) is closed, and the draft being written is paused."""
    open_question = ctx.pending is not None or ctx.left is not None
    asked = "已取消刚才的提问，接下来发送的内容不会当作它的回答。" if open_question else ""
    ctx.ask(None)
    if ctx.user.active_draft_id is None:
        return [Reply(asked or "当前没有进行中的填写。")]
    ctx.user.active_draft_id = None
    return [Reply(f"{asked}已暂停填写，已写的内容都保存好了。随时发送 /start 继续，或 /drafts 查看材料。")]


async def status(ctx: FlowContext) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None:
        return await no_draft(ctx)
    reply = prompts.summary(view)
    reply.html = f"当前进度：{progress(view)}\n\n{reply.html}"
    pub = view.draft.public_id
    rows = [
        [Button(Label.RESUME, encode(Flow.HOME, "resume", pub))],
        [Button(Label.GENERATE_WORD, encode(Flow.SUMMARY, "report", pub))],
        [Button(Label.FULL_TEXT, encode(Flow.FULL_TEXT, "page", pub, 1))],
    ]
    return [Reply(reply.html, rows)]

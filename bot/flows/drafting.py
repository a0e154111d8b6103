"""Answering the sections: text sections, items sections (one per message or pasted blocks), edits."""

from __future__ import annotations

from bot import prompts, steps
from bot.document import SectionRole
from bot.draftview import DraftView
from bot.flows import deadline_step, followup, review, setup
from bot.flows.context import NO_DRAFT, FlowContext
from bot.replies import Outgoing, Reply
from bot.splitter import split_items
from bot.steps import Step
from bot.texts import esc, level2, run_in
from storage import repo

MAX_ITEMS_PER_SLOT = 30


def _is_measure(step: Step) -> bool:
    return step.section is not None and step.section.role == SectionRole.MEASURES


def _marker(step: Step, n: int) -> str:
    return run_in(n) if step.aspect else level2(n)


async def answer(ctx: FlowContext, view: DraftView, text: str, source: tuple[int, int]) -> list[Outgoing]:
    """Store a text message as the answer to the current section step."""
    step = view.step()
    assert step.section is not None
    if step.section.answer == "text":
        return await _answer_text(ctx, view, step, text, source)
    return await _answer_items(ctx, view, step, text, source)


async def _answer_text(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int]
) -> list[Outgoing]:
    assert step.section is not None
    existing = view.slot(step)
    if existing:
        repo.change_answer(ctx.session, existing[0], text, ctx.user.id)
        existing[0].source_chat_id, existing[0].source_message_id = source
        notice = "已用新内容替换。"
    else:
        _store(ctx, view, step, 0, [text], source)
        notice = "已保存。"
    return await ctx.advance(view, step, _with_feedback(notice, await review.feedback(ctx, view, step)))


def _with_feedback(notice: str, feedback: str) -> str:
    return f"{notice}\n\n{feedback}" if feedback else notice


def _store(
    ctx: FlowContext, view: DraftView, step: Step, position: int, texts: list[str], source: tuple[int, int]
) -> None:
    assert step.section is not None
    for offset, text in enumerate(texts):
        repo.add_answer(
            view.draft,
            step.section.key,
            step.aspect,
            position + offset,
            text,
            author_id=ctx.user.id,
            source=source,
            is_measure=step.section.role == SectionRole.MEASURES,
        )


async def _answer_items(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int]
) -> list[Outgoing]:
    existing = view.slot(step)
    items = split_items(text)
    if len(existing) + len(items) > MAX_ITEMS_PER_SLOT:
        notice = (
            f"这一部分最多记{MAX_ITEMS_PER_SLOT}条，目前已有{len(existing)}条。请先删除或合并几条再发送。"
        )
        return [prompts.present(ctx.catalog, view, notice)]
    _store(ctx, view, step, (existing[-1].position + 1) if existing else 0, items, source)
    first = len(existing) + 1
    if len(items) == 1:
        notice = f"已记下{_marker(step, first)}。"
    else:
        last = first + len(items) - 1
        notice = f"已拆分为{len(items)}条，记为{_marker(step, first)}至{_marker(step, last)}。"
    reply = prompts.item_added(view, step, notice)
    comments = await review.feedback(ctx, view, step, last_items=len(items))
    if comments:
        reply.html = f"{reply.html}\n\n{comments}"
    return [reply]


async def finish(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    assert step.section is not None
    if step.section.required and not view.slot(step):
        notice = "这一部分是必填的，请至少写一条再点“填写完毕”。"
        return [prompts.present(ctx.catalog, view, notice)]
    count = len(view.slot(step))
    notice = f"好的，这一方面共{count}条。" if step.aspect else f"好的，这一部分共{count}条。"
    hint = _count_hint(step, count)
    return await ctx.advance(
        view, step, _with_feedback(notice + hint, await review.feedback(ctx, view, step))
    )


def _count_hint(step: Step, count: int) -> str:
    section = step.section
    assert section is not None
    if section.min_items and 0 < count < section.min_items:
        return f"\n（一般写{section.min_items}条以上，之后可以回来补充。）"
    if section.max_items and count > section.max_items:
        return f"\n（一般不超过{section.max_items}条，条目多时可考虑合并同类项。）"
    return ""


async def keep(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await ctx.advance(view, step, "保持不变。")


async def skip(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    assert step.section is not None
    if step.section.required:
        return [prompts.present(ctx.catalog, view, "这一部分是必填的，不能跳过。")]
    return await ctx.advance(view, step, "已跳过这一部分，需要时可在全文概览里补写。")


async def undo_last(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    answers = view.slot(step)
    if not answers:
        return [prompts.present(ctx.catalog, view, "这一部分还没有内容。")]
    repo.remove_answer(ctx.session, view.draft, answers[-1], ctx.user.id)
    notice = f"已撤销{_marker(step, len(answers))}：{esc(answers[-1].text[:30])}"
    return await ctx.move(view, step, notice)


async def delete_item(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    answers = view.slot(step)
    target = next((a for a in answers if a.id == answer_id), None)
    if target is None:
        return [prompts.present(ctx.catalog, view, "这一条已经不在了，下面是当前内容。")]
    number = answers.index(target) + 1
    repo.remove_answer(ctx.session, view.draft, target, ctx.user.id)
    notice = f"已删除{_marker(step, number)}，其余各条已重新编号。"
    return await ctx.move(view, step, notice)


async def edited(ctx: FlowContext, chat_id: int, message_id: int, text: str) -> list[Outgoing]:
    """An edited user message replaces whatever answers it produced, in place."""
    draft = await repo.draft_of_message(ctx.session, ctx.user.id, chat_id, message_id)
    if draft is None:
        return []
    view = DraftView.build(ctx.catalog, draft)
    old = [a for a in view.answers if (a.source_chat_id, a.source_message_id) == (chat_id, message_id)]
    first = min(old, key=lambda a: a.position)
    step = view.step(f"{first.section}.{first.aspect}" if first.aspect else first.section)
    if step.section is None or step.section.key != first.section:
        return []  # the section no longer exists in this draft's template
    where = view.aspect_heading(step) or step.section.heading or "导语"
    if step.section.answer == "text":
        repo.change_answer(ctx.session, first, text, ctx.user.id)
        return [Reply(f"已按您修改后的消息更新“{esc(where)}”。")]
    for answer in old:
        repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
    new_items = split_items(text)
    for later in view.slot(step):
        if later.position > first.position:
            later.position += len(new_items)
    _store(ctx, view, step, first.position, new_items, (chat_id, message_id))
    numbers = [i for i, a in enumerate(view.slot(step), 1) if a.source_message_id == message_id]
    label = "、".join(_marker(step, n) for n in numbers)
    return [Reply(f"已按您修改后的消息更新“{esc(where)}”中的{label}。")]


async def on_text(ctx: FlowContext, text: str, source: tuple[int, int]) -> list[Outgoing]:
    """Route free text to whatever the current step is waiting for."""
    pending = ctx.pending
    if pending is not None and text:
        return await followup.on_pending_text(ctx, pending, text, ctx.today, ctx.now)
    view = await ctx.view()
    if view is None:
        return [Reply(NO_DRAFT)]
    if not text:
        return [prompts.present(ctx.catalog, view, "没有收到文字内容，请直接发送文字。")]
    step = view.step()
    if step.key == steps.ASPECTS:
        return await setup.paste_aspects(ctx, view, text)
    if step.key == steps.DATE:
        return await setup.set_date(ctx, view, text)
    if step.meta_field:
        return await setup.set_meta(ctx, view, step.meta_field, text)
    if step.section is not None:
        return await answer(ctx, view, text, source)
    if step.key == steps.DEADLINES:
        return await deadline_step.on_text(ctx, view, text)
    return [prompts.present(ctx.catalog, view, "这一步请点击下面的按钮选择。")]

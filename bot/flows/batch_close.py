"""Closing a review batch, so that it takes no more materials, and opening it again (the reviewer's).

A closed batch keeps everything handed in to it, and its reviewer still reads, returns and approves
those materials; its link, the cadres' /desk and their uploads no longer offer to hand in
(``desk_common.closed_text`` says so and whom to ask), and its due-date reminders stop. Reopening
plans them again for those who have not handed in.
"""

from __future__ import annotations

from bot.callbacks import Flow, encode
from bot.flows import handin
from bot.flows.context import FlowContext
from bot.flows.desk_common import DUE, GONE, back_to_batch, batch_title, not_handed_in
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.texts import esc
from storage import desk as store
from storage import reminders
from storage.models import ReviewBatch


def closed_due(missing: int) -> str:
    """Said where a closed batch's due date is changed: the date is kept, and the reminders of the
    ``missing`` members who have not handed in wait for the batch to be reopened."""
    who = f"未提交的{missing}位同志" if missing else "未提交的同志"
    return f"批次已关闭，不接收材料，也不提醒{who}；重新开放后，按新的截止日期提醒。"


def button(batch: ReviewBatch) -> Button:
    if batch.closed_at is None:
        return Button(Label.CLOSE_BATCH, encode(Flow.DESK, "close", batch.public_id))
    return Button(Label.REOPEN_BATCH, encode(Flow.DESK, "reopen", batch.public_id))


async def close(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    if batch.closed_at is None:
        batch.closed_at = ctx.now
        for member in await not_handed_in(ctx.session, batch):  # planned reminders and a 催交 alike
            await reminders.drop_pending(
                ctx.session, user_id=member.user_id, kind=DUE, key_prefix=f"desk:{batch.id}:"
            )
    text = (
        f"“{esc(batch_title(batch))}”已关闭，不再接收材料；打开链接的同志会看到批次已停止接收，请他们联系您。"
        "已提交的材料仍可审阅、退回和通过；需要补交或重新提交时，可重新开放批次。"
    )
    return [Reply(text, [[button(batch)], [back_to_batch(batch)]])]


async def reopen(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    told = ""
    if batch.closed_at is not None:
        batch.closed_at = None
        missing = await handin.replan_missing(ctx, batch)
        told = f"{missing}位未提交同志的截止提醒已重新安排。" if missing else ""
    text = f"“{esc(batch_title(batch))}”已重新开放，可以继续通过原链接提交材料。{told}"
    return [Reply(text, [[back_to_batch(batch)]])]

"""Closing a review batch, so that it takes no more materials, and opening it again (the reviewer's).

A closed batch keeps everything handed in to it, and its reviewer still reads, returns and approves
those materials; its link, the cadres' /desk and their uploads no longer offer to hand in
(``desk_common.closed_text`` says so and whom to ask), and its due-date reminders stop. Reopening
plans them again for those who have not handed in.

The members who still owe a material (none handed in, or their latest returned) are told of the
closing, and of the reopening if they heard of the closing (``notices.BATCH``, in working hours,
composed by ``handin.batch_notice``); those whose material waits for a decision, or passed, are not:
closing changes nothing for them.
"""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import Flow, encode
from bot.flows import handin, notices
from bot.flows.context import FlowContext
from bot.flows.desk_common import DUE, GONE, back_to_batch, batch_title, materials_of, not_handed_in
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.submission_status import Status
from bot.texts import esc
from storage import desk as store
from storage import reminders
from storage.models import ReviewBatch, Submission


def closed_due(missing: int) -> str:
    """Said where a closed batch's due date is changed: the date is kept, and the reminders of the
    ``missing`` members who have not handed in wait for the batch to be reopened."""
    who = f"未提交的{missing}位同志" if missing else "未提交的同志"
    return f"批次已关闭，不接收材料，也不提醒{who}；重新开放后，按新的截止日期提醒。"


async def _tell(
    ctx: FlowContext, batch: ReviewBatch, state: str, closed_at: datetime | None = None
) -> dict[int, bool]:
    """Queue the notice that the batch is now ``state`` (closed or open) for each member who still
    owes it a material; who will get it. A notice of the other state not sent yet goes unsent
    instead (closed and reopened before working hours: nothing to tell); reopening is told to
    those the closing was told to, and to those told of a return while it was closed (since
    ``closed_at``), who could not hand in again then."""
    other = handin.OPEN if state == handin.CLOSED else handin.CLOSED
    told = {}
    for user_id, returned in (await _owing(ctx, batch)).items():
        unsaid = await reminders.drop_pending(
            ctx.session, user_id=user_id, kind=notices.BATCH, key_prefix=f"{notices.BATCH}:{batch.id}:{other}"
        )
        closed = f"{notices.BATCH}:{batch.id}:{handin.CLOSED}"
        if unsaid or (
            state == handin.OPEN
            and not await reminders.was_sent(ctx.session, user_id=user_id, kind=notices.BATCH, key=closed)
            and not await _returned_while_closed(ctx, returned, closed_at)
        ):
            continue
        await notices.queue(ctx, notices.BATCH, user_id, batch, state, at_once=False)
        told[user_id] = returned is not None
    return told


async def _returned_while_closed(
    ctx: FlowContext, returned: Submission | None, closed_at: datetime | None
) -> bool:
    """Whether ``returned`` was returned while the batch was closed (since ``closed_at``) and its
    author told so: he was asked to revise a material the batch would not take. A notice of the
    return not sent yet is composed when it goes, with the batch open again: it needs no other."""
    if (
        returned is None
        or closed_at is None
        or returned.decided_at is None
        or returned.decided_at < closed_at
    ):
        return False
    key = f"{notices.DESK}:{returned.id}:{Status.RETURNED}"
    return await reminders.was_sent(ctx.session, user_id=returned.author_id, kind=notices.DESK, key=key)


def button(batch: ReviewBatch) -> Button:
    if batch.closed_at is None:
        return Button(Label.CLOSE_BATCH, encode(Flow.DESK, "close", batch.public_id))
    return Button(Label.REOPEN_BATCH, encode(Flow.DESK, "reopen", batch.public_id))


async def close(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    told = ""
    if batch.closed_at is None:
        batch.closed_at = ctx.now
        for member in await not_handed_in(ctx.session, batch):  # planned reminders and a 催交 alike
            await reminders.drop_pending(
                ctx.session, user_id=member.user_id, kind=DUE, key_prefix=f"desk:{batch.id}:"
            )
        owing = await _tell(ctx, batch, handin.CLOSED)
        told = f"尚欠材料的{_counted(owing)}会收到停止接收的通知（工作时间发送）。" if owing else ""
    text = (
        f"“{esc(batch_title(batch))}”已关闭，不再接收材料；打开链接的同志会看到批次已停止接收，请他们联系您。"
        f"{told}已提交的材料仍可审阅、退回和通过；需要补交或重新提交时，可重新开放批次。"
    )
    return [Reply(text, [[button(batch)], [back_to_batch(batch)]])]


async def _owing(ctx: FlowContext, batch: ReviewBatch) -> dict[int, Submission | None]:
    """The members who still owe the batch a material, each with his latest version when it was
    returned (he owes a revision) rather than None (a first one): those a closing (or reopening)
    concerns."""
    materials = await materials_of(ctx.session, batch)
    owing: dict[int, Submission | None] = {}
    for member in await store.members(ctx.session, batch.id):
        material = materials.get(member.user_id)
        if material is None or material.status is Status.RETURNED:
            owing[member.user_id] = material.latest if material is not None else None
    return owing


def _counted(owing: dict[int, bool]) -> str:
    """``3位同志（未提交2人、退回后未重新提交1人）``."""
    returned = sum(owing.values())
    parts = [
        f"未提交{len(owing) - returned}人" if len(owing) > returned else "",
        f"退回后未重新提交{returned}人" if returned else "",
    ]
    return f"{len(owing)}位同志（{'、'.join(p for p in parts if p)}）"


async def reopen(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    told = ""
    if batch.closed_at is not None:
        closed_at, batch.closed_at = batch.closed_at, None
        missing = await handin.replan_missing(ctx, batch)
        told = f"{missing}位未提交同志的截止提醒已重新安排。" if missing else ""
        if reopened := await _tell(ctx, batch, handin.OPEN, closed_at):
            told += f"尚欠材料的{len(reopened)}位同志会收到重新开放的通知。"
    text = f"“{esc(batch_title(batch))}”已重新开放，可以继续通过原链接提交材料。{told}"
    return [Reply(text, [[back_to_batch(batch)]])]

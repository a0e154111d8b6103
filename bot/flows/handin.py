"""The cadre's side of the desk: joining a batch from its link, handing in a draft or an uploaded
file, seeing his submission with the reviewer's comments at their items, and the reminders (to hand
in by the due date, and that a submission was returned or approved) the dispatcher sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import desk
from bot.callbacks import Flow, encode
from bot.catalog import Catalog, title_subject
from bot.dates import format_date
from bot.deadlines.calendar import add_workdays, workday_on_or_before
from bot.draftview import DraftView
from bot.flows import notices
from bot.flows.context import FlowContext
from bot.flows.desk_common import (
    DUE,
    MAX_DRAFT_BUTTONS,
    NOT_SUBMITTED,
    OVERDUE_REMINDERS,
    REVIEWED,
    batch_title,
    closed_text,
    copied_words,
    count_text,
    materials_of,
    member_name,
    moment_text,
    not_handed_in,
    own_findings,
    peers_of,
    review_for_batch,
    review_text,
    version_line,
)
from bot.flows.review import latest_file
from bot.labels import Label
from bot.replies import Button, Outgoing, Reply
from bot.settings import Settings
from bot.submission_status import Source, Status
from bot.submissions import Snapshot, changes, of_draft, summarize
from bot.texts import esc, preview, shorten
from storage import desk as store
from storage import reminders, repo
from storage import submissions as subs
from storage.models import ReviewBatch, Submission


async def my_batches(ctx: FlowContext, joined: list[ReviewBatch]) -> Reply:
    mine = await store.own_submissions(ctx.session, ctx.user.id)
    latest: dict[int, Submission] = {}
    for handed in mine:  # latest version first within each batch
        latest.setdefault(handed.scope_id, handed)
    lines: list[str] = ["<b>我提交的材料</b>"]
    rows: list[list[Button]] = []
    for batch in joined:
        found = latest.get(batch.id)
        status = Status.of(found.status).label if found else NOT_SUBMITTED
        version = f"第{found.version}版 " if found else ""
        when = "已停止接收材料" if batch.closed_at else desk.due_phrase(batch.due_date, ctx.today)
        lines.append(f"· {esc(batch_title(batch))}：{version}{status}，{when}")
        if found is not None:
            rows.append(
                [Button(f"查看：{shorten(batch.unit, 16)}", encode(Flow.DESK, "mine", found.public_id))]
            )
        if batch.closed_at is None and (found is None or Status.of(found.status) is Status.RETURNED):
            rows.append(
                [Button(f"提交材料：{shorten(batch.unit, 16)}", encode(Flow.DESK, "pick", batch.public_id))]
            )
    return Reply("\n".join(lines), rows)


# -- the cadre's side -------------------------------------------------------------------------------


async def join(ctx: FlowContext, public_id: str, name: str | None) -> list[Outgoing]:
    """Opened from the share link: join the batch, be reminded until handing in, choose what to hand in."""
    batch = await store.batch_by_public_id(ctx.session, public_id)
    if batch is None or batch.theme_key is None:
        return [Reply("这个审核链接无效或批次尚未设置完成，请向发链接的同志核实。")]
    if batch.closed_at is not None:
        return [Reply(closed_text(batch))]
    if batch.reviewer_id != ctx.user.id:
        fresh = await store.join(ctx.session, batch, ctx.user.id, name, ctx.now)
        if fresh:
            await plan_due_reminders(
                ctx.session, ctx.settings, batch, ctx.user.id, ctx.user.timezone, ctx.now
            )
    return await pick(
        ctx,
        public_id,
        lead=f"您已加入审核批次：<b>{esc(batch_title(batch))}</b>，"
        f"{desk.due_phrase(batch.due_date, ctx.today)}。",
    )


async def pick(ctx: FlowContext, public_id: str, lead: str = "") -> list[Outgoing]:
    batch = await store.joined_batch(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply("您不在这个审核批次中。请打开审核人发给您的链接。")]
    if batch.closed_at is not None:
        return [Reply(closed_text(batch))]
    drafts = list(await repo.list_drafts(ctx.session, ctx.user.id))[:MAX_DRAFT_BUTTONS]
    lines = [lead] if lead else []
    rows = []
    for draft in drafts:
        view = DraftView.build(ctx.catalog, draft)
        rows.append(
            [
                Button(
                    f"提交《{shorten(view.title, 24)}》",
                    encode(Flow.DESK, "sub", batch.public_id, draft.public_id),
                )
            ]
        )
    lines.append(
        "请选择要提交的材料；也可以直接把 .docx、.txt 文件发给我，在审核意见下方点“提交到审核批次”。"
        if drafts
        else "您在本机器人里还没有材料。可以点下面的按钮开始写，写好后发送 /desk 提交；"
        "已有 Word 材料的，直接把 .docx 或 .txt 文件发给我，在审核意见下方点“提交到审核批次”。"
    )
    if not drafts:
        rows.append([Button(Label.START, encode(Flow.HOME, "new"))])
    lines.append("提交的是此刻的版本，之后修改需重新提交。")
    return [Reply("\n".join(lines), rows)]


async def submit_draft(ctx: FlowContext, batch_public_id: str, draft_public_id: str) -> list[Outgoing]:
    batch = await store.joined_batch(ctx.session, ctx.user.id, batch_public_id)
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, draft_public_id)
    if batch is None or draft is None:
        ctx.refused("batch or draft")
        return [Reply("这份材料或这个审核批次已不可用。发送 /desk 查看。")]
    view = DraftView.build(ctx.catalog, draft)
    if (
        view.kind is None
        or not view.section_steps
        or all(not view.is_answered(s) for s in view.section_steps)
    ):
        return [Reply("这份材料还没有内容，写好后再提交。")]
    return await _hand_in(ctx, batch, of_draft(view), Source.DRAFT, draft.id)


async def submit_upload(ctx: FlowContext, batch_public_id: str, raw: dict[str, Any]) -> list[Outgoing]:
    batch = await store.joined_batch(ctx.session, ctx.user.id, batch_public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply("您不在这个审核批次中。请打开审核人发给您的链接。")]
    snapshot = Snapshot.from_json(raw)
    name, position = desk.identity(snapshot.document.title, snapshot.document.byline)
    if name:
        snapshot.meta.update({"name": name, **({"position": position} if position else {})})
    elif unit := title_subject(snapshot.document.title):  # a unit's report: 县交通运输局2026年度…
        snapshot.meta["unit"] = unit
    else:  # the file does not say whose it is: the name he joined the batch with
        snapshot.meta["name"] = member_name(await store.members(ctx.session, batch.id), ctx.user.id)
    return await _hand_in(ctx, batch, snapshot, Source.UPLOAD, None)


async def upload_buttons(ctx: FlowContext, upload_id: str) -> list[list[Button]]:
    """Under an uploaded file's review: hand it in to a batch the user joined (the newest three)."""
    joined = await store.joined_batches(ctx.session, ctx.user.id)
    return [
        [
            Button(
                f"{Label.HAND_IN_UPLOAD}：{shorten(b.unit, 14)}",
                encode(Flow.UPLOAD, "desk", upload_id, b.public_id),
            )
        ]
        for b in [b for b in joined if b.closed_at is None][:3]
    ]


async def typed_hand_in(ctx: FlowContext) -> list[Outgoing]:
    """“提交到审核批次” typed rather than pressed (with or without its batch): the buttons that hand
    in the file sent last, named, or what to do first: join a batch, send the file."""
    joined = await store.joined_batches(ctx.session, ctx.user.id)
    if not joined:
        return [Reply("您还没有加入审核批次。请先打开审核人发给您的批次链接，加入后再提交。")]
    if all(b.closed_at is not None for b in joined):
        return [Reply(closed_text(joined[0]))]
    upload = await latest_file(ctx)
    if upload is None:
        return [
            Reply(
                "请先把 .docx 或 .txt 材料文件发给我，我审核后会在审核意见下方给出“提交到审核批次”按钮；"
                "要提交在本机器人里写的材料，请发送 /desk。"
            )
        ]
    return [
        Reply(
            f"要提交您刚才发来的《{esc(upload.filename)}》，请点下面的按钮，选择要提交到的审核批次。"
            "要提交在本机器人里写的材料，请发送 /desk。",
            await upload_buttons(ctx, upload.public_id),
        )
    ]


async def _hand_in(
    ctx: FlowContext, batch: ReviewBatch, snapshot: Snapshot, source: Source, draft_id: int | None
) -> list[Outgoing]:
    if batch.closed_at is not None:
        return [Reply(closed_text(batch))]
    series = subs.Series(store.SCOPE, batch.id, ctx.user.id)
    versions = await subs.history(ctx.session, series)
    latest = versions[-1] if versions else None
    if latest is not None and Status.of(latest.status) is Status.APPROVED:
        return [
            Reply(
                "您在这个批次的材料已审核通过，无需再提交。",
                [[Button(Label.VIEW, encode(Flow.DESK, "mine", latest.public_id))]],
            )
        ]
    if (
        latest is not None
        and Status.of(latest.status) is Status.SUBMITTED
        and not changes(Snapshot.of(latest), snapshot)
    ):
        return [
            Reply(
                "这份材料与已提交的版本相同，正在等待审核。",
                [[Button(Label.VIEW, encode(Flow.DESK, "mine", latest.public_id))]],
            )
        ]
    materials = await materials_of(ctx.session, batch)
    peers = peers_of(materials, ctx.user.id)
    submission = await subs.submit(
        ctx.session,
        series,
        snapshot,
        author_id=ctx.user.id,
        now=ctx.now,
        public_id=repo.new_public_id(),
        draft_id=draft_id,
        source=source,
    )
    await store.join(ctx.session, batch, ctx.user.id, None, ctx.now)
    # Handed in: no more due-date reminders (nor a 催交) for him, planned or asked; a returned
    # version is followed by its notice, not by them.
    await reminders.drop_pending(ctx.session, user_id=ctx.user.id, kind=DUE, key_prefix=f"desk:{batch.id}:")
    await notices.queue(ctx, notices.DESK, batch.reviewer_id, submission, Status.SUBMITTED, at_once=False)
    # The review runs after the commit (it holds no lock); its counts are then kept with the version,
    # whose snapshot never changes, so they stay true whatever happened meanwhile.
    submission_id = submission.id
    found: dict[int, dict[str, Any]] = {}

    def review_it(reply: Reply) -> None:
        findings = review_for_batch(ctx.catalog, batch, snapshot, peers)
        own = own_findings(findings)
        found[submission_id] = counted = summarize(own)
        copied = copied_words(findings)
        also = f"；另有雷同：{copied}" if copied else ""
        reply.html = reply.html.replace(REVIEWED, f"自动审核：{count_text(counted)}{also}。")

    async def keep(again: FlowContext, reply: Reply) -> None:
        await subs.keep_counts(again.session, found)

    unfinished = snapshot.unfinished("审核人", "重新提交")
    text = (
        f"已提交到“{esc(batch_title(batch))}”（第{submission.version}版），等待审核。\n"
        + (f"{unfinished}\n" if unfinished else "")
        + f"{REVIEWED}\n之后修改草稿不会影响已提交的版本；如需更新，请修改后重新提交。"
    )
    rows = [[Button(Label.MY_SUBMISSIONS, encode(Flow.DESK, "mine", submission.public_id))]]
    return [Reply(text, rows, later=[review_it], heavy=True, then=keep)]


async def my_submission(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """The cadre's own submission: where it stands, the comments at their items, the review."""
    submission = await store.submission_of_author(ctx.session, ctx.user.id, public_id)
    batch = await store.batch_by_id(ctx.session, submission.scope_id) if submission is not None else None
    if submission is None or batch is None:
        ctx.refused("submission")
        return [Reply("没有找到这份提交。发送 /desk 查看您提交的材料。")]
    snapshot = Snapshot.of(submission)
    status = Status.of(submission.status)
    labels = desk.item_labels(snapshot)
    comments = await subs.comments_on(ctx.session, [submission.id]) if status is not Status.SUBMITTED else []
    lines = [
        f"<b>{esc(batch_title(batch))}</b>",
        version_line(ctx, submission, status),
    ]
    if submission.decided_at is not None:
        lines.append(f"审核于{moment_text(ctx.settings, submission.decided_at)}")
    if submission.decision_note:
        lines.append(reason_line(submission))
    if comments:
        lines.append("\n<b>审核人的批注</b>")
        for item_id, group in subs.by_item(comments).items():
            place = snapshot.item(item_id) if item_id is not None else None
            if place is not None:
                lines.append(f"\n{esc(labels.get(item_id or -1, ''))}\n原文：{preview(place[1].text, 60)}")
            else:
                lines.append("\n总体意见")
            lines.extend(f"→ {esc(c.text)}" for c in group)
    later: list[Callable[[Reply], None]] = []
    if status is Status.RETURNED:
        peers = peers_of(await materials_of(ctx.session, batch), ctx.user.id)
        lines.append(REVIEWED)

        def review_it(reply: Reply) -> None:
            text, rest = review_text(review_for_batch(ctx.catalog, batch, snapshot, peers), limit_chars=1500)
            more = f"\n（另有{rest}条，用 /check 查看草稿的全部意见）" if rest else ""
            reply.html = reply.html.replace(REVIEWED, "\n" + text + more)

        later.append(review_it)
    rows: list[list[Button]] = []
    draft = (
        await repo.draft_by_id_for(ctx.session, ctx.user.id, submission.draft_id)
        if submission.draft_id
        else None
    )
    if status is Status.RETURNED:
        if draft is not None:
            lines.append("\n请按批注修改草稿（“按批注修改”从第一条批注所在的部分开始），改好后点“重新提交”。")
            rows.append(
                [
                    Button(Label.FIX_BY_NOTES, encode(Flow.DESK, "fix", submission.public_id)),
                    Button(Label.RESUBMIT, encode(Flow.DESK, "sub", batch.public_id, draft.public_id)),
                ]
            )
        else:
            lines.append("\n请按批注修改文件后重新发给我，在审核意见下方点“提交到审核批次”。")
    rows.append([Button(Label.ORIGINAL, encode(Flow.DESK, "doc", submission.public_id))])
    return [Reply("\n".join(lines), rows, later=later, heavy=True)]


# -- reminders --------------------------------------------------------------------------------------


def due_days(due: date, today: date) -> list[date]:
    """The due date's working day and the next few working days after it, from today on."""
    first = workday_on_or_before(due)
    days = [first, *(add_workdays(first, n) for n in range(1, OVERDUE_REMINDERS + 1))]
    return [d for d in days if d >= today]


async def plan_due_reminders(
    session: AsyncSession,
    settings: Settings,
    batch: ReviewBatch,
    user_id: int,
    timezone: str | None,
    now: datetime,
) -> None:
    zone = ZoneInfo(timezone or settings.timezone)
    today = now.astimezone(zone).date()
    for day in due_days(batch.due_date, today):
        at = datetime.combine(day, settings.reminders.remind_at, tzinfo=zone).astimezone(UTC)
        if at >= now - timedelta(minutes=1):
            await reminders.ensure(
                session, user_id=user_id, kind=DUE, key=f"desk:{batch.id}:{day.isoformat()}", due_at=at
            )


async def replan_missing(ctx: FlowContext, batch: ReviewBatch) -> int:
    """Plan anew the due-date reminders of the members who have not handed in (a new due date, a
    batch reopened); a 催交 the reviewer asked for stays. How many they are."""
    missing = await not_handed_in(ctx.session, batch)
    for member in missing:
        # The planned ones (keys end in their date, 20xx-…).
        await reminders.drop_pending(
            ctx.session, user_id=member.user_id, kind=DUE, key_prefix=f"desk:{batch.id}:20"
        )
        timezone = await ctx.timezone_of(member.user_id)
        await plan_due_reminders(ctx.session, ctx.settings, batch, member.user_id, timezone, ctx.now)
    return len(missing)


async def due_reminder(session: AsyncSession, user_id: int, key: str, today: date) -> Reply | None:
    """A reminder to hand in by the batch's due date, as things stand: None once handed in."""
    _, _, rest = key.partition(":")
    ident, _, _ = rest.partition(":")
    if not ident.isdigit():
        return None
    batch = await store.batch_by_id(session, int(ident))
    if (
        batch is None
        or batch.closed_at is not None
        or await store.joined_batch(session, user_id, batch.public_id) is None
    ):
        return None
    versions = await subs.history(session, subs.Series(store.SCOPE, batch.id, user_id))
    if versions:
        return None
    late, due = (today - batch.due_date).days, format_date(batch.due_date)
    if late < 0:
        when = f"将于{due}截止（还有{-late}天）"
    elif late == 0:
        when = f"今天（{due}）截止"
    else:
        when = f"已超过截止日期{late}天（{due}）"
    text = f"提醒：“{esc(batch_title(batch))}”的对照检查材料{when}，您还没有提交。"
    return Reply(text, [[Button(Label.HAND_IN_MATERIAL, encode(Flow.DESK, "pick", batch.public_id))]])


async def notice(session: AsyncSession, _: Catalog, user_id: int, submission: Submission) -> Reply | None:
    """A notice about a version handed in to a batch (``bot.flows.notices``): to the batch's
    reviewer that it was handed in, to its author that it was returned or approved."""
    batch = await store.batch_by_id(session, submission.scope_id) if submission.scope == store.SCOPE else None
    if batch is None:
        return None
    status = Status.of(submission.status)
    if status is Status.SUBMITTED:
        return _handed_in_notice(batch, submission) if batch.reviewer_id == user_id else None
    if submission.author_id != user_id:
        return None
    where = esc(batch_title(batch))
    count = len(await subs.comments_on(session, [submission.id]))
    if status is Status.RETURNED:
        text = f"您提交到“{where}”的材料（第{submission.version}版）被退回修改"
        if submission.decision_note:
            text += f"。\n{reason_line(submission)}"
            text += f"\n审核人还写了{count}条批注，请点“查看批注”。" if count else ""
        else:
            text += f"，审核人写了{count}条批注。"
        if batch.closed_at is not None:  # reopening tells him (batch_close.reopen)
            text += "\n这个批次目前已停止接收材料，重新开放后会通知您重新提交。"
    else:  # 批注 written before approving are still meant to be read
        text = f"您提交到“{where}”的材料（第{submission.version}版）已审核通过。"
        text += f"审核人写了{count}条批注，请点“{Label.NOTES}”。" if count else ""
    label = Label.NOTES if status is Status.RETURNED or count else "查看"
    return Reply(text, [[Button(label, encode(Flow.DESK, "mine", submission.public_id))]])


def reason_line(submission: Submission) -> str:
    """The reason the reviewer gave for returning the version, as its author and the reviewer read it."""
    return f"退回原因：{esc(submission.decision_note or '')}"


CLOSED, OPEN = "closed", "open"
"""What a ``notices.BATCH`` key says of the batch."""


async def batch_notice(session: AsyncSession, user_id: int, key: str, today: date) -> Reply | None:
    """To a member who still owes the batch a material (none handed in, or his latest returned):
    that it was closed, or reopened. None when the batch has since changed back, or he no longer
    owes it."""
    found = notices.about(key)
    batch = await store.batch_by_id(session, found[0]) if found is not None else None
    if found is None or batch is None or await store.joined_batch(session, user_id, batch.public_id) is None:
        return None
    if (found[1] == CLOSED) != (batch.closed_at is not None):
        return None
    versions = await subs.history(session, subs.Series(store.SCOPE, batch.id, user_id))
    latest = versions[-1] if versions else None
    if latest is not None and Status.of(latest.status) is not Status.RETURNED:
        return None
    where = esc(batch_title(batch))
    if batch.closed_at is not None:
        owed, ask = (
            (f"您被退回修改的材料（第{latest.version}版）暂不能重新提交", "重新提交")
            if latest is not None
            else ("您还没有提交材料", "补交")
        )
        return Reply(f"“{where}”已停止接收材料，{owed}。如需{ask}，请联系发给您链接的审核人（组织部门）。")
    owed = "修改后重新提交" if latest is not None else "提交材料"
    text = f"“{where}”已重新开放，可以{owed}，{desk.due_phrase(batch.due_date, today)}。"
    return Reply(text, [[Button(Label.HAND_IN_MATERIAL, encode(Flow.DESK, "pick", batch.public_id))]])


def _handed_in_notice(batch: ReviewBatch, submission: Submission) -> Reply:
    """To the reviewer: a material was handed in (or handed in again after a return)."""
    name = esc(Snapshot.of(submission).name or "一位同志")
    again = "修改后重新提交了" if submission.version > 1 else "提交了"
    text = f"“{esc(batch_title(batch))}”：{name}{again}材料（第{submission.version}版），待审核。"
    return Reply(text, [[Button(Label.REVIEW, encode(Flow.DESK, "o", submission.public_id))]])


async def fix(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """From a returned submission back into its draft, at the part the first comment is about, with
    the comments on that part above it."""
    submission = await store.submission_of_author(ctx.session, ctx.user.id, public_id)
    draft_id = submission.draft_id if submission is not None else None
    draft = await repo.draft_by_id_for(ctx.session, ctx.user.id, draft_id) if draft_id else None
    if submission is None or draft is None:
        ctx.refused("submission")
        return [Reply("这份提交对应的草稿已不存在。发送 /desk 查看您提交的材料。")]
    view = DraftView.build(ctx.catalog, draft)
    comments = await subs.comments_on(ctx.session, [submission.id])
    placed = [c for c in comments if c.section]
    ctx.switch_to(draft)
    if not placed:
        return await ctx.move(view, view.step(), "接着修改这份材料：")
    step = view.step(placed[0].section)
    labels = desk.item_labels(Snapshot.of(submission))
    here = [c for c in placed if c.section == step.key]
    lines = ["审核人对这一部分的批注："]
    lines += [f"· {esc(labels.get(c.item_id or -1, '本部分'))}：{esc(c.text)}" for c in here]
    if len(placed) > len(here):
        lines.append(f"其他部分还有{len(placed) - len(here)}条批注，见“查看批注”。")
    return [Reply("\n".join(lines)), *await ctx.move(view, step)]

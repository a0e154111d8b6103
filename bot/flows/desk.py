"""The reviewer's desk: batches, handing materials in, reviewing them, returning and approving.

A reviewer (a role an admin grants) opens a batch (/batch), shares its link; cadres open it and hand
in a draft or an uploaded file as a snapshot (``bot.submissions``). /desk lists the batch with where
each material stands; the reviewer opens one, comments on its items, returns or approves it, and the
author is told through the reminder queue (``bot.delivery``), which also reminds those who have not
handed in by the due date, on working days.

Access: every batch a reviewer reaches is looked up with his id as its reviewer, every submission a
cadre reaches with his id as its author (``storage.desk``); a button naming anything else changes
nothing and re-shows the desk.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from bot import desk
from bot.callbacks import Flow, encode
from bot.dates import Examples, format_date
from bot.deadlines.plan import earliest_send_time
from bot.flows import batch_close, handin, notices
from bot.flows.context import FlowContext
from bot.flows.desk_common import (
    ASK_PARTICULARS,
    DUE,
    GONE,
    MAX_ITEM_BUTTONS,
    NOT_REVIEWER,
    NOT_SUBMITTED,
    OWN_ASPECTS,
    REVIEWED,
    Material,
    author_name,
    batch_kinds,
    batch_title,
    count_text,
    counts,
    grid,
    local_time,
    materials_of,
    not_handed_in,
    peers_of,
    review_for_batch,
    review_text,
    share_link,
    theme_of,
    version_line,
)
from bot.flows.desk_common import back_to_batch as _back_to
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.replies import Button, Deferred, FileReply, Outgoing, Rendering, Reply
from bot.review.engine import year_in
from bot.submission_status import Source, Status
from bot.submissions import ChangeKind, Snapshot
from bot.texts import esc, preview, shorten
from storage import desk as store
from storage import reminders, repo
from storage import submissions as subs
from storage.models import ReviewBatch, Submission

# -- /desk ------------------------------------------------------------------------------------------


async def home(ctx: FlowContext, username: str) -> list[Outgoing]:
    """The reviewer's batches and the cadre's own submissions, whichever the user has."""
    batches = await store.batches_of(ctx.session, ctx.user.id)
    joined = await store.joined_batches(ctx.session, ctx.user.id)
    reviewer = await store.has_role(ctx.session, ctx.user.id)
    if len(batches) == 1 and not joined:
        return await batch_view(ctx, batches[0].public_id, username)
    out: list[Outgoing] = []
    open_ones = [b for b in batches if b.closed_at is None]
    closed = [b for b in batches if b.closed_at is not None]
    if open_ones:
        out.append(Reply("<b>我的审核批次</b>（点开查看各人材料）：", _batch_rows(open_ones)))
    if closed:
        out.append(Reply("<b>已关闭的批次</b>（不再接收材料，点开可查看或重新开放）：", _batch_rows(closed)))
    if not batches and reviewer:
        out.append(Reply("您还没有审核批次。发送 /batch 新建一个，把链接发给需要提交材料的同志。"))
    if joined:
        out.append(await handin.my_batches(ctx, joined))
    if not out:
        out.append(Reply("您还没有加入审核批次。请打开组织部门（审核人）发给您的链接。"))
    return out


def _batch_rows(batches: list[ReviewBatch]) -> list[list[Button]]:
    return [[Button(shorten(batch_title(b), 30), encode(Flow.DESK, "b", b.public_id))] for b in batches[:20]]


# -- opening a batch (reviewer) ---------------------------------------------------------------------


async def new_batch(ctx: FlowContext, particulars: str = "") -> list[Outgoing]:
    """/batch: the unit, meeting and due date asked for, or read from what followed the command
    (/batch 县财政局党组 2026年度民主生活会 2027年1月10日, or on the lines under it)."""
    if not await store.has_role(ctx.session, ctx.user.id):
        return [Reply(NOT_REVIEWER)]
    ctx.ask(Pending(Awaiting.BATCH, 0))
    if particulars.strip():
        return await _particulars(ctx, particulars)
    text = ASK_PARTICULARS + desk.example(ctx.today)
    return [Reply(text, [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])]


async def on_pending_text(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    if pending.awaiting is Awaiting.BATCH:
        return await _particulars(ctx, text)
    if pending.awaiting is Awaiting.BATCH_DUE:
        return await _new_due_date(ctx, pending.target, text)
    if pending.awaiting is Awaiting.DESK_RETURN:
        ctx.ask(None)
        submission = await store.submission_by_id_for_reviewer(ctx.session, ctx.user.id, pending.target)
        if submission is None:
            ctx.refused("submission")
            return [Reply(GONE)]
        return await _return_with(ctx, submission.public_id, text.strip() or None)
    return await _comment_text(ctx, pending, text)


async def ask_due_date(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    ctx.ask(Pending(Awaiting.BATCH_DUE, batch.id))
    due = format_date(Examples(ctx.today).due)
    text = f"现在{desk.due_phrase(batch.due_date, ctx.today)}。请发送新的截止日期，如 {due}。"
    if batch.closed_at is not None:
        text += "\n" + batch_close.closed_due(len(await not_handed_in(ctx.session, batch)))
    return [Reply(text, [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])]


async def _new_due_date(ctx: FlowContext, batch_id: int, text: str) -> list[Outgoing]:
    """Move the due date; the reminders of those who have not handed in move with it."""
    batch = await store.batch_by_id(ctx.session, batch_id)
    if batch is None or batch.reviewer_id != ctx.user.id:
        ctx.ask(None)
        ctx.refused("batch")
        return [Reply(GONE)]
    due = desk.read_due_date(text, ctx.today)
    if isinstance(due, str):
        return [Reply(esc(due), [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])]
    ctx.ask(None)
    batch.due_date = due
    if batch.closed_at is not None:  # no reminders while closed: reopening plans them by this date
        missing = len(await not_handed_in(ctx.session, batch))
        text = f"截止日期已改为{format_date(due)}。{batch_close.closed_due(missing)}"
        return [Reply(text, [[batch_close.button(batch)], [_back_to(batch)]])]
    missing = await handin.replan_missing(ctx, batch)
    told = f"，{missing}位未提交同志的提醒已按新日期安排" if missing else ""
    return [Reply(f"截止日期已改为{format_date(due)}{told}。", [[_back_to(batch)]])]


async def _particulars(ctx: FlowContext, text: str) -> list[Outgoing]:
    if not await store.has_role(ctx.session, ctx.user.id):
        ctx.ask(None)
        return [Reply(NOT_REVIEWER)]
    read = desk.read_particulars(text, ctx.today)
    if isinstance(read, str):
        return [Reply(esc(read), [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])]
    batch = ReviewBatch(
        public_id=repo.new_public_id(),
        reviewer_id=ctx.user.id,
        unit=read.unit,
        meeting=read.meeting,
        due_date=read.due,
        created_at=ctx.now,
    )
    ctx.session.add(batch)
    ctx.ask(None)
    lead = f"批次：{esc(batch_title(batch))}，{desk.due_phrase(read.due, ctx.today)}。"
    return [_kind_question(ctx, batch, lead)]


def _kind_question(ctx: FlowContext, batch: ReviewBatch, lead: str) -> Reply:
    rows = [
        [Button(name, encode(Flow.DESK, "kind", batch.public_id, key))]
        for key, name in batch_kinds(ctx.catalog)
    ]
    return Reply(f"{lead}\n材料按哪一类审核？", rows)


def _theme_question(ctx: FlowContext, batch: ReviewBatch, lead: str = "") -> Reply:
    assert batch.kind is not None
    themes = ctx.catalog.themes_for(ctx.catalog.kind(batch.kind))
    themes = sorted(themes, key=lambda t: -(t.year or 0))[:8]
    rows = [[Button(t.title, encode(Flow.DESK, "theme", batch.public_id, t.key))] for t in themes]
    own = [Button(Label.OWN_ASPECTS, encode(Flow.DESK, "theme", batch.public_id, OWN_ASPECTS))]
    question = "对照哪一年度的主题和方面审核？本年度的方面尚未收录的，请选最后一项。"
    year = year_in(batch.meeting or "", "")
    if year is not None and themes and all(t.year is not None and t.year < year for t in themes):
        question = f"{year}年度的主题和方面尚未收录，请选“{Label.OWN_ASPECTS}”，每份材料按它列出的方面审核。"
        return Reply(f"{lead}{question}", [own, *rows])
    return Reply(f"{lead}{question}", [*rows, own])


def _unfinished(ctx: FlowContext, batch: ReviewBatch) -> Reply | None:
    """The set-up question a batch still waits for (its kind, then its theme): until both are
    chosen its link lets nobody in, so the desk asks them instead of offering the link."""
    if batch.kind is not None and batch.kind in ctx.catalog.kinds and batch.theme_key is not None:
        return None
    lead = f"批次“{esc(batch_title(batch))}”还没有设置完成，选好后才能分享链接。"
    if batch.kind is None or batch.kind not in ctx.catalog.kinds:
        return _kind_question(ctx, batch, lead)
    return _theme_question(ctx, batch, lead + "\n")


async def choose_kind(ctx: FlowContext, public_id: str, kind_key: str, username: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None or kind_key not in dict(batch_kinds(ctx.catalog)):
        ctx.refused("batch")
        return [Reply(GONE)]
    if batch.theme_key is not None:  # an old button of a batch already set up: its link is out
        return [Reply("这个批次已经设置完成，材料类型不再更改。", [[_back_to(batch)]])]
    batch.kind = kind_key
    if not ctx.catalog.themes_for(ctx.catalog.kind(kind_key)):  # aspects from each notice: no question
        return await choose_theme(ctx, public_id, OWN_ASPECTS, username)
    return [_theme_question(ctx, batch)]


async def choose_theme(ctx: FlowContext, public_id: str, theme_key: str, username: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    kind = ctx.catalog.kinds.get(batch.kind) if batch is not None and batch.kind else None
    known = {OWN_ASPECTS, *(t.key for t in ctx.catalog.themes_for(kind))} if kind is not None else set()
    if batch is None or theme_key not in known:
        ctx.refused("batch")
        return [Reply(GONE)]
    batch.theme_key = theme_key
    return [_link_reply(ctx, batch, username, "审核批次已建好。")]


def _link_reply(ctx: FlowContext, batch: ReviewBatch, username: str, lead: str) -> Reply:
    theme = theme_of(ctx.catalog, batch)
    kind = ctx.catalog.kinds.get(batch.kind or "")
    against = theme.title if theme else Label.OWN_ASPECTS if batch.theme_key == OWN_ASPECTS else ""
    what = "、".join(x for x in (kind.name if kind else "", against) if x)
    text = (
        f"{lead}\n<b>{esc(batch_title(batch))}</b>\n"
        f"{esc(what)}，{desk.due_phrase(batch.due_date, ctx.today)}\n\n"
        f"请把下面的链接发给需要提交材料的同志，他们打开后即可提交：\n{esc(share_link(username, batch))}\n\n"
        "发送 /desk 查看提交情况。"
    )
    return Reply(text, [[Button(Label.DESK, encode(Flow.DESK, "b", batch.public_id))]])


async def link(ctx: FlowContext, public_id: str, username: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    unfinished = _unfinished(ctx, batch)
    if unfinished is None and batch.closed_at is not None:
        text = "这个批次已关闭，链接不再接收材料。重新开放后，原链接即可继续使用。"
        return [Reply(text, [[batch_close.button(batch)], [_back_to(batch)]])]
    return [unfinished or _link_reply(ctx, batch, username, "分享链接：")]


# -- the batch on the desk --------------------------------------------------------------------------


async def batch_view(ctx: FlowContext, public_id: str, username: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return await home(ctx, username) if public_id else [Reply(GONE)]
    unfinished = _unfinished(ctx, batch)
    if unfinished is not None:
        return [unfinished]
    members = await store.members(ctx.session, batch.id)
    materials = await materials_of(ctx.session, batch)

    def listed() -> list[Reply | FileReply]:  # after the commit: the comparison of every material
        counted = counts(ctx.catalog, batch)
        order = [a for a in materials]
        snapshots = [materials[a].snapshot for a in order]
        duplicates = desk.duplicates(desk.units_of(snapshots))
        tally = {s: 0 for s in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)}
        lines = [
            f"<b>{esc(batch_title(batch))}</b>" + ("（已关闭，不再接收材料）" if batch.closed_at else ""),
            f"{desk.due_phrase(batch.due_date, ctx.today)}；"
            f"已提交{len(materials)}/{max(len(members), len(materials))}人",
            "",
        ]
        rows: list[list[Button]] = []
        for number, author in enumerate(order, start=1):
            material = materials[author]
            status = material.status
            tally[status] = tally.get(status, 0) + 1
            snapshot = snapshots[number - 1]
            who = esc(author_name(snapshot, members, author))
            post = f"（{esc(snapshot.position)}）" if snapshot.position else ""
            line = f"{number}. {who}{post} 第{material.latest.version}版 <b>{status.label}</b>"
            line += f" · {count_text(counted.of(material.latest))}"
            copied = duplicates.count_for(number - 1)
            if copied:
                line += f" · 雷同{copied}条"
            since = material.since_return()
            if since:
                line += f" · 退回后改动{len(since)}处"
            lines.append(line)
            rows.append(
                [
                    Button(
                        f"{number}. {shorten(author_name(snapshot, members, author), 10)}",
                        encode(Flow.DESK, "o", material.latest.public_id),
                    )
                ]
            )
        missing = [m for m in members if m.user_id not in materials]
        if missing:
            names = "、".join(esc(m.name or f"用户{m.user_id}") for m in missing)
            lines.append(f"{NOT_SUBMITTED}（{len(missing)}人）：{names}")
        if not members and not materials:
            lines.append("还没有人打开链接。")
        lines.append("")
        lines.append(
            "，".join(f"{s.label}{n}" for s, n in tally.items()) + f"，{NOT_SUBMITTED}{len(missing)}"
        )
        if duplicates.pairs:
            lines.append(f"各材料之间有{len(duplicates.pairs)}处雷同，点“雷同比对”查看。")
        rows = grid(rows, 3)
        rows.append(
            [
                Button(Label.DUPLICATES, encode(Flow.DESK, "dup", batch.public_id)),
                Button(Label.SHARE_LINK, encode(Flow.DESK, "link", batch.public_id)),
            ]
        )
        rows.append(
            [
                Button(Label.EXPORT_EXCEL, encode(Flow.DESK, "xlsx", batch.public_id)),
                Button(Label.APPROVED_WORD, encode(Flow.DESK, "zip", batch.public_id)),
            ]
        )
        last = [Button(Label.CHANGE_DUE, encode(Flow.DESK, "due", batch.public_id))]
        if missing and batch.closed_at is None:
            last.insert(
                0,
                Button(Label.NUDGE_MISSING.format(len(missing)), encode(Flow.DESK, "nudge", batch.public_id)),
            )
        rows.append(last)
        rows.append([batch_close.button(batch)])
        found = counted.found  # the counts of versions a stopped process never stored them for
        keep = (lambda again, _: subs.keep_counts(again.session, found)) if found else None
        return [Reply("\n".join(lines), rows, then=keep)]

    return [Deferred(listed)]


async def nudge(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """催交: remind every member who has not handed in, now (or in the next working hours), once a day."""
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    missing = await not_handed_in(ctx.session, batch)
    back = [[_back_to(batch)]]
    if batch.closed_at is not None:
        return [Reply("这个批次已关闭，不再接收材料，无需提醒。", back)]
    if not missing:
        return [Reply("参加本批次的同志都已提交材料。", back)]
    due = earliest_send_time(ctx.now, ctx.settings.reminders, tz=ctx.settings.timezone)
    for member in missing:
        await reminders.ensure(
            ctx.session,
            user_id=member.user_id,
            kind=DUE,
            key=f"desk:{batch.id}:asked-{ctx.today}",
            due_at=due,
        )
    names = "、".join(esc(m.name or f"用户{m.user_id}") for m in missing)
    when = "现在" if due <= ctx.now else "下一个工作时段"
    return [Reply(f"将在{when}提醒{len(missing)}位同志提交材料：{names}。", back)]


async def duplicates_view(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """Each pair side by side: who, where, and both texts; then stock wording."""
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    members = await store.members(ctx.session, batch.id)
    materials = await materials_of(ctx.session, batch)

    def compared() -> list[Reply | FileReply]:  # after the commit: the comparison of every material
        order = list(materials)
        snapshots = [materials[a].snapshot for a in order]
        labels = [desk.item_labels(s) for s in snapshots]
        found = desk.duplicates(desk.units_of(snapshots))
        back = [[_back_to(batch)]]
        if not found.pairs and not found.stock:
            return [Reply("各材料之间没有发现雷同的问题、原因或措施，也没有照搬常见的“万能问题”。", back)]

        def who(unit: desk.Unit) -> str:
            snapshot = snapshots[unit.material]
            name = author_name(snapshot, members, order[unit.material])
            place = labels[unit.material].get(unit.item_id or -1, unit.place or desk.ROLES[unit.role])
            return f"{esc(name)} {esc(place)}"

        blocks = [f"<b>雷同比对</b>：{esc(batch_title(batch))}"]
        if found.pairs:
            blocks.append(f"材料之间相似的条目{len(found.pairs)}对（相似度按字符计算）：")
        for number, pair in enumerate(found.pairs, start=1):
            blocks.append(
                f"\n{number}. {desk.ROLES[pair.left.role]} · 相似{pair.score:.0%}\n"
                f"  【{who(pair.left)}】{esc(pair.left.text)}\n"
                f"  【{who(pair.right)}】{esc(pair.right.text)}"
            )
        if found.stock:
            blocks.append(f"\n与常见“万能问题”表述相近且没有具体事例的{len(found.stock)}条：")
            for hit in found.stock:
                blocks.append(
                    f"· 【{who(hit.unit)}】{preview(hit.unit.text, 60)}\n  常见表述：{esc(hit.stock)}"
                )
        return [Reply("\n".join(blocks), back)]

    return [Deferred(compared)]


# -- one submission (reviewer) ----------------------------------------------------------------------


async def _reviewed(ctx: FlowContext, public_id: str) -> tuple[Submission, ReviewBatch] | None:
    submission = await store.submission_for_reviewer(ctx.session, ctx.user.id, public_id)
    batch = await store.batch_by_id(ctx.session, submission.scope_id) if submission is not None else None
    if submission is None or batch is None:
        ctx.refused("submission")
        return None
    return submission, batch


async def open_submission(ctx: FlowContext, public_id: str, notice: str = "") -> list[Outgoing]:
    found = await _reviewed(ctx, public_id)
    if found is None:
        return [Reply(GONE)]
    submission, batch = found
    materials = await materials_of(ctx.session, batch)
    material = materials.get(submission.subject_id)
    if material is None or material.latest.id != submission.id:
        latest = material.latest if material else submission
        return (
            await open_submission(ctx, latest.public_id, "这份材料已有新版本，下面是最新一版：")
            if latest.id != submission.id
            else [Reply(GONE)]
        )
    snapshot = material.snapshot
    status = material.status
    peers = peers_of(materials, submission.subject_id)
    comments = await subs.comments_on(ctx.session, [submission.id])
    head = [
        notice,
        f"<b>{esc(snapshot.name or '未署名')}</b>"
        + (f"（{esc(snapshot.position)}）" if snapshot.position else "")
        + f" · {esc(batch.unit)}",
        version_line(ctx, submission, status)
        + ("（上传文件）" if submission.source == Source.UPLOAD else ""),
    ]
    since = material.since_return()
    if len(material.versions) > 1:
        head.append(_changes_text(since, desk.item_labels(snapshot)))
        head.extend(await _earlier_comments(ctx, material, since))
    head.append(REVIEWED)

    def review_it(reply: Reply) -> None:  # after the commit: it holds no lock
        text, rest = review_text(review_for_batch(ctx.catalog, batch, snapshot, peers), limit_chars=2200)
        if rest:
            text += f"\n（另有{rest}条意见未列出）"
        reply.html = reply.html.replace(REVIEWED, text)

    if comments:
        head.append(f"\n本版已写批注{len(comments)}条：")
        head.extend(_comment_lines(comments, desk.item_labels(snapshot)))
    rows: list[list[Button]] = []
    if status is Status.SUBMITTED:
        rows.append(
            [
                Button(Label.COMMENT_ITEMS, encode(Flow.DESK, "items", submission.public_id)),
                Button(Label.COMMENT_WHOLE, encode(Flow.DESK, "call", submission.public_id)),
            ]
        )
        rows.append(
            [
                Button(Label.SEND_BACK, encode(Flow.DESK, "ret", submission.public_id)),
                Button(Label.PASS, encode(Flow.DESK, "ok", submission.public_id)),
            ]
        )
    rows.append(
        [
            Button(Label.ORIGINAL, encode(Flow.DESK, "doc", submission.public_id)),
            _back_to(batch),
        ]
    )
    return [Reply("\n".join(line for line in head if line), rows, later=[review_it], heavy=True)]


async def _earlier_comments(ctx: FlowContext, material: Material, since: Sequence[Any]) -> list[str]:
    """The comments of the last return, each with whether its item has been changed since: what a
    reviewer checks first when a material comes back."""
    returned = subs.last_returned(material.versions, material.latest)
    comments = await subs.comments_on(ctx.session, [returned.id]) if returned is not None else []
    if returned is None or not (comments or returned.decision_note):
        return []
    labels = desk.item_labels(Snapshot.of(returned))
    touched = {c.item_id for c in since if c.item_id is not None}
    note = returned.decision_note
    lines = [f"上次退回（第{returned.version}版）的原因：{esc(note)}"] if note else []
    lines += [f"上次退回时的批注（第{returned.version}版）："] if comments else []
    for comment in comments:
        if comment.item_id is None:
            lines.append(f"· 总体意见：{esc(comment.text)}")
            continue
        state = "已修改" if comment.item_id in touched else "未修改"
        where = esc(labels.get(comment.item_id, "该条"))
        lines.append(f"· {where}：{esc(comment.text)}（{state}）")
    return lines


def _changes_text(found: Sequence[Any], labels: dict[int, str]) -> str:
    if not found:
        return "与上次退回的版本相比：没有改动。"
    counts = {kind: sum(1 for c in found if c.kind is kind) for kind in ChangeKind}
    names = {ChangeKind.EDITED: "修改", ChangeKind.ADDED: "新增", ChangeKind.REMOVED: "删除"}
    lines = ["与上次退回的版本相比：" + "，".join(f"{names[k]}{n}处" for k, n in counts.items() if n)]
    for change in found[:8]:
        where = labels.get(change.item_id or -1) or change.section or "正文"
        text = change.new or change.old
        lines.append(f"· {names[change.kind]} {esc(where)}：{preview(text, 40)}")
    if len(found) > 8:
        lines.append(f"· 另有{len(found) - 8}处")
    return "\n".join(lines)


def _comment_lines(comments: Sequence[Any], labels: dict[int, str]) -> list[str]:
    lines = []
    for comment in comments:
        where = labels.get(comment.item_id) if comment.item_id is not None else None
        lines.append(f"· {esc(where) if where else '总体意见'}：{esc(comment.text)}")
    return lines


async def items_to_comment(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    found = await _reviewed(ctx, public_id)
    if found is None:
        return [Reply(GONE)]
    submission, _ = found
    snapshot = Snapshot.of(submission)
    labels = list(desk.item_labels(snapshot).items())[:MAX_ITEM_BUTTONS]
    lines = ["选择要批注的条目（编号见下）："] if labels else []
    lines += [f"{n}. {esc(label)}" for n, (_, label) in enumerate(labels, start=1)]
    running = desk.running_text(snapshot)
    if running:
        lines.append(
            f"{'、'.join(running)}是整段文字，没有分条，不能逐条批注；"
            "对这些部分的意见请点“写总体意见”，并写明是哪一部分。"
        )
    buttons = [
        Button(str(n), encode(Flow.DESK, "c", submission.public_id, item))
        for n, (item, _) in enumerate(labels, start=1)
    ]
    rows = grid([[b] for b in buttons], 8)
    rows.append(
        [
            Button(Label.COMMENT_WHOLE, encode(Flow.DESK, "call", submission.public_id)),
            Button(Label.RETURN, encode(Flow.DESK, "o", submission.public_id)),
        ]
    )
    return [Reply("\n".join(lines), rows)]


async def ask_comment(ctx: FlowContext, public_id: str, item_id: int | None) -> list[Outgoing]:
    found = await _reviewed(ctx, public_id)
    if found is None:
        return [Reply(GONE)]
    submission, _ = found
    if Status.of(submission.status) is not Status.SUBMITTED:
        return await open_submission(ctx, public_id, "这份材料已审核完毕，不能再加批注。")
    snapshot = Snapshot.of(submission)
    if item_id is not None:
        place = snapshot.item(item_id)
        if place is None:
            ctx.refused("item")
            return await open_submission(ctx, public_id)
        where = f"对{esc(desk.item_labels(snapshot).get(item_id, '该条'))}的批注"
        quote = f"\n原文：{esc(place[1].text)}"
    else:
        where, quote = "总体意见", ""
    ctx.ask(Pending(Awaiting.DESK_COMMENT, submission.id, item_id or 0))  # 0: on the whole (ids start at 1)
    return [
        Reply(f"请发送{where}（一条消息）：{quote}", [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])
    ]


async def _comment_text(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    ctx.ask(None)
    submission = await store.submission_by_id_for_reviewer(ctx.session, ctx.user.id, pending.target)
    if submission is None:
        ctx.refused("submission")
        return [Reply(GONE)]
    if Status.of(submission.status) is not Status.SUBMITTED:
        return await open_submission(ctx, submission.public_id, "这份材料已审核完毕，批注没有保存。")
    snapshot = Snapshot.of(submission)
    item = pending.other or None
    place = snapshot.item(item) if item is not None else None
    subs.add_comment(
        ctx.session,
        submission=submission,
        section=place[0].key if place else None,
        item_id=item if place else None,
        text=text,
        author_id=ctx.user.id,
        now=ctx.now,
    )
    where = desk.item_labels(snapshot).get(item or -1, "总体意见") if place else "总体意见"
    rows = [
        [
            Button(Label.COMMENT_MORE, encode(Flow.DESK, "items", submission.public_id)),
            Button(Label.BACK_TO_MATERIAL, encode(Flow.DESK, "o", submission.public_id)),
        ],
        [
            Button(Label.SEND_BACK, encode(Flow.DESK, "ret", submission.public_id)),
            Button(Label.PASS, encode(Flow.DESK, "ok", submission.public_id)),
        ],
    ]
    return [Reply(f"已记下批注（{esc(where)}）。退回时作者会看到。", rows)]


async def cancel(ctx: FlowContext) -> list[Outgoing]:
    pending = ctx.pending
    if pending is not None and pending.awaiting.is_desk:
        ctx.ask(None)
        return [Reply("已取消。")]
    return [Reply("没有需要取消的操作。")]


async def decide(ctx: FlowContext, public_id: str, status: Status) -> list[Outgoing]:
    found = await _reviewed(ctx, public_id)
    if found is None:
        return [Reply(GONE)]
    submission, batch = found
    # The row locked and read afresh: the author handing in again at this moment waits, and then
    # finds it decided (or this finds it superseded).
    await ctx.session.refresh(submission, with_for_update=True)
    if Status.of(submission.status) is not Status.SUBMITTED:
        return await open_submission(ctx, public_id, f"这份材料已是“{Status.of(submission.status).label}”。")
    comments = await subs.comments_on(ctx.session, [submission.id])
    if status is Status.RETURNED:
        return _ask_reason(ctx, submission, len(comments))
    return await _decided(ctx, submission, batch, status, len(comments))


MAX_REASON_CHARS = 300


def _ask_reason(ctx: FlowContext, submission: Submission, comments: int, notice: str = "") -> list[Outgoing]:
    """退回修改: first a short reason, which the author reads in the notice. It may be skipped when
    comments say what to change; without any, the reason is what the author has to go on."""
    ctx.ask(Pending(Awaiting.DESK_RETURN, submission.id))
    pub = submission.public_id
    cancel = Button(Label.CANCEL, encode(Flow.DESK, "o", pub))
    if comments:
        text = f"请用一两句话写明退回原因，作者会在通知里看到；已写的{comments}条批注会一并转给作者。"
        rows = [[Button(Label.RETURN_WITHOUT_REASON, encode(Flow.DESK, "retskip", pub)), cancel]]
    else:
        text = "请用一两句话写明退回原因，作者会在通知里看到。要指出具体条目，可以先对条目写批注。"
        rows = [[Button(Label.COMMENT_ITEMS, encode(Flow.DESK, "items", pub)), cancel]]
    return [Reply(notice + text, rows)]


async def _return_with(ctx: FlowContext, public_id: str, reason: str | None) -> list[Outgoing]:
    """Return the version with its reason (None: 不写原因, which needs a comment), if it still waits."""
    found = await _reviewed(ctx, public_id)
    if found is None:
        return [Reply(GONE)]
    submission, batch = found
    await ctx.session.refresh(submission, with_for_update=True)  # as ``decide`` does
    if Status.of(submission.status) is not Status.SUBMITTED:
        return await open_submission(ctx, public_id, f"这份材料已是“{Status.of(submission.status).label}”。")
    comments = len(await subs.comments_on(ctx.session, [submission.id]))
    if reason is None and not comments:
        return _ask_reason(ctx, submission, comments, "没有批注时，请写明退回原因。")
    if reason is not None and len(reason) > MAX_REASON_CHARS:
        shorter = f"退回原因请简短些（{MAX_REASON_CHARS}字以内），具体意见可以写成批注。"
        return _ask_reason(ctx, submission, comments, shorter)
    return await _decided(ctx, submission, batch, Status.RETURNED, comments, reason)


async def return_without_reason(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    ctx.ask(None)
    return await _return_with(ctx, public_id, None)


async def _decided(
    ctx: FlowContext,
    submission: Submission,
    batch: ReviewBatch,
    status: Status,
    comments: int,
    reason: str | None = None,
) -> list[Outgoing]:
    """Decide, queue the author's notice, and say so."""
    subs.decide(submission, status, by=ctx.user.id, now=ctx.now, note=reason)
    await notices.queue(ctx, notices.DESK, submission.author_id, submission, status, at_once=False)
    name = Snapshot.of(submission).name or "作者"
    done = "已退回修改" if status is Status.RETURNED else "已审核通过"
    extra = "".join(
        f"，{x}" for x in ("附退回原因" if reason else "", f"附批注{comments}条" if comments else "") if x
    )
    text = f"{esc(name)}的材料（第{submission.version}版）{done}{extra}。作者会收到通知。"
    return [Reply(text, [[_back_to(batch)]])]


async def word_file(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    submission = await store.submission_for_reviewer(ctx.session, ctx.user.id, public_id)
    if submission is None:
        submission = await store.submission_of_author(ctx.session, ctx.user.id, public_id)
    if submission is None:
        ctx.refused("submission")
        return [Reply(GONE)]
    snapshot = Snapshot.of(submission)
    name = desk.filename(submission.version, snapshot.name, snapshot.document.title)
    return [
        FileReply(
            name,
            Rendering(desk.docx_of, (submission.snapshot,)),
            f"第{submission.version}版（{Status.of(submission.status).label}）",
        )
    ]


# -- exports ----------------------------------------------------------------------------------------


async def export_xlsx(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    members = await store.members(ctx.session, batch.id)
    materials = await materials_of(ctx.session, batch)

    def exported() -> list[FileReply]:  # after the commit: the comparison of every material
        order = list(materials)
        snapshots = [materials[a].snapshot for a in order]
        duplicates = desk.duplicates(desk.units_of(snapshots))
        rows: list[desk.Row] = []
        counted = counts(ctx.catalog, batch)
        for index, author in enumerate(order):
            latest, snapshot = materials[author].latest, snapshots[index]
            summary = counted.of(latest)
            rows.append(
                desk.Row(
                    name=author_name(snapshot, members, author),
                    position=snapshot.position,
                    status=Status.of(latest.status).label,
                    version=latest.version,
                    submitted=local_time(ctx.settings, latest.submitted_at),
                    decided=local_time(ctx.settings, latest.decided_at),
                    errors=int(summary.get("error", 0)),
                    warnings=int(summary.get("warning", 0)),
                    copied=duplicates.count_for(index),
                    families=dict(summary.get("families", {})),
                )
            )
        for member in members:
            if member.user_id not in materials:
                name = member.name or f"用户{member.user_id}"
                rows.append(desk.Row(name, "", NOT_SUBMITTED, None, None, None, 0, 0, 0, {}))
        title = f"{batch_title(batch)}对照检查材料审核情况"
        content = Rendering(partial(desk.batch_xlsx, title=title), (rows,))  # written in the worker
        filename = f"{_safe(batch_title(batch))}_审核情况.xlsx"
        return [FileReply(filename, content, f"{esc(batch_title(batch))}：{len(rows)}人")]

    return [Deferred(exported)]


async def export_zip(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    batch = await store.batch_for_reviewer(ctx.session, ctx.user.id, public_id)
    if batch is None:
        ctx.refused("batch")
        return [Reply(GONE)]
    materials = await materials_of(ctx.session, batch)
    approved = [m for m in materials.values() if m.status is Status.APPROVED]
    if not approved:
        return [
            Reply(
                "这个批次还没有审核通过的材料。",
                [[_back_to(batch)]],
            )
        ]
    files = [
        (desk.filename(n, m.snapshot.name, m.snapshot.document.title), m.latest.snapshot)
        for n, m in enumerate(approved, start=1)
    ]
    name = f"{_safe(batch_title(batch))}_已通过材料.zip"
    return [
        FileReply(
            name, Rendering(desk.approved_zip, (files,)), f"已审核通过的材料{len(files)}份（规范格式Word）"
        )
    ]


def _safe(text: str) -> str:
    return desk.safe_stem(text).strip("_") or "审核批次"


# -- roles (admins) ---------------------------------------------------------------------------------


async def set_reviewer(ctx: FlowContext, args: Sequence[str], grant: bool) -> list[Outgoing]:
    """``/grant_reviewer ID`` and ``/revoke_reviewer ID``: admins only."""
    from bot.flows.access import is_admin

    if not is_admin(ctx.settings, ctx.user.id):
        return [Reply("这个命令仅供管理员使用。")]
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 15:
        holders = await store.holders(ctx.session)
        listed = "、".join(str(h) for h in holders) or "无"
        return [
            Reply(
                "用法：/grant_reviewer 用户ID 或 /revoke_reviewer 用户ID（用户ID见 /users）。\n"
                f"现有审核人：{listed}"
            )
        ]
    user_id = int(args[0])
    if grant:
        fresh = await store.grant(ctx.session, user_id, ctx.user.id, ctx.now)
        return [Reply(f"已授予用户{user_id}审核人权限。" if fresh else f"用户{user_id}已是审核人。")]
    gone = await store.revoke(ctx.session, user_id)
    return [
        Reply(f"已收回用户{user_id}的审核人权限，其已建批次保留。" if gone else f"用户{user_id}不是审核人。")
    ]

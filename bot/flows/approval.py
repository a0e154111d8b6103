"""审定: the owner hands the team material to the 审定人, who reads it with its review summary,
comments on items (批注, anchored to the item), and approves it or returns it with a word.

Built on the shared submissions (``bot.submissions``, ``storage.submissions``): each hand-in is an
immutable snapshot, version n of the series ``("draft", draft.id, draft.id)``; comments name the
snapshot's item ids, which are the draft's, so the owner sees them at the items as they stand now,
and a resubmission lists what changed since the last return.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot import desk
from bot.callbacks import Flow, encode
from bot.catalog import Catalog
from bot.dates import format_day_month, format_moment
from bot.document import Item
from bot.draftview import DraftView
from bot.flows import notices
from bot.flows.context import FlowContext
from bot.flows.team import GONE, OWNER_ONLY, seat_for
from bot.labels import Label
from bot.pending import Awaiting, Pending
from bot.render import LineKind, OutlineLine
from bot.replies import Button, Outgoing, Reply
from bot.review import Severity
from bot.submission_status import Status
from bot.submissions import ChangeKind, Counts, Snapshot, changes, of_draft, review_snapshot
from bot.team import TeamRole, name_of
from bot.texts import esc, preview
from storage import repo, team
from storage import submissions as store
from storage.models import Answer, Comment, Submission

PAGE_ITEMS = 8
MAX_COMMENT_CHARS = 500
NOT_YOURS = "这份报送材料已无法打开：您不是它的审定人或起草人，或它已被删除。"
_CHANGE = {ChangeKind.ADDED: "新增", ChangeKind.EDITED: "修改", ChangeKind.REMOVED: "删除"}


def _series(draft_id: int) -> store.Series:
    return store.Series("draft", draft_id, draft_id)


def summary_line(summary: dict[str, object]) -> str:
    error, warning = summary.get(Severity.ERROR.value, 0), summary.get(Severity.WARNING.value, 0)
    if not error and not warning:
        return "审核摘要：没有发现必须修改或建议修改的地方。"
    return f"审核摘要：必须修改{error}处，建议修改{warning}处。"


def _counts(catalog: Catalog) -> Counts:
    """The counts a version's summary line gives: of the full review of its snapshot."""
    return Counts(lambda submission: review_snapshot(Snapshot.of(submission), catalog))


def _summed(counts: Counts, submission: Submission, after: str | None = None) -> Callable[[Reply], None]:
    """``Reply.later`` work: the version's summary line, after ``after`` (at the end for None)."""
    return lambda reply: reply.insert(summary_line(counts.of(submission)), after=after)


def _keep(counts: Counts) -> Callable[[FlowContext, Reply], Awaitable[None]]:
    """``Reply.then``: store the counts a review after the commit found."""
    return lambda again, _: store.keep_counts(again.session, counts.found)


async def _approvers(ctx: FlowContext, draft_id: int) -> list[int]:
    return [m.user_id for m in await team.members(ctx.session, draft_id) if m.role == TeamRole.APPROVER]


# -- the owner hands in ---------------------------------------------------------------------------


async def submit(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    approvers = await _approvers(ctx, seat.draft.id)
    back = [[Button("返回班子材料", encode(Flow.TEAM, "board", public_id))]]
    if not approvers:
        return [Reply("还没有审定人。请先在 /team 中点“邀请审定人”，他加入后再报送。", back)]
    view = DraftView.build(ctx.catalog, seat.draft)
    snapshot = of_draft(view)
    submission = await store.submit(
        ctx.session,
        _series(seat.draft.id),
        snapshot,
        author_id=ctx.user.id,
        now=ctx.now,
        public_id=repo.new_public_id(),
        draft_id=seat.draft.id,
    )
    for approver in approvers:
        await notices.queue(ctx, notices.APPROVAL, approver, submission, Status.SUBMITTED, at_once=True)
    # The review behind the summary runs after the commit (it holds no lock), and its counts are then
    # kept with the version, where the 审定人's notice, sent after this reply, finds them.
    counts = _counts(ctx.catalog)
    said = f"已报送审定（第{submission.version}版），审定人审阅后会通知您。"
    if unfinished := snapshot.unfinished("审定人", "再次报送"):
        said += f"\n{unfinished}"
    mine = Reply(
        said,
        back,
        later=[_summed(counts, submission)],
        heavy=True,
        then=_keep(counts),
    )
    return [mine]


async def notice(
    session: AsyncSession, catalog: Catalog, user_id: int, submission: Submission
) -> Reply | None:
    """A notice about a version handed in for 审定 (``bot.flows.notices``), as things stand: to a
    审定人 of the draft that it was handed in, to its author that it was approved or returned."""
    seat = await team.seat_by_id(session, user_id, submission.draft_id) if submission.draft_id else None
    if seat is None or submission.scope != "draft":
        return None
    status = Status.of(submission.status)
    snapshot = Snapshot.of(submission)
    title = esc(snapshot.document.title or "")
    if status is Status.SUBMITTED:
        approver = seat.member.role == TeamRole.APPROVER
        return await _handed_in(session, catalog, submission, snapshot) if approver else None
    if submission.author_id != user_id:
        return None
    comments = await store.comments_on(session, [submission.id])
    if status is Status.APPROVED:  # a 批注 written before approving is still meant to be read
        remarks = sum(c.item_id is not None for c in comments)
        read = f"审定人留了{remarks}条批注，发送 /team 后点“查看批注”查看。" if remarks else ""
        return Reply(f"《{title}》第{submission.version}版已审定通过。{read}发送 /report 生成Word文档。")
    note = next((c.text for c in reversed(comments) if c.item_id is None), "")
    return Reply(
        f"《{title}》第{submission.version}版被退回修改：{esc(note)}\n"
        f"共{sum(c.item_id is not None for c in comments)}条批注，"
        "发送 /team 后点“查看批注”逐条修改，改好后再次报送。"
    )


async def _handed_in(
    session: AsyncSession, catalog: Catalog, submission: Submission, snapshot: Snapshot
) -> Reply:
    """To the 审定人: the version (``snapshot``) with its summary and, after a return, what changed."""
    assert submission.draft_id is not None
    versions = await store.history(session, _series(submission.draft_id))
    returned = store.last_returned(versions, before=submission)
    asked = f"《{esc(snapshot.document.title or '')}》第{submission.version}版已报送审定，请审阅。"
    if unfinished := snapshot.unfinished():  # the owner was told; the 审定人 should not guess
        asked += f"\n{unfinished}"
    since = ""
    if returned is not None:
        changed = _changes_text(Snapshot.of(returned), snapshot)
        since = f"\n\n<b>与第{returned.version}版（退回修改）相比</b>\n{changed}"
    sub = submission.public_id
    rows = [
        [Button("阅读并批注", encode(Flow.APPROVAL, "read", sub, 1))],
        [
            Button("审定通过", encode(Flow.APPROVAL, "ok", sub)),
            Button("退回修改", encode(Flow.APPROVAL, "ret", sub)),
        ],
    ]
    # The counts its hand-in kept or, if a stopped process never stored them, a review before it is
    # sent (in a thread, holding no lock).
    summed = _summed(_counts(catalog), submission, after=asked)
    return Reply(asked + since, rows, later=[summed], heavy=not submission.summary)


def _changes_text(old: Snapshot, new: Snapshot) -> str:
    """What changed, each item named by its place (in the new version, or the old for one removed)."""
    found = changes(old, new)
    if not found:
        return "内容没有变化。"
    places = desk.item_places(old) | desk.item_places(new)
    lines = [
        f"· {_CHANGE[c.kind]}{esc(places.get(c.item_id or 0, ''))}：{preview(c.new or c.old, 50)}"
        for c in found[:15]
    ]
    if len(found) > 15:
        lines.append(f"（另有{len(found) - 15}处）")
    return "\n".join(lines)


# -- the approver reads, comments, decides --------------------------------------------------------


async def _submission_for(ctx: FlowContext, sub_id: str, *roles: TeamRole) -> Submission | None:
    """The submission, if the presser sits on its draft in one of ``roles``."""
    found = await store.by_public_id(ctx.session, sub_id)
    if found is None or found.draft_id is None or found.scope != "draft":
        ctx.refused("submission")
        return None
    seat = await team.seat_by_id(ctx.session, ctx.user.id, found.draft_id)
    if seat is None or TeamRole.of(seat.member.role) not in roles:
        ctx.refused("submission")
        return None
    return found


async def read(ctx: FlowContext, sub_id: str, page: int) -> list[Outgoing]:
    submission = await _submission_for(ctx, sub_id, TeamRole.APPROVER, TeamRole.OWNER)
    if submission is None:
        return [Reply(NOT_YOURS)]
    snapshot = Snapshot.of(submission)
    noted = store.by_item(await store.comments_on(ctx.session, [submission.id]))
    pages = _pages(snapshot)
    page = min(max(page, 1), len(pages))
    lines = [
        f"<b>{esc(snapshot.document.title or '')}</b>（第{submission.version}版，第{page}/{len(pages)}页）"
    ]
    rows: list[list[Button]] = []
    approver = submission.status == Status.SUBMITTED and await _is_approver(ctx, submission)
    for line, place in pages[page - 1]:
        if line.kind is LineKind.HEADING:  # a part's headings together, apart from what precedes
            gap = "" if len(lines) > 1 and lines[-1].lstrip("\n").startswith("<b>") else "\n"
            lines.append(f"{gap}<b>{esc(line.display)}</b>")
            continue
        if len(lines) == 1:  # the preamble, apart from the title (and the summary put after it)
            lines.append("")
        if not isinstance(line.owner, Item):  # the preamble, a list's lead, a part written as text
            lines.append(f"　　{esc(line.text)}")
            continue
        lines.append(esc(line.display))
        lines += [f"　【批注】{esc(c.text)}" for c in noted.get(line.owner.id or 0, [])]
        if approver and line.owner.id is not None:
            label = f"{Label.COMMENT_AT}：{desk.item_place(line, place)}"
            rows.append([Button(label, encode(Flow.APPROVAL, "c", sub_id, line.owner.id))])
    paging = [
        Button(label, encode(Flow.APPROVAL, "read", sub_id, target))
        for label, target in (("上一页", page - 1), ("下一页", page + 1))
        if 1 <= target <= len(pages)
    ]
    if paging:
        rows.append(paging)
    if approver:
        rows.append(
            [
                Button("审定通过", encode(Flow.APPROVAL, "ok", sub_id)),
                Button("退回修改", encode(Flow.APPROVAL, "ret", sub_id)),
            ]
        )
    reply = Reply("\n".join(lines), rows)
    if page == 1:  # the summary heads the version, as in the notice of its hand-in
        counts = _counts(ctx.catalog)
        reply.later.append(_summed(counts, submission, after=lines[0]))
        if not submission.summary:  # a process stopped before storing them: reviewed now, then kept
            reply.heavy, reply.then = True, _keep(counts)
    return [reply]


Placed = tuple[OutlineLine, str]
"""A line of the version as printed, with the numbers of the headings above it (``desk.placed``)."""


def _pages(snapshot: Snapshot) -> list[list[Placed]]:
    """The version as printed, cut into pages of ``PAGE_ITEMS`` items; a heading or a paragraph
    (the preamble, a lead, a part written as text) stands on the page of the item after it, and a
    page opens with the headings it continues under, so every item is read in its place."""
    pages: list[list[Placed]] = [[]]
    above: dict[int, Placed] = {}
    count = 0
    for line, place in desk.placed(snapshot):
        if line.kind in (LineKind.TITLE, LineKind.BYLINE):
            continue
        heading = line.kind is LineKind.HEADING
        if count == PAGE_ITEMS:
            pages.append([h for level, h in above.items() if not heading or level < line.level])
            count = 0
        if heading:
            above = {level: h for level, h in above.items() if level < line.level}
            above[line.level] = (line, place)
        pages[-1].append((line, place))
        count += line.kind is LineKind.ITEM
    return pages


def _page_of(snapshot: Snapshot, item_id: int | None) -> int:
    """The page of the version on which the item stands (the first when it is gone)."""
    ids = [item.id for _, item in snapshot.items()]
    return ids.index(item_id) // PAGE_ITEMS + 1 if item_id in ids else 1


async def _is_approver(ctx: FlowContext, submission: Submission) -> bool:
    assert submission.draft_id is not None
    seat = await team.seat_by_id(ctx.session, ctx.user.id, submission.draft_id)
    return seat is not None and seat.member.role == TeamRole.APPROVER


async def ask_comment(ctx: FlowContext, sub_id: str, item_id: int) -> list[Outgoing]:
    submission = await _submission_for(ctx, sub_id, TeamRole.APPROVER)
    if submission is None:
        return [Reply(NOT_YOURS)]
    snapshot = Snapshot.of(submission)
    found = snapshot.item(item_id)
    if found is None or submission.status != Status.SUBMITTED:
        return [Reply("这一版已审定或已被新版本替代，不能再批注。")]
    ctx.ask(Pending(Awaiting.COMMENT, submission.id, item_id))
    cancel_row = [[Button(Label.CANCEL, encode(Flow.APPROVAL, "xc", sub_id, _page_of(snapshot, item_id)))]]
    where = desk.item_places(snapshot).get(item_id, "这一条")
    return [Reply(f"请发送对{esc(where)}的批注：\n“{preview(found[1].text, 80)}”", cancel_row)]


async def ask_return(ctx: FlowContext, sub_id: str) -> list[Outgoing]:
    submission = await _submission_for(ctx, sub_id, TeamRole.APPROVER)
    if submission is None:
        return [Reply(NOT_YOURS)]
    if submission.status != Status.SUBMITTED:
        return [Reply(f"这一版已是“{Status.of(submission.status).label}”，无需再操作。")]
    ctx.ask(Pending(Awaiting.RETURN_NOTE, submission.id))
    return [Reply("请用一两句话写明退回修改的意见（各条批注会一并转给起草人）。", _cancel_row(sub_id))]


async def return_instead(ctx: FlowContext, pending: Pending) -> list[Outgoing]:
    """退回修改 typed while a 批注 was asked for: the 审定人 means to return the version, so the
    return's question replaces the 批注's (nothing is recorded until its note comes)."""
    submission = await ctx.session.get(Submission, pending.target)
    return await ask_return(ctx, submission.public_id) if submission is not None else [Reply(NOT_YOURS)]


def _cancel_row(sub_id: str) -> list[list[Button]]:
    return [[Button(Label.CANCEL, encode(Flow.APPROVAL, "x", sub_id))]]


async def cancel(ctx: FlowContext, sub_id: str, page: int = 1) -> list[Outgoing]:
    """The 审定人 changed his mind about a 批注 or a return: nothing is recorded (the button closed
    the question, as any other does), back to the version: at the page of the item he was about to
    comment on, else the first."""
    replies = await read(ctx, sub_id, page)
    first = replies[0]
    if isinstance(first, Reply):
        first.insert("已取消，没有记录。", after="")
    return replies


async def approve(ctx: FlowContext, sub_id: str) -> list[Outgoing]:
    submission = await _submission_for(ctx, sub_id, TeamRole.APPROVER)
    if submission is None:
        return [Reply(NOT_YOURS)]
    # Locked and read afresh: the owner handing in again at this moment waits, then finds it decided
    # (or this finds it superseded); the two users' own row locks do not meet.
    await ctx.session.refresh(submission, with_for_update=True)
    if submission.status != Status.SUBMITTED:
        return [Reply(f"这一版已是“{Status.of(submission.status).label}”，无需再操作。")]
    await _decide(ctx, submission, Status.APPROVED)
    return [Reply(f"已审定通过第{submission.version}版，已通知起草人。")]


async def _decide(ctx: FlowContext, submission: Submission, status: Status) -> None:
    """Approve or return the version, and tell its author."""
    store.decide(submission, status, by=ctx.user.id, now=ctx.now)
    if submission.author_id:
        await notices.queue(ctx, notices.APPROVAL, submission.author_id, submission, status, at_once=True)


async def on_question(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    """A 批注 on an item, or the word a return comes with."""
    ctx.ask(None)
    submission = await ctx.session.get(
        Submission, pending.target, with_for_update=True, populate_existing=True
    )
    if submission is None or not await _is_approver(ctx, submission) or submission.status != Status.SUBMITTED:
        return [Reply("这一版已审定或已被新版本替代，刚才的内容未记录。")]
    note = text[:MAX_COMMENT_CHARS]
    if pending.awaiting is Awaiting.COMMENT:
        snapshot = Snapshot.of(submission)
        found = snapshot.item(pending.other)
        section = found[0].key if found else None
        store.add_comment(
            ctx.session, text=note, author_id=ctx.user.id, now=ctx.now, submission=submission,
            section=section, item_id=pending.other,
        )  # fmt: skip
        return await read(ctx, submission.public_id, _page_of(snapshot, pending.other))
    store.add_comment(ctx.session, text=note, author_id=ctx.user.id, now=ctx.now, submission=submission)
    await _decide(ctx, submission, Status.RETURNED)
    return [Reply(f"已退回第{submission.version}版，已通知起草人。")]


# -- the owner sees the comments at the items, and the history ------------------------------------


async def notes(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    """The latest decision's comments, each at its item as the item reads now."""
    seat = await seat_for(ctx, public_id, TeamRole.OWNER)
    if seat is None:
        return [Reply(OWNER_ONLY)]
    versions = await store.history(ctx.session, _series(seat.draft.id))
    back = [[Button("返回班子材料", encode(Flow.TEAM, "board", public_id))]]
    if not versions:
        return [Reply("还没有报送过审定。", back)]
    latest = versions[-1]
    comments = await store.comments_on(ctx.session, [latest.id])
    current = {a.id: a for a in seat.draft.answers}
    snapshot = Snapshot.of(latest)
    lines = [f"<b>第{latest.version}版的批注</b>（{Status.of(latest.status).label}）"]
    lines += _comment_lines(comments, current, snapshot)
    if not comments:
        lines.append("没有批注。")
    if latest.status == Status.RETURNED:
        now = of_draft(DraftView.build(ctx.catalog, seat.draft))
        lines += ["", "<b>退回以来的修改</b>", _changes_text(snapshot, now)]
        back.insert(0, [Button("再次报送审定", encode(Flow.APPROVAL, "submit", public_id))])
    return [Reply("\n".join(lines), back)]


def _comment_lines(comments: list[Comment], current: dict[int, Answer], snapshot: Snapshot) -> list[str]:
    """Each comment at its item as the item reads now, named by its place in the version commented."""
    places = desk.item_places(snapshot)
    lines = []
    for comment in comments:
        if comment.item_id is None:
            lines.append(f"· 总体意见：{esc(comment.text)}")
            continue
        answer = current.get(comment.item_id)
        found = snapshot.item(comment.item_id)
        text = answer.text if answer else (found[1].text if found else "（这一条已删除）")
        where = esc(places.get(comment.item_id, ""))
        lines.append(f"· {where}“{preview(text, 50)}”\n　【批注】{esc(comment.text)}")
    return lines


async def history(ctx: FlowContext, public_id: str) -> list[Outgoing]:
    seat = await seat_for(ctx, public_id)
    if seat is None:
        return [Reply(GONE)]
    versions = await store.history(ctx.session, _series(seat.draft.id))
    names = {m.user_id: name_of(m) for m in await team.members(ctx.session, seat.draft.id)}
    lines = ["<b>报送审定记录</b>"]
    for version in versions:
        when = format_moment(version.submitted_at.astimezone(ctx.settings.tz))
        decided = ""
        if version.decided_at is not None:
            who = names.get(version.decided_by or 0, "审定人")
            decided = f"（{esc(who)}，{format_day_month(version.decided_at.astimezone(ctx.settings.tz))}）"
        lines.append(f"第{version.version}版：{when}报送，{Status.of(version.status).label}{decided}")
    if not versions:
        lines.append("还没有报送过审定。")
    return [Reply("\n".join(lines), [[Button("返回班子材料", encode(Flow.TEAM, "board", public_id))]])]

"""Confirming or changing which measure addresses which problem, with buttons.

The table is short (one line a problem) so it fits one message above the deadline question; the
editor is one problem at a time, measures as toggle buttons.
"""

from __future__ import annotations

from bot import links, steps
from bot.callbacks import Callback, Flow, encode
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.formats import ExportFormat
from bot.labels import Label
from bot.links import MAX_PROBLEMS_SHOWN, Follows, table
from bot.replies import Button, Outgoing, Reply
from bot.texts import preview
from storage import repo


async def on_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    view, stale = await _view_of(ctx, callback.text(0))
    if view is None:
        return stale
    action, follows = links.route(callback)
    if action == "ok":
        return await confirm(ctx, view, follows)
    if action == "p":
        return [_problem_editor(view, callback.number(1), follows)]
    if action == "t":
        problem_id = callback.number(1)
        if not links.toggle(view, problem_id, callback.number(2)):
            return [editor(view, "这条问题或措施已不在材料中，请重新选择。", follows)]
        return [_problem_editor(view, problem_id, follows)]
    if action == "done":
        links.confirm(view)
        return await _back_to_step(ctx, view, "问题与措施的对应已保存。", follows)
    return [editor(view, follows=follows)]


async def _view_of(ctx: FlowContext, public_id: str) -> tuple[DraftView | None, list[Outgoing]]:
    """The draft a table's button names: the one being written, or another of the user's own (from
    /deadlines, which lists the measures of all of them), whose table is read and changed where it
    is, without opening the draft."""
    active = await ctx.active_draft()
    if active is None or active.public_id != public_id:
        other = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
        if other is not None:
            return await ctx.view(other), []
    return await ctx.button_view(public_id)


async def confirm(ctx: FlowContext, view: DraftView, follows: Follows | None = None) -> list[Outgoing]:
    """The proposed pairing of problems and measures accepted as it stands."""
    links.confirm(view)
    return await _back_to_step(ctx, view, "已确认问题与措施的对应。", follows)


async def _back_to_step(
    ctx: FlowContext, view: DraftView, notice: str, follows: Follows | None = None
) -> list[Outgoing]:
    """Where the user was: the deadline question and the overview of the draft being written carry
    the table; elsewhere (another step, another draft's table from /deadlines) the table alone.
    Changed from the note under a file following the links, the reply offers that file again: the
    one the user holds was made from the pairing before."""
    if note := links.unlinked_note(view):
        notice += f"\n{note}"
    again = _again(view, follows) if follows else None
    if again:
        notice += f"\n{again[0]}"
    notice = f"{notice}\n\n{table(view)}"
    writing = view.draft.id == ctx.user.active_draft_id
    if writing and view.draft.cursor in (steps.DEADLINES, steps.SUMMARY):
        reply = await ctx.prompt(view, notice)
    else:
        reply = Reply(notice, [links.buttons(view, follows)])
    if again:
        reply.buttons.insert(0, [again[1]])
    return [reply]


def _again(view: DraftView, follows: Follows) -> tuple[str, Button]:
    """Why to have the file again, and the button that makes it anew from the pairing as it is."""
    pub = view.draft.public_id
    if follows is Follows.LEDGER:
        label, made, anew = Label.LEDGER_AGAIN, "导出的整改台账", "得到更新后的台账"
        data = encode(Flow.REPORT, ExportFormat.XLSX, pub)
    else:
        label, made, anew = Label.REPORT_AGAIN, "生成的整改落实情况报告", "按现在的对应重新生成"
        data = encode(Flow.FOLLOW_UP, "reportof", pub)
    return f"刚才{made}还是按原来的对应，点“{label}”即可{anew}。", Button(label, data)


def editor(view: DraftView, notice: str = "", follows: Follows | None = None) -> Reply:
    """The pairing editor: a button for each problem, whose measures are toggled on its page."""
    pub = view.draft.public_id
    rows = [
        [Button(f"问题{p.number}：{p.headline[:14]}", links.data("p", pub, p.answer.id, follows=follows))]
        for p in links.problems(view)[:MAX_PROBLEMS_SHOWN]
    ]
    rows.append([Button(Label.FINISHED, links.data("done", pub, follows=follows))])
    text = "请选择要调整的问题，再勾选它对应的整改措施（可多选）。"
    return Reply("\n\n".join(x for x in (notice, table(view), text) if x), rows)


def _problem_editor(view: DraftView, problem_id: int, follows: Follows | None) -> Reply:
    pub = view.draft.public_id
    problem = next((p for p in links.problems(view) if p.answer.id == problem_id), None)
    if problem is None:
        return editor(view, "这条问题已不在材料中，请重新选择。", follows)
    chosen = links.measures_of_problem(links.current(view), problem_id)
    rows = [
        [
            Button(
                f"{'✓ ' if m.id in chosen else ''}措施{n}：{a.text[:14]}",
                links.data("t", pub, problem_id, m.id, follows=follows),
            )
        ]
        for n, (a, m) in enumerate(view.measures(), start=1)
    ]
    back = Button(Label.BACK_TO_PROBLEMS, links.data("edit", pub, follows=follows))
    rows.append([back, Button(Label.FINISHED, links.data("done", pub, follows=follows))])
    hint = "点措施可勾选或取消，带 ✓ 的是已对应的措施。"
    text = f"问题{problem.number}：{preview(problem.answer.text, 80)}\n{hint}"
    return Reply(text, rows)

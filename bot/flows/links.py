"""Confirming or changing which measure addresses which problem, with buttons.

The table is short (one line a problem) so it fits one message above the deadline question; the
editor is one problem at a time, measures as toggle buttons.
"""

from __future__ import annotations

from bot import links, steps
from bot.callbacks import Callback, Flow, encode
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.links import MAX_PROBLEMS_SHOWN, table
from bot.replies import Button, Outgoing, Reply
from bot.texts import preview
from storage import repo


async def on_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    view, stale = await _view_of(ctx, callback.text(0))
    if view is None:
        return stale
    if callback.action == "ok":
        return await confirm(ctx, view)
    if callback.action == "p":
        return [_problem_editor(view, callback.number(1))]
    if callback.action == "t":
        problem_id = callback.number(1)
        if not links.toggle(view, problem_id, callback.number(2)):
            return [editor(view, "这条问题或措施已不在材料中，请重新选择。")]
        return [_problem_editor(view, problem_id)]
    if callback.action == "done":
        links.confirm(view)
        return await _back_to_step(ctx, view, "问题与措施的对应已保存。")
    return [editor(view)]


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


async def confirm(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    """The proposed pairing of problems and measures accepted as it stands."""
    links.confirm(view)
    return await _back_to_step(ctx, view, "已确认问题与措施的对应。")


async def _back_to_step(ctx: FlowContext, view: DraftView, notice: str) -> list[Outgoing]:
    """Where the user was: the deadline question and the overview of the draft being written carry
    the table; elsewhere (another step, another draft's table from /deadlines) the table alone."""
    if note := links.unlinked_note(view):
        notice += f"\n{note}"
    notice = f"{notice}\n\n{table(view)}"
    writing = view.draft.id == ctx.user.active_draft_id
    if writing and view.draft.cursor in (steps.DEADLINES, steps.SUMMARY):
        return [await ctx.prompt(view, notice)]
    return [Reply(notice, [links.buttons(view)])]


def editor(view: DraftView, notice: str = "") -> Reply:
    """The pairing editor: a button for each problem, whose measures are toggled on its page."""
    pub = view.draft.public_id
    rows = [
        [Button(f"问题{p.number}：{p.headline[:14]}", encode(Flow.LINKS, "p", pub, p.answer.id))]
        for p in links.problems(view)[:MAX_PROBLEMS_SHOWN]
    ]
    rows.append([Button(Label.FINISHED, encode(Flow.LINKS, "done", pub))])
    text = "请选择要调整的问题，再勾选它对应的整改措施（可多选）。"
    return Reply("\n\n".join(x for x in (notice, table(view), text) if x), rows)


def _problem_editor(view: DraftView, problem_id: int) -> Reply:
    pub = view.draft.public_id
    problem = next((p for p in links.problems(view) if p.answer.id == problem_id), None)
    if problem is None:
        return editor(view, "这条问题已不在材料中，请重新选择。")
    chosen = links.measures_of_problem(links.current(view), problem_id)
    rows = [
        [
            Button(
                f"{'✓ ' if m.id in chosen else ''}措施{n}：{a.text[:14]}",
                encode(Flow.LINKS, "t", pub, problem_id, m.id),
            )
        ]
        for n, (a, m) in enumerate(view.measures(), start=1)
    ]
    back = Button(Label.BACK_TO_PROBLEMS, encode(Flow.LINKS, "edit", pub))
    rows.append([back, Button(Label.FINISHED, encode(Flow.LINKS, "done", pub))])
    hint = "点措施可勾选或取消，带 ✓ 的是已对应的措施。"
    text = f"问题{problem.number}：{preview(problem.answer.text, 80)}\n{hint}"
    return Reply(text, rows)

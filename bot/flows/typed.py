"""A button's label sent as a text message (``bot.labels.typed``): what the user meant, never material.

Someone who types “填写完毕” wants the list finished, not a problem item reading 填写完毕. So where the
screen the user is on offers that button and pressing it loses nothing (finish a list, skip an
optional part, go back, close a question), the message does what the button does. Otherwise nothing
is stored and the current step, or the open question, is shown again with its buttons: undoing an
item stays a deliberate tap, and a label from another screen (仍然生成 under an old report) is
answered with where the user is now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import prompts, steps
from bot.callbacks import Flow, encode
from bot.draftview import DraftView
from bot.flows import approval, deadline_step, desk, drafting, followup, handin, home, items, report, setup
from bot.flows import links as links_flow
from bot.flows import team as team_flow
from bot.flows.context import NO_DRAFT, FlowContext
from bot.formats import ExportFormat
from bot.labels import NAMED, Label, typed
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.steps import Step
from bot.texts import esc
from storage import team

StepAction = Callable[[FlowContext, DraftView, Step], Awaitable[list[Outgoing]]]


async def _skip(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    if step.meta_field:
        return await setup.set_meta(ctx, view, step.meta_field, None)
    return await drafting.skip(ctx, view, step)


async def _back(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    previous = view.neighbour(step, -1)
    return await ctx.move(view, previous) if previous is not None else [await ctx.prompt(view)]


async def _example(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return [prompts.example_reply(view, step)]


async def _manage(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return [prompts.manage_prompt(view, step)]


async def _paste(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await setup.start_paste(ctx, view)


async def _no_date(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await setup.skip_date(ctx, view)


async def _later(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await deadline_step.later(ctx, view)


async def _full_text(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return [prompts.full_text_page(view, 1)]


async def _jump_menu(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return [prompts.jump_menu(view)]


async def _word(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await report.send(ctx, ExportFormat.DOCX, view.draft.public_id)


async def _deadlines(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await ctx.move(view, view.step(steps.DEADLINES))


async def _confirm_links(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return await links_flow.confirm(ctx, view)


async def _edit_links(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    return [links_flow.editor(view)]


STEP_ACTIONS: dict[Label, StepAction] = {
    Label.FINISH_ASPECT: drafting.finish,
    Label.FINISH_PART: drafting.finish,
    Label.FINISHED: drafting.finish,
    Label.KEEP: drafting.keep,
    Label.SKIP_PART: _skip,
    Label.SKIP: _skip,
    Label.BACK: _back,
    Label.EXAMPLE: _example,
    Label.MANAGE: _manage,
    Label.PASTE_ASPECTS: _paste,
    Label.NO_DATE: _no_date,
    Label.LATER: _later,
    Label.FULL_TEXT: _full_text,
    Label.EDIT_PART: _jump_menu,
    Label.GENERATE_WORD: _word,
    Label.SET_DEADLINES: _deadlines,
    Label.LINKS_CONFIRM: _confirm_links,
    Label.LINKS_EDIT: _edit_links,
    Label.LINKS_VIEW: _edit_links,
}
"""What a typed label does at a step whose screen shows a button with the same action. Labels that
are not here (撤销最后一条, a confirmation) are never done by typing."""
ANYWHERE = frozenset({Label.GENERATE_WORD, Label.FULL_TEXT})
"""Labels whose action a draft has at every step, as /report and /status have it: typed (生成Word文档
remembered from the overview while the deadlines are asked), they are done wherever the user is,
and he then answers the step as before."""

LEAVE_QUESTION = frozenset(
    {
        Label.CANCEL,
        Label.RETURN,
        Label.BACK_TO_LIST,
        Label.BACK_TO_WRITING,
        Label.BACK_TO_TEAM,
        Label.SKIP_TO_TEAM,
    }
)
"""Typed while a question is open: the user wants out of it, as its 取消 (返回) button does."""
SKIPPABLE = frozenset({Awaiting.EVIDENCE, Awaiting.MEMBER_NAME})
"""Questions whose way out is 跳过."""
JOINING = frozenset({Label.JOIN_MEMBER, Label.JOIN_APPROVER, Label.JOIN_WITH_STATUS})
"""An invitation's buttons: the invitation is the message they are under, which only a press names."""
ON_A_MEASURE = frozenset({Label.DONE, Label.PROGRESS, Label.POSTPONE, Label.SET_DEADLINE, Label.SIGN_OFF})
"""The buttons of one measure's card (and of its reminders): typed, they name no measure."""

BESIDE_EACH_FINDING = (
    f"审核意见中每条意见旁各有一个“{Label.GO_TO_PLACE}”按钮，请点要修改的那条意见旁的按钮；"
    "审核意见找不到了，可以再发送 /check。"
)
"""去修改 typed: /check shows it beside each finding, so the words alone do not say which. The reply
has no buttons of its own, so the review's stay the last ones shown."""
BESIDE_EACH_PROPOSAL_LABELS = frozenset({Label.ACCEPT_NTH, Label.ACCEPT_EDITED, Label.MERGE, Label.DECLINE})
BESIDE_EACH_PROPOSAL = (
    f"班子成员的建议和征求的意见在“待处理的建议和意见”中逐条列出，每条旁各有“采纳”“{Label.ACCEPT_EDITED}”"
    f"“{Label.MERGE}”“{Label.DECLINE}”按钮，请点要处理的那条旁的按钮。列表找不到了，可以发送 /team，"
    "在班子材料页面点“处理建议”。"
)
"""The decisions on a proposal typed (不采纳, 合并): the list shows them beside each proposal, so the
words alone do not say which (nor does its number, once one decided renumbers the list). As for
去修改, the reply has no buttons, so the list's stay the last ones shown."""


FAIR_ANSWERS: dict[Awaiting, frozenset[Label]] = {
    Awaiting.COMPLETION: frozenset({Label.DONE, Label.FINISHED}),
    Awaiting.PROGRESS: frozenset({Label.DONE, Label.FINISHED}),
    **dict.fromkeys(
        (Awaiting.COMMENT, Awaiting.RETURN_NOTE, Awaiting.DESK_COMMENT, Awaiting.DESK_RETURN),
        frozenset({Label.COMMENT_AT}),
    ),
}
"""Labels that also answer a question in their own words: “已完成” is a 完成情况, if a short one, and
“批注：请补充具体事例” a 批注."""


def _not_stored(text: str, what: str = "记入材料") -> str:
    return f"“{esc(text)}”没有{what}。"


def _on_screen(reply: Reply) -> set[StepAction]:
    """The actions of the buttons the user sees on the step's screen."""
    shown = (typed(button.label) for row in reply.buttons for button in row)
    return {STEP_ACTIONS[label] for label in shown if label in STEP_ACTIONS}


async def answer(ctx: FlowContext, label: Label, text: str) -> list[Outgoing] | None:
    """Answer a message (``text``) that is only a button's label: do what the button does, or show
    where the user is; ``None`` when the label is a fair answer to the open question, to be taken as
    text."""
    if label is Label.HAND_IN_UPLOAD:  # a file's button, typed: whatever question is open stays so
        return await handin.typed_hand_in(ctx)
    pending = ctx.pending
    if pending is not None and pending.awaiting is Awaiting.MEETING_DATE:
        return await _date_asked(ctx, label, text)
    if pending is not None:
        fair = label in FAIR_ANSWERS.get(pending.awaiting, frozenset())
        return None if fair else await _question(ctx, pending, label, _not_stored(text, "作为回答记下"))
    if label in JOINING:
        return [Reply(f"{_not_stored(text)}要加入班子材料，请点邀请消息下面的“接受”按钮。")]
    if label is Label.GO_TO_PLACE:
        return [Reply(f"{_not_stored(text)}{BESIDE_EACH_FINDING}")]
    if label in BESIDE_EACH_PROPOSAL_LABELS:
        return [Reply(f"{_not_stored(text)}{BESIDE_EACH_PROPOSAL}")]
    if label in ON_A_MEASURE:
        hint = f"“{label}”要在某一条整改措施下点：请点“{Label.OPEN_DEADLINES}”，在那条措施旁点“办理”。"
        return [Reply(f"{_not_stored(text)}{hint}", [[followup.list_button()]])]
    view = await ctx.view()
    if view is None:
        return await home.paused(ctx, label, _not_stored(text))
    step = view.step()
    screen = await ctx.prompt(view)
    action = STEP_ACTIONS.get(label)
    if action is not None and (label in ANYWHERE or action in _on_screen(screen)):
        return await action(ctx, view, step)
    name = esc(text.strip()) if "{}" in label or label in NAMED else label  # with its number: as typed
    if any(typed(button.label) is label for row in screen.buttons for button in row):
        hint = f"要执行这项操作，请点下面的“{name}”按钮。"
    else:
        hint = f"这一步没有“{name}”这项操作，请按下面的提示回答，或点下面的按钮。"
    screen.insert(f"{_not_stored(text)}{hint}", after="")
    return [screen]


async def _date_asked(ctx: FlowContext, label: Label, text: str) -> list[Outgoing]:
    """A label typed while a far-off meeting date is asked back: 暂不确定 does what its button does;
    anything else (跳过) leaves the question, with the date typed, where it was."""
    view = await ctx.view()
    if view is None or ctx.asked_date(view) is None:
        ctx.ask(None)
        return [await ctx.prompt(view)] if view is not None else [Reply(NO_DRAFT)]
    if label is Label.NO_DATE:
        return await setup.skip_date(ctx, view)
    how = f"日期无误请点“确认”；还没定的话请点“{Label.NO_DATE}”；写错了请重新发送。"
    return [await ctx.prompt(view, f"{_not_stored(text, '作为回答记下')}{how}")]


async def _question(ctx: FlowContext, pending: Pending, label: Label, notice: str) -> list[Outgoing]:
    """A label typed while a question waits for text: leave it if that is what the label says,
    else ask it again after ``notice``; the question stays open and nothing is stored."""
    leaving = label in LEAVE_QUESTION or (label is Label.SKIP and pending.awaiting in SKIPPABLE)
    if pending.awaiting is Awaiting.COMMENT and label is Label.SEND_BACK:
        return await approval.return_instead(ctx, pending)
    if pending.awaiting is Awaiting.NEW_KIND:
        if leaving:
            ctx.ask(None)
            view = await ctx.view()
            return [await ctx.prompt(view, "已取消新建。")] if view is not None else [Reply("已取消新建。")]
        return await setup.kind_asked_again(ctx, pending, notice)
    if pending.awaiting.is_team:
        return await _team_question(ctx, pending, leaving, notice)
    if pending.awaiting.is_item:
        return await items.cancel(ctx, pending) if leaving else await items.ask_again(ctx, pending, notice)
    if pending.awaiting.is_desk:
        if leaving:
            return await desk.cancel(ctx)
        again = "请按上面的提示直接发送内容，或点“取消”。"
        return [Reply(f"{notice}{again}", [[Button(Label.CANCEL, encode(Flow.DESK, "cancel"))]])]
    if leaving:
        return await followup.cancel(ctx)
    return await followup.ask_again(ctx, pending, notice)


async def _team_question(ctx: FlowContext, pending: Pending, leaving: bool, notice: str) -> list[Outgoing]:
    """A team draft's question: back to the board (which closes it), or the question stays open,
    with the button back to the board when it takes the team draft's text (name, problems, opinions);
    a proposal's or a version's question has its message and buttons just above."""
    if leaving:
        return await team_flow.board_command(ctx)
    if not pending.awaiting.is_about_team_draft:
        return [Reply(f"{notice}请按上面的提示直接发送内容，或点上面消息中的按钮。")]
    seat = await team.seat_by_id(ctx.session, ctx.user.id, pending.target)
    if seat is None:
        ctx.ask(None)
        return [Reply(f"{notice}\n{team_flow.GONE}")]
    button = Button(Label.BACK_TO_TEAM, encode(Flow.TEAM, "board", seat.draft.public_id))
    return [Reply(f"{notice}请按上面的提示直接发送内容，或点下面的按钮回到班子材料。", [[button]])]

"""Following up rectification measures: reminder messages, their buttons, and /deadlines.

Answers to the questions a reminder button asks (完成情况, evidence, a new deadline, progress)
arrive as ordinary text; ``user.pending`` says which question is open, so this state lives in the
database like everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot import itemcheck, links, owners
from bot.callbacks import Flow, encode
from bot.catalog import Catalog, OwnerQuestion
from bot.dates import Examples, format_date, year_of_meeting
from bot.deadlines.parse import (
    Deadline,
    DeadlineProblem,
    Ongoing,
    describe,
    format_day,
    parse_cadence,
    parse_deadline,
    postponed,
)
from bot.document import SectionRole
from bot.draftview import DraftView
from bot.flows import measures, team_leaders
from bot.flows.context import FlowContext
from bot.formats.export import SIGNED_OFF, deadline_words, history_of, is_done, ledger_rows, problem_groups
from bot.labels import Label
from bot.measure_status import MeasureStatus, status_of
from bot.pending import Awaiting, Pending
from bot.render.ledger import CHANGE_ARROW, IMMEDIATE_PREFIX, ONGOING_PREFIX, LedgerRow
from bot.replies import Button, Outgoing, Reply
from bot.texts import esc, preview, quoted, shorten
from storage import repo, team
from storage.models import LEAD_POSITION, Answer, AnswerRole, Draft, Measure

DONE = MeasureStatus.DONE

PROMPTS = {
    Awaiting.COMPLETION: "好的。请用一句话写明完成情况，例如：已制定学习计划，完成3次专题研讨。",
    Awaiting.EVIDENCE: "如有佐证材料，请简要写明（如会议记录、学习笔记、制度文件）；没有的话点“跳过”。",
    # a date with its year: "6月30日前" late in the year is already past
    Awaiting.POSTPONE: "请发送新的整改时限，例如：{example}。",
    Awaiting.DEADLINE: (
        "这项措施还没有设定整改时限。请发送整改时限，例如：{example}、立行立改、长期坚持（每季度）。"
    ),
    Awaiting.CADENCE: "这是长期坚持的事项，没有截止日期可延。请发送新的回顾频次，例如：每半年、每两个月。",
    Awaiting.REASON: "请简要说明{what}原因，会记入整改台账。",
    Awaiting.PROGRESS: "请用一两句话写明目前的整改进展。",
}
# Optional questions, asked after what they explain was recorded: 跳过 leaves them out.
SKIPPABLE = frozenset({Awaiting.EVIDENCE, Awaiting.REASON})
# The buttons under a reminder start these questions.
BUTTON_QUESTIONS = {"done": Awaiting.COMPLETION, "progress": Awaiting.PROGRESS, "postpone": Awaiting.POSTPONE}


def due_label(measure: Measure) -> str:
    """The deadline as the reminders and the ledger's 延期记录 show it (read back by the report, and
    as the ledger's 原定时限 by ``export.stored_deadline``)."""
    if measure.deadline_kind == "ongoing":
        cadence = measures.cadence_of(measure)
        return f"{ONGOING_PREFIX}{cadence.label if cadence else '定期'}回顾"
    if measure.deadline_date is None:
        return "未设时限"
    prefix = IMMEDIATE_PREFIX if measure.deadline_kind == "immediate" else ""
    return f"{prefix}{format_day(measure.deadline_date)}前"


def measure_buttons(measure: Measure) -> list[list[Button]]:
    """已完成, 报告进展, and 申请延期 — or 设定时限 where there is no deadline to postpone yet."""
    postpone = Label.SET_DEADLINE if _unset(measure) else Label.POSTPONE
    return [
        [
            Button(Label.DONE, encode(Flow.FOLLOW_UP, "done", measure.id)),
            Button(Label.PROGRESS, encode(Flow.FOLLOW_UP, "progress", measure.id)),
            Button(postpone, encode(Flow.FOLLOW_UP, "postpone", measure.id)),
        ]
    ]


def _unset(measure: Measure) -> bool:
    """No deadline was set (the question was left for later): a date now is its first, no 延期."""
    return measure.deadline_date is None and measure.deadline_kind != "ongoing"


def overdue_lead(days: int) -> str:
    """Firmer as an item stays overdue: a note, then a request, then a request for a decision."""
    if days <= 7:
        return "这项整改已过时限"
    if days <= 30:
        return f"这项整改已逾期{days}天，请抓紧办理"
    return f"这项整改已逾期{days}天，请尽快完成，确需延期的请申请延期并说明原因"


def _overdue_hint(days: int) -> str:
    """The line under the deadline: what ``overdue_lead`` has not said yet (the days, what to press)."""
    if days <= 7:
        return f"已超过{days}天，完成了请点“已完成”，需要延期请说明原因。"
    return "完成了请点“已完成”，需要延期请点“申请延期”并说明原因。" if days <= 30 else ""


def reminder_reply(
    kind: str, measure: Measure, answer: Answer, draft_title: str, today: date, owner: str | None = None
) -> Reply:
    """The message a planned reminder sends, with buttons to act on the measure at once; ``owner``
    is who answers for it, where the kind shows that (``owner_lines``)."""
    if measure.deadline_date is not None and kind != "review":
        lead = _date_lead(kind, (measure.deadline_date - today).days)
    else:
        lead = "长期坚持的整改事项，到了定期回顾的时候" if kind == "review" else "整改提醒"
    lines = [
        f"<b>{lead}</b>",
        f"《{esc(draft_title)}》",
        f"措施：{preview(answer.text, 80)}",
        f"时限：{due_label(measure)}",
        *([esc(owner)] if owner else []),
    ]
    if measure.deadline_date and measure.deadline_kind != "ongoing":
        days = (measure.deadline_date - today).days
        if days > 0:
            lines.append(f"还有{days}天。")
        elif days < 0 and (hint := _overdue_hint(-days)):
            lines.append(hint)
    lines.append(f"状态：{esc(measure.status)}")
    return Reply("\n".join(lines), measure_buttons(measure))


async def owner_lines(
    session: AsyncSession, catalog: Catalog, found: Iterable[tuple[Measure, Draft]]
) -> dict[int, str]:
    """By measure id, who answers for it as /deadlines, its card and its reminders show it, where
    its kind shows that (``bot.owners.shown``: a 党支部班子's 支委, a 领导班子's 责任领导 and 责任部门,
    a leader picked from the team by the name the ledger gives him); plain text."""
    found = list(found)
    leaders = await team.leader_names(session, {d.id for _, d in found})
    lines: dict[int, str] = {}
    for measure, draft in found:
        kind = catalog.kinds.get(draft.kind or "")
        question = kind.measure_owner if kind is not None else OwnerQuestion.NONE
        if (line := owners.shown(question, measure.owner, leaders.get(measure.id, ""))) is not None:
            lines[measure.id] = line
    return lines


def _date_lead(kind: str, days: int) -> str:
    """What a dated reminder says first, by the day it goes out: a due date on a holiday is reminded
    on the last working day before it, a reminder held up by downtime arrives after the date."""
    if days < 0:
        return overdue_lead(-days)
    if days == 0:
        return "今天是整改时限"
    return "今天是整改时限前的最后一个工作日" if kind == "due_today" else "整改时限临近"


async def start_action(ctx: FlowContext, action: str, measure_id: int) -> list[Outgoing]:
    found = await repo.measure_of(ctx.session, ctx.user.id, measure_id)
    question = BUTTON_QUESTIONS.get(action)
    if found is None or question is None:
        ctx.refused("measure")
        return [Reply("没有找到这项整改措施，可能已被删除。发送 /deadlines 查看现有事项。")]
    measure, answer, _ = found
    settled = _already_settled(ctx, measure, question)
    if settled:
        return [Reply(settled)]
    if question is Awaiting.POSTPONE and measure.deadline_kind == "ongoing":
        question = Awaiting.CADENCE  # a 长期坚持 item has no end date to move: its review cadence changes
    elif question is Awaiting.POSTPONE and _unset(measure):
        question = Awaiting.DEADLINE
    ctx.ask(Pending(question, measure.id))
    return [_question(measure, answer, question, ctx.today)]


def _question(measure: Measure, answer: Answer, question: Awaiting, today: date, notice: str = "") -> Reply:
    """The question about one measure, with its way out; after ``notice`` when asked again."""
    lead = f"{notice}\n" if notice else ""
    text = f"{lead}措施：{preview(answer.text, 60)}\n{_prompt(question, measure, today)}"
    return Reply(text, _cancel_button(question))


async def ask_again(ctx: FlowContext, pending: Pending, notice: str) -> list[Outgoing]:
    """The open question once more, after a message that did not answer it (nothing was stored)."""
    found = await repo.measure_of(ctx.session, ctx.user.id, pending.target)
    if found is None:
        ctx.ask(None)
        return [Reply(f"{notice}\n这项整改措施已不存在。发送 /deadlines 查看现有事项。")]
    return [_question(found[0], found[1], pending.awaiting, ctx.today, notice)]


def _already_settled(ctx: FlowContext, measure: Measure, question: Awaiting) -> str:
    """Why pressing a button again changes nothing (a repeated tap, an old message), or ""."""
    if measures.is_open(measure) or question is Awaiting.PROGRESS:
        return ""
    done_on = measure.completed_at.astimezone(ctx.settings.tz).date() if measure.completed_at else None
    when = f"于{format_date(done_on)}" if done_on else ""
    if question is Awaiting.COMPLETION:
        return f"这项措施已{when}标记为“{esc(measure.status)}”，无需重复操作。"
    return f"这项措施已{when}完成（{esc(measure.status)}），无需延期。"


def _cancel_button(question: Awaiting) -> list[list[Button]]:
    if question in SKIPPABLE:
        return [[Button(Label.SKIP, encode(Flow.FOLLOW_UP, "skip"))]]
    return [[Button(Label.CANCEL, encode(Flow.FOLLOW_UP, "cancel"))]]


async def cancel(ctx: FlowContext) -> list[Outgoing]:
    ctx.ask(None)
    return [Reply("已取消。")]


async def skip(ctx: FlowContext) -> list[Outgoing]:
    """跳过 leaves out the evidence or the reason; "已取消" would read as if the completion or the new
    deadline recorded just before had been undone."""
    pending = ctx.pending
    if pending is None or pending.awaiting not in SKIPPABLE:  # a button under an answered question
        return [Reply("这一问已经回答过了，无需跳过。")]
    ctx.ask(None)
    if pending.awaiting is Awaiting.REASON:
        return [Reply("好的，不填原因，调整已记入整改台账。")]
    found = await repo.measure_of(ctx.session, ctx.user.id, pending.target)
    hint, rows = await _sign_off_row(ctx, found[0], found[2]) if found is not None else ("", [])
    return [Reply(f"好的，不填佐证材料，完成情况已记入整改台账。{hint}", rows)]


def _back_to_list() -> list[Button]:
    """Under what closes a question about a measure: the way on to the others, as the card has it."""
    return [Button(Label.BACK_TO_LIST, encode(Flow.FOLLOW_UP, "list"))]


def list_button() -> Button:
    """The /deadlines list, from where no measure is open."""
    return Button(Label.OPEN_DEADLINES, encode(Flow.FOLLOW_UP, "list"))


_WRITTEN_ANSWERS = frozenset({Awaiting.COMPLETION, Awaiting.EVIDENCE, Awaiting.REASON, Awaiting.PROGRESS})
"""The questions whose answer is written into the ledger as it is typed."""


async def _sign_off_row(ctx: FlowContext, measure: Measure, draft: Draft) -> tuple[str, list[list[Button]]]:
    """What follows a completion while the measure awaits 销号: the hint and button for the one
    who signs it off, the word that the 起草人 will for the member who leads it."""
    status = status_of(measure.status)
    if not status.is_done or status.is_closed:
        return "", []
    if not await team_leaders.signs_off(ctx, draft):
        return "\n起草人核实整改到位后会办理销号。", []
    return f"\n{team_leaders.SIGN_OFF_HINT}", [[team_leaders.sign_off_button(measure.id)]]


async def on_pending_text(
    ctx: FlowContext, pending: Pending, text: str, today: date, now: datetime
) -> list[Outgoing]:
    """Answer the open question about a measure; says so if the measure has gone. 好的 or 收到 typed
    after the question is no 完成情况 or 进展 for the ledger: the question is asked again."""
    if pending.awaiting in _WRITTEN_ANSWERS and itemcheck.is_reply(text):
        return await ask_again(ctx, pending, f"“{esc(text.strip())}”像是回复我的话，没有记入整改台账。")
    found = await repo.measure_of(ctx.session, ctx.user.id, pending.target)
    ctx.ask(None)
    if found is None:
        return [Reply("这项整改措施已不存在，刚才的内容未记录。")]
    measure, _, draft = found
    return await _answer(ctx, pending, text, measure, draft, today, now)


async def _answer(
    ctx: FlowContext, pending: Pending, text: str, measure: Measure, draft: Draft, today: date, now: datetime
) -> list[Outgoing]:
    action = pending.awaiting
    if action is Awaiting.COMPLETION:
        return await _complete(ctx, measure, text, now)
    if action is Awaiting.EVIDENCE:
        measure.evidence = text
        await team_leaders.record(ctx, measure, "evidence", text)
        hint, rows = await _sign_off_row(ctx, measure, draft)
        return [Reply(f"佐证材料已记入整改台账。{hint}", [*rows, _back_to_list()])]
    if action is Awaiting.POSTPONE:
        return await _postpone(ctx, measure, draft, text)
    if action is Awaiting.DEADLINE:
        return await _first_deadline(ctx, measure, draft, text)
    if action is Awaiting.CADENCE:
        return await _change_cadence(ctx, measure, draft, text)
    if action is Awaiting.REASON:
        await team_leaders.record(ctx, measure, "postpone_reason", text)
        return await _over_card(ctx, measure, f"{_what_changed(measure)}原因已记入整改台账。")
    if action is Awaiting.PROGRESS:
        await team_leaders.record(ctx, measure, "progress", text)
        if not measures.is_open(measure):  # a later note (an old reminder's button) does not reopen it
            said = f"进展已记录（{format_date(today)}），这项措施仍为“{esc(measure.status)}”。"
            return [Reply(said, [_back_to_list()])]
        measure.status = (
            MeasureStatus.ONGOING if measure.deadline_kind == "ongoing" else MeasureStatus.IN_PROGRESS
        )
        return await _over_card(ctx, measure, f"进展已记录（{format_date(today)}）。")
    return [Reply("请按提示操作。")]


async def _postpone(ctx: FlowContext, measure: Measure, draft: Draft, text: str) -> list[Outgoing]:
    meeting = draft.meeting_date or ctx.today
    current = measure.deadline_date if measure.deadline_kind != "ongoing" else None
    moved = postponed(text, current) if current is not None else None
    deadline: Deadline | DeadlineProblem = moved or parse_deadline(
        text, meeting=meeting, today=ctx.today, settings=ctx.settings.reminders
    )
    if isinstance(deadline, DeadlineProblem):
        ctx.ask(Pending(Awaiting.POSTPONE, measure.id))
        return [Reply(esc(deadline.message), _cancel_button(Awaiting.POSTPONE))]
    earlier = _not_later(deadline, measure, ctx.today)
    if earlier:
        ctx.ask(Pending(Awaiting.POSTPONE, measure.id))
        return [Reply(earlier, _cancel_button(Awaiting.POSTPONE))]
    previous = _keep_original(measure)
    measures.store_deadline(measure, deadline)
    await team_leaders.record(ctx, measure, "postpone", f"{previous}{CHANGE_ARROW}{due_label(measure)}")
    await measures.replan(ctx, measure, since=meeting)
    ctx.ask(Pending(Awaiting.REASON, measure.id))
    reason = _prompt(Awaiting.REASON, measure, ctx.today)
    counted = f"（由原时限{format_day(current)}顺延）" if moved is not None and current is not None else ""
    return [Reply(f"已调整：{esc(describe(deadline))}{counted}。\n{reason}", _cancel_button(Awaiting.REASON))]


async def _first_deadline(ctx: FlowContext, measure: Measure, draft: Draft, text: str) -> list[Outgoing]:
    """The deadline the drafting's question was left without, set from the measure's card: stored as
    that question stores it (no 原定时限, no 延期记录, no reason asked)."""
    meeting = draft.meeting_date or ctx.today
    deadline = await measures.set_first_deadline(ctx, measure, text, meeting, record=team_leaders.record)
    if isinstance(deadline, DeadlineProblem):
        ctx.ask(Pending(Awaiting.DEADLINE, measure.id))
        return [Reply(esc(deadline.message), _cancel_button(Awaiting.DEADLINE))]
    await measures.replan(ctx, measure, since=meeting)
    return [Reply(f"整改时限：{esc(describe(deadline))}。到期前我会提醒您。", [_back_to_list()])]


def _keep_original(measure: Measure) -> str:
    """The deadline (or cadence) about to change, kept as the ledger's 原定时限 at the first change."""
    previous = due_label(measure)
    measure.original_deadline = measure.original_deadline or previous
    return previous


def _not_later(deadline: Deadline, measure: Measure, today: date) -> str:
    """Why a new date is no postponement (already past, or not after the current one), or ""."""
    if isinstance(deadline, Ongoing):
        return ""
    if deadline.due < today:
        return measures.Past.of(deadline.due).message
    current = measure.deadline_date
    if measure.deadline_kind != "ongoing" and current is not None and deadline.due <= current:
        return (
            f"延期后的时限应晚于现时限{format_day(current)}，请重新发送。如能提前完成，完成后点“已完成”即可。"
        )
    return ""


async def _change_cadence(ctx: FlowContext, measure: Measure, draft: Draft, text: str) -> list[Outgoing]:
    cadence = parse_cadence(text)
    if cadence is None:
        ctx.ask(Pending(Awaiting.CADENCE, measure.id))
        hint = "没能识别回顾频次，请写“每月”“每季度”“每半年”这样的频次。"
        return [Reply(hint, _cancel_button(Awaiting.CADENCE))]
    previous = _keep_original(measure)
    measure.review_cadence = cadence.iso
    await team_leaders.record(ctx, measure, "postpone", f"{previous}{CHANGE_ARROW}{due_label(measure)}")
    await measures.replan(ctx, measure, since=draft.meeting_date or ctx.today)
    ctx.ask(Pending(Awaiting.REASON, measure.id))
    reason = _prompt(Awaiting.REASON, measure, ctx.today)
    return [Reply(f"已调整：回顾频次改为{cadence.label}。\n{reason}", _cancel_button(Awaiting.REASON))]


def _what_changed(measure: Measure) -> str:
    """A 长期坚持 item has no deadline to postpone (its 申请延期 says so): its cadence changed."""
    return "调整回顾频次的" if measure.deadline_kind == "ongoing" else "延期"


def _prompt(question: Awaiting, measure: Measure, today: date) -> str:
    return PROMPTS[question].format(what=_what_changed(measure), example=Examples(today).month_end)


async def _complete(ctx: FlowContext, measure: Measure, note: str, now: datetime) -> list[Outgoing]:
    await team_leaders.record(ctx, measure, "done", note)
    measure.completion_note = note
    cadence = measures.cadence_of(measure)
    if measure.deadline_kind != "ongoing" and cadence is not None:  # e.g. 立行立改，长期坚持
        measure.deadline_kind, measure.deadline_date = "ongoing", None
        measure.status = MeasureStatus.ONGOING
        await measures.replan(ctx, measure, since=ctx.today)
        return [Reply(f"阶段任务已记为完成。此后转为长期坚持，{cadence.label}提醒您回顾一次。")]
    measure.status, measure.completed_at = DONE, now
    await measures.replan(ctx, measure, since=ctx.today)
    ctx.ask(Pending(Awaiting.EVIDENCE, measure.id))
    still_open = any(measures.is_open(m) for m, _, _ in await repo.measures_of(ctx.session, ctx.user.id))
    last = "" if still_open else ALL_DONE
    return [
        Reply(
            f"已标记为“{DONE}”，后续提醒已停止。{last}\n{PROMPTS[Awaiting.EVIDENCE]}",
            _cancel_button(Awaiting.EVIDENCE),
        )
    ]


ALL_DONE = "您的整改措施已全部完成，每周整改提醒也不再发送；有新的整改措施时会恢复。"


def counts_line(problems: int, done: int) -> str:
    """查摆问题X条，已完成X条，持续整改X条 — the line next year's 上年度 section opens with."""
    return f"查摆问题{problems}条，已完成{done}条，持续整改{problems - done}条。"


# What the user fills in where the bot cannot know how a problem stands: a blank the review names
# as a placeholder to replace (text.placeholder.mask), so it cannot go out unnoticed.
BLANK = "＿＿＿＿"


async def summary(session: AsyncSession, catalog: Catalog, user_id: int, key: str) -> Reply | None:
    """The summary a ``summary:<draft>`` reminder names: that material's measures only (not those of
    the user's other materials), nothing once it is deleted."""
    draft = await repo.draft_by_public_id(session, user_id, key.removeprefix(f"{measures.SUMMARY}:"))
    if draft is None:
        return None
    rows = [(m, a) for m, a, d in await repo.measures_of(session, user_id) if d.id == draft.id]
    return summary_reply(rows, draft, DraftView.build(catalog, draft).title) if rows else None


def summary_reply(rows: list[tuple[Measure, Answer]], draft: Draft, draft_title: str) -> Reply:
    """Sent before next year's meeting: where last year's promises stand."""
    done = sum(1 for m, _ in rows if status_of(m.status).is_done)
    lines = [
        "<b>上年度整改落实情况小结</b>",
        f"《{esc(draft_title)}》",
        f"整改措施{len(rows)}项，已完成{done}项，持续推进{len(rows) - done}项。",
    ]
    # the status first: a measure ends with its full stop, and "……2篇。：未启动" reads as a typo
    lines += [f"· {esc(m.status)}：{preview(a.text, 40)}" for m, a in rows[:15]]
    lines.append("新建下一年度材料时，我会把这些情况逐条预填到“上年度整改落实情况”部分。")
    report = Button(Label.RECTIFY_REPORT, encode(Flow.FOLLOW_UP, "reportof", draft.public_id))
    return Reply("\n".join(lines), [[report]])


def digest_reply(rows: list[tuple[Measure, Answer]], today: date) -> Reply | None:
    """The weekly digest of overdue items, or None when nothing is overdue."""
    overdue = [(m, a) for m, a in rows if group_of(m, today) is Group.OVERDUE]
    if not overdue:
        return None
    lines = [f"<b>本周整改提醒</b>：有{len(overdue)}项已过时限"]
    buttons: list[list[Button]] = []
    for number, (measure, answer) in enumerate(overdue[:15], start=1):
        mark = _mark(measure, Group.OVERDUE, today)
        lines.append(f"{number}. {mark}{due_label(measure)}：{preview(answer.text, 40)}")
        buttons.append([Button(Label.HANDLE_NTH.format(number), encode(Flow.FOLLOW_UP, "open", measure.id))])
    lines.append("完成的请点“办理”后选“已完成”；需要延期的请申请延期并说明原因。")
    return Reply("\n".join(lines), buttons)


@dataclass(frozen=True)
class LastYear:
    """Next year's 上年度整改落实情况 as prefilled: the counts line (its lead), one item per problem,
    and how many problems the bot could say nothing about: ``unknown`` ones whose measures never had
    anything recorded, ``unpaired`` ones without a measure the user paired with them."""

    lead: str
    items: list[str]
    unknown: int
    unpaired: int


def _untold(row: LedgerRow) -> bool:
    """A measure nothing was ever recorded for (never started, no progress): an imported material
    whose measures were never followed up here, or one whose reminders went unanswered."""
    return status_of(row.status) is MeasureStatus.NOT_STARTED and not row.progress


def last_year_items(rows: list[LedgerRow]) -> LastYear:
    """Each problem of last year's ledger with what the bot knows of it; where it knows nothing, a
    blank for the user to fill rather than a guess ("正在推进" of a measure never started, or the
    outcome of a measure paired with the problem by the aspect order alone, or none)."""
    groups = problem_groups(rows, bare=True)
    items: list[str] = []
    unknown = unpaired = 0
    for _, problem, group in groups:
        if not group[0].measure or group[0].guessed:
            unpaired += 1
            state = f"整改情况{BLANK}（请填写采取的措施和完成情况）。"
        elif is_done(group):
            notes = [p.text for r in group for p in r.progress[-1:]]
            closed = group[0].closed_on if all(status_of(r.status).is_closed for r in group) else None
            state = f"已完成，于{format_date(closed)}销号。" if closed else "已完成。"
            state += "".join(n if n.endswith("。") else n + "。" for n in notes)
        elif all(r.kind == "长期坚持" or status_of(r.status).is_done for r in group):
            state = "长期坚持，持续推进。"
        elif all(_untold(r) for r in group if not status_of(r.status).is_done):
            unknown += 1
            due = next((r.deadline for r in group if not status_of(r.status).is_done and r.deadline), None)
            planned = f"原定{deadline_words(due)}完成，" if due else ""
            state = f"{planned}整改情况{BLANK}（请填写采取的措施和完成情况）。"
        else:
            due = next((r.deadline for r in group if not status_of(r.status).is_done), None)
            state = (
                f"正在推进，计划{format_date(due) + '前' if isinstance(due, date) else due or '按期'}完成。"
            )
        items.append(f"关于{quoted(problem.rstrip('。；;'))}：{state}")
    done = sum(1 for _, _, g in groups if is_done(g))
    if unknown or unpaired:
        lead = f"查摆问题{len(groups)}条，已完成{BLANK}条，持续整改{BLANK}条。"
    else:
        lead = counts_line(len(groups), done)
    return LastYear(lead, items, unknown, unpaired)


class Group(StrEnum):
    """How /deadlines sorts open items: what needs doing first comes first."""

    OVERDUE = "逾期"
    THIS_WEEK = "本周到期"
    LATER = "以后"
    UNSET = "未设时限"
    ONGOING = "长期坚持"


def group_of(measure: Measure, today: date) -> Group:
    if measure.deadline_kind == "ongoing":
        return Group.ONGOING
    due = measure.deadline_date
    if due is None:
        return Group.UNSET
    if due < today:
        return Group.OVERDUE
    week_end = today + timedelta(days=6 - today.weekday())
    return Group.THIS_WEEK if due <= week_end else Group.LATER


def _mark(measure: Measure, group: Group, today: date) -> str:
    if group is Group.OVERDUE and measure.deadline_date is not None:
        return f"【逾期{(today - measure.deadline_date).days}天】"
    return "【本周到期】" if group is Group.THIS_WEEK else ""


MAX_LISTED = 20
MAX_DONE_LISTED = 5  # the latest completed: /ledger has them all
NEVER = datetime.min.replace(tzinfo=UTC)


async def deadlines(ctx: FlowContext) -> list[Outgoing]:
    """Open items by what needs doing first, each with its 办理 button; then, briefly, what is done
    and the problems it closed (已销号)."""
    found = await repo.measures_of(ctx.session, ctx.user.id)
    if not found:
        return [Reply("目前没有整改事项。写完材料的“努力方向和整改措施”并设定时限后，会在这里列出。")]
    rows = [(m, a) for m, a, _ in found if measures.is_open(m)]
    shown = await owner_lines(ctx.session, ctx.catalog, ((m, d) for m, _, d in found))
    today = ctx.today
    order = list(Group)
    rows.sort(key=lambda r: (order.index(group_of(r[0], today)), r[0].deadline_date or date.max, r[0].id))
    lines = ["<b>未完成的整改事项</b>" if rows else "<b>整改事项都已完成</b>"]
    buttons: list[list[Button]] = []
    heading: Group | None = None
    for number, (measure, answer) in enumerate(rows[:MAX_LISTED], start=1):
        group = group_of(measure, today)
        if group is not heading:
            count = sum(1 for m, _ in rows if group_of(m, today) is group)
            lines.append(f"\n<b>{group.value}</b>（{count}项）")
            heading = group
        mark = _mark(measure, group, today)
        owner = f" · {esc(shown[measure.id])}" if measure.id in shown else ""
        lines.append(
            f"{number}. {mark}{due_label(measure)} · {esc(measure.status)}{owner}"
            f"\n　　{preview(answer.text, 50)}"
        )
        buttons.append([Button(Label.HANDLE_NTH.format(number), encode(Flow.FOLLOW_UP, "open", measure.id))])
    if len(rows) > MAX_LISTED:
        lines.append(f"（另有{len(rows) - MAX_LISTED}项未列出，可用 /ledger 导出完整台账。）")
    done_lines, sign_offs = await _done_part(
        ctx, [(m, a, d) for m, a, d in found if not measures.is_open(m)], len(buttons) + 1
    )
    openers = await _links_openers(ctx, list(dict.fromkeys(d.id for _, _, d in found)))
    return [Reply("\n".join([*lines, *done_lines]), [*buttons, *sign_offs, *openers])]


MAX_TABLES = 5


async def _links_openers(ctx: FlowContext, listed: list[int]) -> list[list[Button]]:
    """The table of problems and measures of each of the user's own materials whose measures are
    listed (the newest first), named by its title when there are several."""
    views = []
    for draft_id in sorted(listed, reverse=True)[:MAX_TABLES]:
        draft = await repo.draft_by_id_for(ctx.session, ctx.user.id, draft_id)  # the owner's only
        view = await ctx.view(draft) if draft is not None else None
        if view is not None and links.opener(view):
            views.append(view)
    if len(views) == 1:
        return [links.opener(views[0])]
    return [[Button(f"{b.label}：{shorten(v.title, 18)}", b.data) for b in links.opener(v)] for v in views]


async def _done_part(
    ctx: FlowContext, done: list[tuple[Measure, Answer, Draft]], first: int
) -> tuple[list[str], list[list[Button]]]:
    """已完成: how many, the latest few with the day each was completed — those awaiting 销号 first,
    numbered from ``first`` with a button to sign each off —, and the problems whose measures are
    all signed off (已销号) or all done but not yet signed off (待销号)."""
    if not done:
        return [], []
    done.sort(key=lambda r: (status_of(r[0].status).is_closed, -_stamp(r[0].completed_at), r[0].id))
    lines = [f"\n<b>已完成</b>（{len(done)}项）"]
    buttons: list[list[Button]] = []
    owned: dict[int, Draft] = {}  # the drafts whose measures he signs off (the owner's only)
    for draft_id in dict.fromkeys(d.id for _, _, d in done):
        if (found := await repo.draft_by_id_for(ctx.session, ctx.user.id, draft_id)) is not None:
            owned[draft_id] = found
    for measure, answer, draft in done[:MAX_DONE_LISTED]:
        when = measure.completed_at
        on = f"{format_date(when.astimezone(ctx.settings.tz).date())}完成，" if when is not None else ""
        if status_of(measure.status).is_closed:
            lines.append(f"· {on}已销号：{preview(answer.text, 40)}")
            continue
        if draft.id not in owned:  # a measure he leads: the 起草人 signs it off
            lines.append(f"· {on}待起草人销号：{preview(answer.text, 40)}")
            continue
        number = first + len(buttons)
        lines.append(f"{number}. {on}待销号：{preview(answer.text, 40)}")
        buttons.append(
            [Button(Label.SIGN_OFF_NTH.format(number), encode(Flow.FOLLOW_UP, "close", measure.id))]
        )
    if len(done) > MAX_DONE_LISTED:
        lines.append(f"（另有{len(done) - MAX_DONE_LISTED}项已完成，可用 /ledger 导出完整台账。）")
    closed: list[str] = []
    awaiting: list[str] = []
    for owned_draft in owned.values():
        view = DraftView.build(ctx.catalog, owned_draft)
        signed = links.closed(view)
        closed += [_named(p) for p in signed]
        awaiting += [_named(p) for p in links.rectified(view) if p not in signed]
    if closed:
        lines.append(f"已销号的问题（{len(closed)}条）：{''.join(closed)}")
    if awaiting:
        lines.append(f"整改措施均已完成、待销号的问题（{len(awaiting)}条）：{''.join(awaiting)}")
    if buttons:
        lines.append("经核实整改到位的，点“销号”记入整改台账。")
    return lines, buttons


def _stamp(moment: datetime | None) -> float:
    return (moment or NEVER).timestamp()


def _named(problem: links.Problem) -> str:
    return esc(quoted(problem.headline.rstrip("。；;")))


async def sign_off(ctx: FlowContext, measure_id: int) -> list[Outgoing]:
    """销号: a completed measure is signed off, on this day; its problems are 已销号 once every
    measure addressing them is."""
    found = await repo.measure_of(ctx.session, ctx.user.id, measure_id)
    if found is None:
        ctx.refused("measure")
        return [Reply("没有找到这项整改措施，可能已被删除。发送 /deadlines 查看现有事项。")]
    measure, answer, draft = found
    back = [_back_to_list()]
    status = status_of(measure.status)
    if status.is_closed:
        return [Reply("这项措施已经销号，无需重复操作。", back)]
    if not await team_leaders.signs_off(ctx, draft):
        return [Reply(await team_leaders.sign_off_refused(ctx, draft), back)]
    if status.is_open:
        return [Reply("这项措施还没有完成，完成后才能销号。", [*measure_buttons(measure), *back])]
    measure.status = MeasureStatus.CLOSED
    await team_leaders.record(ctx, measure, SIGNED_OFF, "")
    lines = [f"已销号，销号时间已记入整改台账。\n措施：{preview(answer.text, 60)}"]
    owned = await repo.draft_by_id_for(ctx.session, ctx.user.id, draft.id)
    if owned is not None:
        view = DraftView.build(ctx.catalog, owned)
        linked = links.current(view)
        now_closed = [
            p for p in links.closed(view) if measure.id in links.measures_of_problem(linked, p.answer.id)
        ]
        if now_closed:
            lines.append(f"问题{''.join(_named(p) for p in now_closed)}的整改措施均已销号，问题已销号。")
    return [Reply("\n".join(lines), back)]


async def _over_card(ctx: FlowContext, measure: Measure, said: str) -> list[Outgoing]:
    """``said`` over the measure's card as it now stands: its next step (已完成 after a progress
    note, 申请延期 after another) is one press away, not a list away."""
    card = await measure_card(ctx, measure.id)
    if card and isinstance(card[0], Reply):
        card[0].html = f"{said}\n\n{card[0].html}"
    return card


async def measure_card(ctx: FlowContext, measure_id: int) -> list[Outgoing]:
    """A measure opened from /deadlines: what can be done with it, and the way back to the list."""
    found = await repo.measure_of(ctx.session, ctx.user.id, measure_id)
    if found is None:
        ctx.refused("measure")
        return [Reply("没有找到这项整改措施。发送 /deadlines 查看现有事项。")]
    measure, answer, draft = found
    owner = (await owner_lines(ctx.session, ctx.catalog, [(measure, draft)])).get(measure.id)
    text = "\n".join(
        [
            f"措施：{esc(answer.text)}",
            f"时限：{due_label(measure)}",
            *([esc(owner)] if owner else []),
            f"状态：{esc(measure.status)}",
        ]
    )
    status = status_of(measure.status)
    if status.is_done:  # nothing left to do but 销号
        hint, actions = await _sign_off_row(ctx, measure, draft)
        return [Reply(text + hint, [*actions, _back_to_list()])]
    buttons = [*measure_buttons(measure), *await team_leaders.buttons(ctx, measure, draft), _back_to_list()]
    return [Reply(text, buttons)]


async def _last_years(ctx: FlowContext, view: DraftView) -> Draft | None:
    """The user's material of an earlier 年度 with measures, the latest, of the same meeting when he
    has one (a 组织生活会 speech reports on the last 组织生活会): never one of this year, such as a
    second draft for the same meeting, whose problems are this year's, not last year's."""
    year, meeting = _year_of(view.draft, ctx.today), _meeting_of(ctx.catalog, view.draft)
    earlier = [
        d
        for _, _, d in await repo.measures_of(ctx.session, ctx.user.id)
        if d.id != view.draft.id and _year_of(d, ctx.today) < year
    ]
    if not earlier:
        return None

    def recent(draft: Draft) -> tuple[bool, int, int]:
        return _meeting_of(ctx.catalog, draft) == meeting, _year_of(draft, ctx.today), draft.id

    latest = max(earlier, key=recent)
    return await repo.draft_by_id_for(ctx.session, ctx.user.id, latest.id)


def _year_of(draft: Draft, today: date) -> int:
    """The 年度 a material is written for: as chosen, else as its meeting (or today) gives it."""
    return draft.year or year_of_meeting(draft.meeting_date or today)


def _meeting_of(catalog: Catalog, draft: Draft) -> str | None:
    kind = catalog.kinds.get(draft.kind or "")
    return kind.meeting if kind is not None else None


async def prefill_last_year(ctx: FlowContext, view: DraftView) -> str:
    """Fill an empty 上年度整改落实情况 from the measures of the user's previous material.

    Returns a notice for the user, or "" when there was nothing to fill.
    """
    step = next(
        (s for s in view.section_steps if s.section and s.section.role == SectionRole.LAST_YEAR), None
    )
    if step is None or step.section is None or view.slot(step):
        return ""
    source = await _last_years(ctx, view)
    if source is None:
        return ""
    history = await history_of(ctx.session, source.id, ctx.settings.tz)
    prefill = last_year_items(
        ledger_rows(DraftView.build(ctx.catalog, source), history=history, tz=ctx.settings.tz)
    )
    # the counts line sums the list up, as a pasted one would: the lead, not item （一）
    numbered = [
        (LEAD_POSITION, AnswerRole.LEAD, prefill.lead),
        *((p, AnswerRole.ITEM, t) for p, t in enumerate(prefill.items)),
    ]
    for position, role, text in numbered:
        repo.add_answer(
            view.draft,
            step.section.key,
            0,
            position,
            text,
            author_id=ctx.user.id,
            source=None,
            is_measure=False,
            role=role,
        )
    problems = len(prefill.items)
    if not (prefill.unknown or prefill.unpaired):
        filled = f"已根据上一份材料查摆的{problems}条问题及其整改情况，预填了“上年度整改落实情况”"
        return f"{filled}，请逐条核实补充。"

    def which(count: int) -> str:
        return "这些问题" if count == problems else f"其中{count}条问题"

    reasons = [
        *([f"{which(prefill.unknown)}的整改措施在这里没有记录过进展"] if prefill.unknown else []),
        *([f"{which(prefill.unpaired)}没有确认过对应的整改措施"] if prefill.unpaired else []),
    ]
    return (
        f"已根据上一份材料查摆的{problems}条问题，预填了“上年度整改落实情况”。"
        f"{'；'.join(reasons)}，我无法知道整改情况，已在相应位置留出“{BLANK}”，"
        "请逐条填写采取的措施和完成情况，并补上开头的完成条数。"
    )

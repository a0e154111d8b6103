"""/rectify_report: a 整改落实情况报告 drafted from the ledger of the user's material.

The report is a draft of the ``rectification_report`` kind, so the user edits it, reviews it and
exports it like any other; generated again from the same material, it is that draft written anew
(asked first when the user changed it since), not one more copy in /drafts. It is built from the
same rows as the .xlsx ledger (``ledger_rows``): per 方面 each problem with its measures, what was
done (dated progress and completion notes), evidence and 销号 dates, and for what is still open,
its deadline and any postponement with its reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from enum import Enum

from bot import links, prompts
from bot.callbacks import Flow, encode
from bot.catalog import CUSTOM_THEME
from bot.dates import format_date
from bot.deadlines.calendar import month_end, workday_on_or_before
from bot.deadlines.parse import immediate_due
from bot.deadlines.settings import ReminderSettings
from bot.draftview import DraftView
from bot.flows.context import FlowContext
from bot.formats.export import deadline_words, history_of, is_done, ledger_rows, problem_groups
from bot.labels import Label
from bot.measure_fields import without_columns
from bot.measure_status import MeasureStatus, status_of
from bot.render.ledger import IMMEDIATE_PREFIX, ONGOING_PREFIX, LedgerRow, Postponement
from bot.replies import Button, Outgoing, Reply
from bot.steps import SUMMARY
from bot.texts import esc, quoted
from storage import repo
from storage.models import Draft

KIND = "rectification_report"
NO_LEDGER = (
    "还没有可以汇总的整改台账。请先写完一份材料的“努力方向和整改措施”并设定时限，"
    "之后发送 /rectify_report 即可生成整改落实情况报告。"
)
MAX_PLANS = 5
_WEEKDAY = re.compile(r"（周[一二三四五六日]）")
_TITLE_MAX, _TITLE_MIN = 24, 6
"""A problem longer than this is named by its first clause, if that clause is at least this long."""
_SCENE_ENDS = ("中", "时", "上", "后", "里", "以来", "期间")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def _done(row: LedgerRow) -> bool:
    return status_of(row.status).is_done


def shared(rows: list[LedgerRow]) -> list[tuple[str, str, list[LedgerRow]]]:
    """``problem_groups`` with the problems of an aspect that one set of measures rectifies together
    as one group, named “A”“B”: a report that repeated the same measure and its outcome after each
    of them would read as padding."""
    merged: list[tuple[str, list[str], list[LedgerRow]]] = []
    for aspect, problem, group in problem_groups(rows, bare=True):
        if not group[0].problem:  # a measure standing for itself: named by its words, not its tail
            problem = without_columns(problem)[0]
        last = merged[-1] if merged else None
        if last and last[0] == aspect and [r.measure for r in last[2]] == [r.measure for r in group]:
            last[1].append(problem)
        else:
            merged.append((aspect, [problem], group))
    return [(aspect, _names(problems), group) for aspect, problems, group in merged]


def _names(problems: list[str]) -> str:
    """“A”“B”: quoted titles in a row take no 顿号 between them."""
    return "".join(quoted(_title(p)) for p in problems)


def _title(problem: str) -> str:
    """A problem as a report names it, by its judgement: 执行请销假制度不够严格, not also the two outings
    that show it, when the writer put both in one sentence. A first clause that only sets the scene
    (在推进项目建设中, 今年以来) is no judgement, and the sentence stays whole."""
    text = problem.rstrip("。；;")
    first, *rest = re.split(r"[，,]", text, maxsplit=1)
    if rest and (turn := _TURN.match(rest[0])) is not None:  # 总体规范，但存在个别项目未公开…的问题
        return turn.group("judgement")
    if len(text) > _TITLE_MAX and len(first) >= _TITLE_MIN and not first.endswith(_SCENE_ENDS):
        return first
    return text


_TURN = re.compile(
    r"(?:但是?|不过|然而)[也还仍]?(?:存在|发现|有)?(?P<judgement>[^，,。；;]{4,}?)(?:的?(?:问题|现象|情况))?(?:[，,。；;]|$)"
)
"""A first clause that grants (总体规范) and a turn (但存在…的问题): the judgement is what the turn says."""


class Standing(Enum):
    """Where a problem's rectification stands, as the report counts and words it: done (every
    measure done), idle (nothing recorded for any measure yet), under way (the rest), or without
    a measure the user paired with it (none, or only the proposal's guess by the aspect order)."""

    DONE = "已完成整改"
    UNDER_WAY = "正在持续整改"
    IDLE = "整改尚未启动"
    UNSET = "尚未明确整改措施"


def standing(rows: list[LedgerRow]) -> Standing:
    """How the problem whose measures are ``rows`` stands."""
    if not any(r.measure for r in rows):
        return Standing.UNSET
    if is_done(rows):
        return Standing.DONE
    return Standing.IDLE if all(_idle(r) for r in rows) else Standing.UNDER_WAY


def progress_item(problems: str, rows: list[LedgerRow]) -> str:
    """One item of 查摆问题整改落实情况: the problems' judgements, then each measure and its outcome; a
    problem 已销号 says so once, with its date, rather than after each of its measures. A measure no
    problem is paired with is told alone: its words are no problem to name."""
    state = standing(rows)
    if state is Standing.UNSET:
        return f"关于{problems}的问题，{state.value}。"
    named = bool(rows[0].problem)
    closed = named and all(status_of(r.status).is_closed for r in rows)
    words = state.value
    if closed:
        words += f"，于{format_date(rows[0].closed_on)}销号" if rows[0].closed_on else "，已销号"
    parts = [f"关于{problems}的问题，{words}。"] if named else []
    for row in rows:
        parts.append(f"整改措施：{_measure(row)}")
        parts += [f"{format_date(p.on)}，{_sentence(p.text)}" for p in row.progress]
        if not closed:
            parts.append(_outcome(row, said=named and state is Standing.IDLE))
        parts += [postponed(p) for p in row.postponements if p.reason]
        if row.evidence:
            parts.append(f"佐证材料：{_sentence(row.evidence)}")
    return "".join(parts)


def _measure(row: LedgerRow) -> str:
    """The measure as one sentence of the report: without the labelled 责任人/时限 closing it (an
    imported table's columns, ``…。责任人：支部书记，时限：2027年6月底前``), whose 时限 the report says
    in its own words after it, and whose owner it names as 由…负责."""
    kept, tail = without_columns(row.measure)
    owner = f"，由{tail.owner}负责" if tail.owner else ""
    return _sentence(kept.rstrip("。；;") + owner if owner else kept)


def _idle(row: LedgerRow) -> bool:
    """A measure nothing has been done about yet: not started, no progress recorded."""
    return status_of(row.status) is MeasureStatus.NOT_STARTED and not row.progress


def _outcome(row: LedgerRow, said: bool = False) -> str:
    """Where a measure of a problem not yet 销号 stands; ``said``: the problem's own sentence said it
    has not started, so the measure names only its deadline."""
    status = status_of(row.status)
    if status.is_done:
        return f"{status.standing}。"
    if row.kind == "长期坚持":
        cadence = str(row.deadline or "").removeprefix("长期坚持").strip("，")
        return f"此项长期坚持，{cadence}回顾一次。" if cadence else "此项长期坚持，定期回顾。"
    standing = "" if said else f"{status.standing}，"
    return f"{standing}{planned(row)}。"


def planned(row: LedgerRow) -> str:
    """When an open measure is to be done, or that it has no deadline yet (a material imported and
    never given its 时限): "计划未设时限完成" is no sentence."""
    return f"计划{deadline_words(row.deadline)}完成" if row.deadline else "尚未明确完成时限"


def postponed(postponement: Postponement) -> str:
    """A postponement as a report says it: the ledger's ``A（周三）前 → B（周五）前`` in brackets would
    nest brackets and read as a table cell, so the old and new deadline are named in words, without
    weekdays, and a 长期坚持 item's change is one of cadence, not a deadline."""
    on, reason = format_date(postponement.on), postponement.reason.rstrip("。")
    ends = postponement.ends
    if ends is None:
        return f"{on}申请延期（{postponement.change}），原因是{reason}。"
    before, after = (_WEEKDAY.sub("", end).removeprefix(IMMEDIATE_PREFIX) for end in ends)
    if before.startswith(ONGOING_PREFIX) and after.startswith(ONGOING_PREFIX):
        old, new = (end.removeprefix(ONGOING_PREFIX).removesuffix("回顾") for end in (before, after))
        return f"{on}将回顾频次由{old}调整为{new}，原因是{reason}。"
    return f"{on}申请延期，时限由{before}调整为{after}，原因是{reason}。"


def counts(rows: list[LedgerRow]) -> tuple[int, Counter[Standing], int]:
    """Problems, how many of them stand where, measures."""
    problems = [group for group in problem_groups(rows, bare=True) if group[2][0].problem]
    standings = Counter(standing(group) for _, _, group in problems)
    return len(problems), standings, len({r.measure for r in rows if r.measure})


def _who(source: DraftView) -> str:
    """Who rectified, in the report's words: the team, a unit that wrote without a name (a 自查自纠报告
    of 县交通运输局: 我单位), else the writer."""
    if source.kind is not None and source.kind.voice == "team":
        return "班子"
    meta = source.draft.meta or {}
    return "我单位" if meta.get("unit") and not meta.get("name") else "本人"


def preamble(source: DraftView, rows: list[LedgerRow]) -> str:
    """Counts first, as offices read them; a problem nothing was done about yet is counted as not
    started, not as 持续整改; no other year than the material's, which the review would rightly
    query against the title."""
    problems, standings, measures = counts(rows)
    who = _who(source)
    open_ = [
        f"{words}{standings[state]}条"
        for state, words in (
            (Standing.UNDER_WAY, "持续整改"),
            (Standing.IDLE, "尚未启动"),
            (Standing.UNSET, Standing.UNSET.value),
        )
        if standings[state]
    ]
    return (
        f"对照{source.year_label}{_meeting_name(source)}查摆的问题，{who}逐项制定整改措施，明确时限，"
        f"持续推进整改。共查摆问题{problems}条，制定整改措施{measures}项；截至目前，"
        f"{'，'.join([f'已完成{standings[Standing.DONE]}条', *open_])}。现将整改落实情况报告如下："
    )


def team_title(source: DraftView, report: DraftView) -> str:
    """``青山镇领导班子2024年度民主生活会查摆问题整改落实情况报告``: the report's own title names a person
    (张三同志…), so a team's is named after the team as its material is — what precedes the year."""
    subject, year, _ = source.title.partition(source.year_label)
    assert report.kind is not None
    return f"{subject}{report.kind.title_for(None, None, report.year_label)}" if year else report.title


def _meeting_name(view: DraftView) -> str:
    return (view.kind.meeting if view.kind else None) or ""


def shortfalls(rows: list[LedgerRow]) -> str:
    """What is still open and why: postponements with their reasons, items past their deadline."""
    lines = []
    for _, problems, group in shared(rows):
        if standing(group) is Standing.UNSET:
            lines.append(f"{problems}{Standing.UNSET.value}。")
            continue
        for row in group:
            if _done(row) or row.kind == "长期坚持":
                continue
            reasons = "；".join(p.reason.rstrip("。") for p in row.postponements if p.reason)
            why = f"，原因是{reasons}" if reasons else ""
            lines.append(f"{problems}的整改{_not_yet(group)}{why}，{planned(row)}。")
    if not lines:
        return "各项整改虽已完成，但个别问题还有反弹的可能，巩固整改成果的长效机制还需进一步健全。"
    return "整改工作仍有不到位的地方：" + "".join(lines)


def _not_yet(rows: list[LedgerRow]) -> str:
    return "尚未启动" if standing(rows) is Standing.IDLE else "尚未完成"


def plans(rows: list[LedgerRow], today: date, settings: ReminderSettings) -> list[str]:
    """下一步工作打算: the open items first, then keeping what was done from slipping back. Every
    open problem has its line within the section's few: those without a measure share one, and
    beyond the room left the rest are summed up in the last (a problem left out would read as
    settled). What the ledger gives no date (measures still to write, a deadline still to set, the
    “回头看”) is promised by the end of the 立行立改 period from ``today``: a plan without a date is
    what the review rightly queries."""
    soon = immediate_due(today, settings)
    by = f"{format_date(soon)}前"
    done = _what_is_done(rows)
    closing = [*_looking_back(rows, by, done), _full_check(today, soon, settings, done=done is not None)]
    open_ = [
        (problems, group, open_rows)
        for _, problems, group in shared(rows)
        if (open_rows := [r for r in group if not (_done(r) or r.kind == "长期坚持")])
    ]
    unset = [problems for problems, group, _ in open_ if standing(group) is Standing.UNSET]
    to_write = f"{by}制定{''.join(unset)}的整改措施并明确时限，纳入整改台账推进，完成后及时销号。"
    items = [to_write] if unset else []
    started = [item for item in open_ if standing(item[1]) is not Standing.UNSET]
    room = MAX_PLANS - len(closing) - len(items)
    told, rest = (started, []) if len(started) <= room else (started[: room - 1], started[room - 1 :])
    items += [_plan(problems, group, open_rows[0], by) for problems, group, open_rows in told]
    if rest:
        count = len({row.number for _, group, _ in rest for row in group})
        items.append(f"抓紧推进其余{count}条问题的整改，按整改台账确定的时限完成，完成后及时销号。")
    return items + closing


def _looking_back(rows: list[LedgerRow], by: str, done: str | None) -> list[str]:
    """The “回头看” keeping what was done from slipping back: of the 长期坚持 items at their cadence,
    else of what is ``done`` (``_what_is_done``); none while nothing is done, as there is nothing
    yet to look back on."""
    if any(r.kind == "长期坚持" for r in rows):
        return ["对长期坚持的事项按回顾频次逐项回头看，检查落实情况，防止问题反弹。"]
    return [f"{by}对{done}逐项开展一次“回头看”，检查整改成效，防止问题反弹。"] if done else []


def _what_is_done(rows: list[LedgerRow]) -> str | None:
    """The problems done, else the measures done, in words; None while nothing is done."""
    if counts(rows)[1][Standing.DONE]:
        return "已完成整改的问题"
    if any(_done(r) for r in rows if r.measure):
        return "已完成的整改措施"
    return None


def _full_check(today: date, soon: date, settings: ReminderSettings, *, done: bool) -> str:
    """The last plan: one full check of the ledger by the year's last working day; drafted when
    less than the 立行立改 period is left of the year (in December), by the end of the period after
    that one. The full check comes after what the report promises by ``soon`` (the “回头看”, the
    measures and deadlines still to set), on a later day with time to do it: on the same day, or
    年底前 three weeks ahead, it would read as padding. The good practice rectification gave is made
    a rule only once something is ``done``: before that there is none."""
    year_end = workday_on_or_before(month_end(today.year, 12))
    by = year_end if year_end > soon else immediate_due(soon, settings)
    kept = "把整改中形成的好做法固化为制度，" if done else ""
    return f"{kept}{format_date(by)}前对照整改台账全面复核一次，确保件件有着落。"


def _plan(problems: str, group: list[LedgerRow], first_open: LedgerRow, by: str) -> str:
    """An open problem's plan: its first open measure's deadline, else the day to set one by."""
    start = "尽快启动" if standing(group) is Standing.IDLE else "持续推进"
    when = f"{deadline_words(first_open.deadline)}完成" if first_open.deadline else f"{by}明确完成时限"
    return f"{start}{problems}的整改，{when}，完成后及时销号。"


async def ledger_source(ctx: FlowContext, public_id: str | None = None) -> Draft | None:
    """The material whose ledger to report on: the one named (by an annual summary's button), else
    the active one, else the latest, the first of them with measures."""
    return _source(await repo.list_drafts(ctx.session, ctx.user.id), ctx.user.active_draft_id, public_id)


def _source(all_drafts: Sequence[Draft], active_id: int | None, public_id: str | None) -> Draft | None:
    drafts = [d for d in all_drafts if d.kind != KIND]
    named = next((d for d in drafts if d.public_id == public_id), None)
    active = next((d for d in drafts if d.id == active_id), None)
    ordered = [named, active, *drafts]
    return next((d for d in ordered if d and any(a.measure is not None for a in d.answers)), None)


SOURCE_KEY = "report_of"
"""The report's ``meta`` entry naming the material (its public id) it was generated from."""
DIGEST_KEY = "generated"
"""The report's ``meta`` entry fingerprinting what it held as generated (``_digest``)."""


def _report_of(drafts: Sequence[Draft], source: Draft) -> Draft | None:
    """The report generated from ``source`` before, the latest if several (those made before the
    report named its material are not known as its)."""
    return next(
        (d for d in drafts if d.kind == KIND and (d.meta or {}).get(SOURCE_KEY) == source.public_id), None
    )


def _digest(draft: Draft) -> str:
    """A fingerprint of the report's text (its nodes, and its meta: title, name, 署名): while it
    matches the one taken when the report was generated, the user has changed nothing in it."""
    nodes = sorted((a.section, a.aspect, a.position, str(a.role), a.text) for a in draft.answers)
    meta = {key: value for key, value in (draft.meta or {}).items() if key != DIGEST_KEY}
    content = json.dumps([nodes, meta], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def _changed(report: Draft) -> bool:
    return (report.meta or {}).get(DIGEST_KEY) != _digest(report)


def _ask_replace(ctx: FlowContext, source: DraftView, report: Draft) -> Reply:
    """The report generated before was changed by the user: writing it anew from the ledger would
    replace what he wrote, so he chooses."""
    view = DraftView.build(ctx.catalog, report)
    text = (
        f"根据《{esc(source.title)}》生成的《{esc(view.title)}》您已经改过。按台账的最新情况重新生成，"
        f"会用新的内容替换这份报告，您的修改不再保留；也可以打开原报告接着修改。"
    )
    rows = [
        [Button(Label.REPORT_REPLACE, encode(Flow.FOLLOW_UP, "redo", source.draft.public_id))],
        [Button(Label.REPORT_KEEP, encode(Flow.DRAFTS, "open", report.public_id))],
    ]
    return Reply(text, rows)


def _reported_aspects(source: Draft, rows: list[LedgerRow]) -> list[dict[str, str]]:
    """The source's aspects, but of a notice's own list (自查自纠) only those with a problem in the
    ledger: an area checked and found clean has nothing to report on (a catalog theme's aspects all
    stay, as its notice asks for each)."""
    aspects = list(source.aspects or [])
    if source.theme_key != CUSTOM_THEME:
        return aspects
    listed = {row.aspect for row in rows}
    return [a for a in aspects if a["text"] in listed]


async def generate(
    ctx: FlowContext, public_id: str | None = None, *, replace: bool = False
) -> list[Outgoing]:
    """Write the report from the ledger (of the material ``public_id`` names, if it still has one)
    and show its overview: into the report generated from that material before, if there is one
    (asking first when the user changed it, unless he chose to ``replace`` it), else a new draft."""
    drafts = await repo.list_drafts(ctx.session, ctx.user.id)
    source_draft = _source(drafts, ctx.user.active_draft_id, public_id)
    if source_draft is None:
        return [Reply(NO_LEDGER)]
    source = DraftView.build(ctx.catalog, source_draft)
    earlier = _report_of(drafts, source_draft)
    if earlier is not None and _changed(earlier) and not replace:
        return [_ask_replace(ctx, source, earlier)]
    history = await history_of(ctx.session, source_draft.id, ctx.settings.tz)
    # a pairing the user never confirmed is no fact to report: such a problem has no measure here
    rows = ledger_rows(source, history=history, tz=ctx.settings.tz, linked=links.confirmed(source))
    if earlier is None:
        draft = await repo.create_draft(ctx.session, ctx.user, cursor=SUMMARY)
    else:  # its earlier text is kept as each node's history, as a deletion keeps it
        draft, draft.cursor = earlier, SUMMARY
        for answer in list(draft.answers):
            repo.remove_answer(ctx.session, draft, answer, ctx.user.id)
    ctx.switch_to(draft)
    draft.kind, draft.year, draft.theme_key = KIND, source_draft.year, source_draft.theme_key
    draft.theme_label = f"{source.year_label}{_meeting_name(source)}"
    draft.aspects = _reported_aspects(source_draft, rows)
    draft.meta = {**(source_draft.meta or {}), SOURCE_KEY: source_draft.public_id}
    # no meeting date: the report is signed on the day it is exported, not on the day of the meeting
    # that found the problems a year before
    draft.completed = True
    view = DraftView.build(ctx.catalog, draft)
    if source.kind is not None and source.kind.voice == "team":  # titled and signed by the team
        draft.meta = {**draft.meta, "title": team_title(source, view), "signature": source.signature}
    aspect_numbers = {a["text"]: n for n, a in enumerate(view.aspects, start=1)}

    def add(section: str, aspect: int, position: int, text: str) -> None:
        repo.add_answer(
            draft, section, aspect, position, text, author_id=ctx.user.id, source=None, is_measure=False
        )

    add("preamble", 0, 1, preamble(source, rows))
    for position, (aspect, names, group) in enumerate(shared(rows), start=1):
        # a measure no problem is paired with, nor written under an aspect, is told after them all:
        # under the first it would read as answering that aspect's problems
        elsewhere = len(view.aspects) if not group[0].problem else 1
        add("progress", aspect_numbers.get(aspect, max(elsewhere, 1)), position, progress_item(names, group))
    add("shortfalls", 0, 1, shortfalls(rows))
    for position, plan in enumerate(plans(rows, ctx.today, ctx.settings.reminders), start=1):
        add("measures", 0, position, plan)
    draft.meta = {**draft.meta, DIGEST_KEY: _digest(draft)}
    problems, standings, _ = counts(rows)
    made = "生成整改落实情况报告初稿" if earlier is None else f"重新生成了《{esc(view.title)}》"
    notice = (
        f"已根据《{esc(source.title)}》的整改台账{'最新情况' if earlier else ''}{made}：问题{problems}条，"
        f"已完成{standings[Standing.DONE]}条。"
    )
    if guesses := links.settle_request(source, "报告对此暂未写整改措施", "/rectify_report 重新生成"):
        notice += f"\n其中{guesses}"
    reply = prompts.present(
        ctx.catalog, view, f"{notice}\n请逐条核实、补充，可发送 /check 审核，/report 导出 Word。"
    )
    if guesses:  # the buttons of the material's links table, next to the note about it
        reply.buttons.insert(0, links.buttons(source, links.Follows.REPORT))
    return [reply]

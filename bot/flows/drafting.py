"""Answering the sections: text sections, items sections (one per message or pasted blocks), edits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import continuation, itemcheck, labels, prompts, steps
from bot.document import SectionRole
from bot.draftview import DraftView
from bot.flows import deadline_step, desk, drafts, followup, items, review, setup, team_questions
from bot.flows.context import FlowContext
from bot.last_year import Grouped, grouped
from bot.pending import Awaiting
from bot.replies import Button, Outgoing, Reply
from bot.review.similar import normalise
from bot.splitter import Split, held_points, split_answer, split_rest
from bot.steps import Step
from bot.texts import esc, level2
from storage import repo
from storage.models import Answer, AnswerRole

HEADING_LEFT_OUT = "第一行“{heading}”是这一部分的标题，材料中的标题由我统一编排，没有记为内容。\n"
ASPECT_HEADING_LEFT_OUT = "“{heading}”是这一方面的标题，材料中的标题由我统一编排，没有记为内容。\n"
HEADING_ALONE = "“{heading}”是这一部分的标题，材料中的标题由我统一编排，不用发送。请直接发送这一部分的内容。"

_CLOSING = re.compile(r"(?:现将|现就|下面[，,]?我?将?)[^。！？\n]{0,40}如下[：:。]?")
_SENTENCE_ENDS = frozenset("。！？；：:，,")
EMPTY_ITEM = "这条消息只有编号，没有内容。请把编号后面的内容一起发送。"
UNPLACED = (
    "这条消息没有记下：当前没有正在填写的材料，也没有在等您回答的问题。"
    "写材料请发送 /new，打开已有的材料用 /drafts；在审核台再写一条批注，请先点“继续批注”。"
)
"""Free text with nowhere to go, e.g. a reviewer's second comment after the first was stored:
said to be unsaved, with the ways on, not just that there is no draft."""


async def answer(
    ctx: FlowContext, view: DraftView, text: str, source: tuple[int, int], sent: datetime | None = None
) -> list[Outgoing]:
    """Store a text message (sent at ``sent``, Telegram's date) as the answer to the current section step."""
    step = view.step()
    assert step.section is not None
    preamble = _closed_preamble(view, step, text)
    if preamble is not None:
        joint = "" if preamble.text.rstrip()[-1:] in _SENTENCE_ENDS else "。"
        repo.change_answer(
            ctx.session, preamble, f"{preamble.text.rstrip()}{joint}{text.strip()}", ctx.user.id
        )
        notice = f"“{esc(text.strip())}”是导语的结尾，已接在导语末尾。"
        return [prompts.present(ctx.catalog, view, notice)]
    going_on = continuation.of(view, text, source, sent)
    if going_on is not None:
        return await _go_on(ctx, view, step, going_on, source)
    return await _store(ctx, view, step, text, source, sent)


def _closed_preamble(view: DraftView, step: Step, text: str) -> Answer | None:
    """The preamble a message finishes: its closing formula (现将……汇报如下：) sent on its own right
    after a preamble without one was stored, as a paragraph typed on a phone often arrives in two.
    Read as the next part's lead, it would open that part and leave the preamble unfinished."""
    before = view.neighbour(step, -1)
    if before is None or before.section is None or before.section.role is not SectionRole.PREAMBLE:
        return None
    if not _CLOSING.fullmatch(text.strip()) or view.slot(step) or view.lead(step) is not None:
        return None
    written = view.slot(before)
    return written[-1] if written and "如下" not in written[-1].text else None


async def _store(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    text: str,
    source: tuple[int, int],
    sent: datetime | None = None,
) -> list[Outgoing]:
    assert step.section is not None
    pasted = await review.pasted_material(ctx, view, step, text, source, sent)
    if pasted is not None:
        return pasted
    heading = items.own_heading(view, step, text)
    if heading is not None and not heading.rest:
        return [prompts.present(ctx.catalog, view, HEADING_ALONE.format(heading=esc(heading.line)))]
    opening = HEADING_LEFT_OUT.format(heading=esc(heading.line)) if heading is not None else ""
    answer = _answer_text if step.section.answer == "text" else _answer_items
    return await answer(ctx, view, step, heading.rest if heading else text, source, opening)


async def _answer_text(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int], opening: str = ""
) -> list[Outgoing]:
    """Store the text of a text part; ``opening`` opens the reply when it is stored."""
    said = itemcheck.reply(text)
    if said is not None:
        return [prompts.present(ctx.catalog, view, esc(said) + _example_hint(step, text))]
    existing = view.slot(step)
    if existing:  # the whole part, a paragraph put back under it (接到上一部分末尾) too
        first, *rest = existing
        repo.change_answer(ctx.session, first, text, ctx.user.id)
        first.source_chat_id, first.source_message_id = source
        for answer in rest:
            repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
        notice = f"{opening}已用新内容替换。"
    else:
        await items.place(ctx, view, step, 0, [text], source)
        notice = f"{opening}已保存。"
    replies = await review.advance(ctx, view, step, notice)
    await review.note(ctx, replies, view, step, after=notice)
    return replies


async def _answer_items(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int], opening: str = ""
) -> list[Outgoing]:
    """Store the message's lead and items in the step's list; ``opening`` opens the reply when they are."""
    parts = items.aspect_parts(view, step, text)
    elsewhere = items.misplaced(view, step, text, parts)
    if elsewhere is not None:
        reply = prompts.present(ctx.catalog, view, elsewhere.said)
        reply.buttons[:0] = _to_part(view, elsewhere)
        return [reply]
    if parts is not None and [target.key for target, _ in parts] != [step.key]:
        return await _answer_aspects(ctx, view, step, parts, source, opening)
    assert step.section is not None
    if step.section.role is SectionRole.LAST_YEAR and (block := grouped(text, step.section.heading or "")):
        return await _answer_grouped(ctx, view, step, block, source, opening)
    split = parts[0][1] if parts else split_answer(text)
    if not split.items and split.lead is None:
        return [prompts.present(ctx.catalog, view, EMPTY_ITEM)]
    if parts is not None and (own := items.own_aspect_heading(view, step, text)) is not None:
        opening += ASPECT_HEADING_LEFT_OUT.format(heading=esc(own))
    problem = items.unfit(split) or items.too_many(view, step, len(items.fresh(view, step, split.items)[0]))
    if problem is not None:
        return [prompts.present(ctx.catalog, view, problem + _example_hint(step, text))]
    # Before the message is stored: its list is empty, the text part before it the last written.
    continued = items.continued_part(view, step, source) if len(split.items) + bool(split.lead) == 1 else None
    lead = await items.set_lead(ctx, view, step, split.lead, source) if split.lead else items.LeadSet("")
    notices = [lead.notice]
    first = len(view.slot(step)) + 1
    added, repeated = await items.add(ctx, view, step, first - 1, split.items, source)
    count = len(view.slot(step))
    if view.grouped(step) and added:  # under the last heading: named within it, （二）三是
        names = dict(zip(view.slot(step), view.names(step), strict=True))
        marked = "至".join(dict.fromkeys(names[a] for a in (added[0], added[-1])))
        said = f"已拆分为{len(added)}条，记为" if len(added) > 1 else "已记下"
        notices.insert(0, f"{said}{marked}。{_kept_whole(added[0]) if len(added) == 1 else ''}")
    elif len(added) == 1:
        notices.insert(0, f"已记下{step.item_marker(first, count)}。{_kept_whole(added[0])}")
    elif added:
        marked = step.item_run(first, first + len(added) - 1, count)
        notices.insert(0, f"已拆分为{len(added)}条，记为{marked}。")
    notices.append(repeated)
    notices.insert(0, opening)
    reply = prompts.item_added(view, step, "".join(notices), lead.replaced)
    stored = [a for a in (*added, view.lead(step)) if a is not None]
    if continued is not None and len(stored) == 1:
        said, rows = prompts.join_row(view, step, stored[0], continued)
        reply.insert(said)
        reply.buttons.extend(rows)
    replies: list[Outgoing] = [reply]
    await review.note(ctx, replies, view, step, item_ids={a.id for a in added})
    return replies


def _to_part(view: DraftView, misplaced: items.Misplaced) -> list[list[Button]]:
    """The button to the part a misplaced block belongs to, as a row, if the draft has that part."""
    return [[prompts.go_to_part(view, misplaced.step)]] if misplaced.step is not None else []


async def _answer_grouped(
    ctx: FlowContext, view: DraftView, step: Step, block: Grouped, source: tuple[int, int], opening: str
) -> list[Outgoing]:
    """A 上年度 part pasted per aspect of last year's material (``bot.last_year``): its lead, then
    each heading and its points, as an uploaded file's are read; a point already in the list is not
    stored again, nor a heading left without a point."""
    points = block.all_points()
    kept, again = items.fresh(view, step, points)
    texts, headings = block.rows(kept)
    problem = items.unfit(Split(block.lead, points)) or items.too_many(view, step, len(texts))
    if problem is not None:
        return [prompts.present(ctx.catalog, view, problem + _example_hint(step, "".join(points)))]
    lead = await items.set_lead(ctx, view, step, block.lead, source) if block.lead else items.LeadSet("")
    added = await items.place(ctx, view, step, len(view.slot(step)), texts, source, headings)
    named = dict(zip(view.slot(step), view.markers(step), strict=True))
    written = "、".join(
        f"{named[added[at]]}{esc(added[at].text)}{len(group)}条"
        for at, group in zip(headings, _groups(texts, headings), strict=True)
    )
    notice = f"这段内容按方面分开记下：{written}。" if written else ""
    notices = [opening, notice, lead.notice, items.repeated(view, step, points, kept, again)]
    reply = prompts.item_added(view, step, "".join(notices), lead.replaced)
    replies: list[Outgoing] = [reply]
    ids = {a.id for a in added if a.role != AnswerRole.HEADING}
    await review.note(ctx, replies, view, step, item_ids=ids)
    return replies


def _groups(texts: list[str], headings: list[int]) -> list[list[str]]:
    """The points under each heading of ``texts`` (``headings`` their indexes)."""
    ends = [*headings[1:], len(texts)]
    return [texts[start + 1 : end] for start, end in zip(headings, ends, strict=True)]


def _kept_whole(answer: Answer) -> str:
    """Under a point stored whole with the 一是、二是 it lists, the way to make them points of their own."""
    points = held_points(answer.text)
    if not points:
        return ""
    return f"其中几点作为这一条的具体表现一并记下；要分开记，{prompts.split_how(len(points))}。"


def _example_hint(step: Step, text: str) -> str:
    """Under the answer to a question put to the bot (怎么写？), the way to the step's example."""
    assert step.section is not None
    return "点“看示例”可以看一段参考写法。" if step.section.example and itemcheck.is_asked(text) else ""


async def _answer_aspects(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    parts: list[tuple[Step, Split]],
    source: tuple[int, int],
    opening: str = "",
) -> list[Outgoing]:
    """A block that writes several aspects under their headings: each aspect's points are stored in
    that aspect, or, when one of them cannot be, none is."""
    for target, split in parts:
        fresh = items.fresh(view, target, split.items)[0]
        problem = items.unfit(split) or items.too_many(view, target, len(fresh))
        if problem is not None:
            return [prompts.present(ctx.catalog, view, f"{level2(target.aspect)}：{problem}")]
    counts: dict[str, int] = {}
    said: list[str] = []
    added_to: dict[str, set[int]] = {}
    restore: int | None = None
    for target, split in parts:
        where = level2(target.aspect)
        if split.lead:
            had_one = view.lead(target) is not None
            lead = await items.set_lead(ctx, view, target, split.lead, source)
            said.append(f"{where}{lead.notice}" if had_one else f"{where}开头一段作为引言（不编号）。")
            restore = lead.replaced if target.key == step.key else restore
        added, repeated = await items.add(ctx, view, target, len(view.slot(target)), split.items, source)
        counts[target.key] = counts.get(target.key, 0) + len(added)
        added_to.setdefault(target.key, set()).update(a.id for a in added)
        if repeated:
            said.append(f"{where}中{repeated}")
    written = "、".join(f"{level2(view.step(key).aspect)}{count}条" for key, count in counts.items() if count)
    notice = f"这段内容按方面标题分开记下：{written}。" if written else ""
    replies: list[Outgoing] = [prompts.item_added(view, step, opening + notice + "".join(said), restore)]
    for key, ids in added_to.items():
        await review.note(ctx, replies, view, view.step(key), item_ids=ids)
    return replies


async def _go_on(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    going_on: continuation.Continuation,
    source: tuple[int, int],
) -> list[Outgoing]:
    """The message is the rest of the previous one, which Telegram cut: join it where it was cut."""
    joined = going_on.answer
    continuation.join(ctx.session, going_on, ctx.user.id, source[1])
    at = items.step_of(view, joined)
    assert at.section is not None
    rejoined = (
        "已与上一条合为一段"
        if at.section.answer == "text"
        else f"开头部分已接回{at.item_name(view.slot(at).index(joined) + 1, len(view.slot(at)))}"
    )
    notice = f"这条消息接着上一条（超过4096字的文字，Telegram 会分成几条发送），{rejoined}。"
    if going_on.rest:
        stored = await _store(ctx, view, step, going_on.rest, source)
        if stored and isinstance(stored[0], Reply):
            stored[0].insert(notice, after="")
        return stored
    if at.key != step.key or at.section.answer == "text":
        return [prompts.present(ctx.catalog, view, notice)]
    replies: list[Outgoing] = [prompts.item_added(view, step, notice)]
    await review.note(ctx, replies, view, step, item_ids={joined.id})
    return replies


async def finish(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    assert step.section is not None
    if step.section.required and not view.slot(step):
        notice = "这一部分是必填的，请至少写一条再点“填写完毕”。"
        return [prompts.present(ctx.catalog, view, notice)]
    count = len(view.points(step))
    part = "方面" if step.aspect else "部分"
    if count:
        notice = f"好的，这一{part}共{count}条。{_count_hint(step, count)}"
    elif view.lead(step) is not None:
        notice = f"好的，这一{part}只写了开头一段，没有分条。"
    else:  # an optional part left empty: as if skipped
        return await skip(ctx, view, step)
    replies = await review.advance(ctx, view, step, notice)
    await review.note(ctx, replies, view, step, after=notice)
    return replies


def _count_hint(step: Step, count: int) -> str:
    section = step.section
    assert section is not None
    if section.min_items and 0 < count < section.min_items:
        return f"\n（一般写{section.min_items}条以上，之后可以回来补充。）"
    if section.max_items and count > section.max_items:
        return f"\n（一般不超过{section.max_items}条，条目多时可考虑合并同类项。）"
    return ""


async def keep(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    if step.is_setup:  # 保持不变 typed at the date, name, unit or position
        return await setup.keep(ctx, view, step)
    return await review.advance(ctx, view, step, "保持不变。")


async def skip(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    """Leave an optional part out. One already written is not left out by moving on, so its
    content is named and the user chooses: delete it, or keep it as it is."""
    assert step.section is not None
    if step.section.required:
        return [prompts.present(ctx.catalog, view, "这一部分是必填的，不能跳过。")]
    if _written(view, step):
        return [prompts.clear_question(view, step)]
    return await review.advance(ctx, view, step, "已跳过这一部分，需要时可在全文概览里补写。")


async def clear(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    """Delete everything written in an optional part (its items and lead, or its text) and move on."""
    assert step.section is not None
    if step.section.required:
        return [prompts.present(ctx.catalog, view, "这一部分是必填的，不能删去。")]
    for answer in _written(view, step):
        repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
    return await review.advance(ctx, view, step, "已删去这一部分的内容，材料中不再有这一部分。")


def _written(view: DraftView, step: Step) -> list[Answer]:
    lead = view.lead(step)
    return [*([lead] if lead is not None else []), *view.slot(step)]


async def undo_last(ctx: FlowContext, view: DraftView, step: Step) -> list[Outgoing]:
    answers = view.slot(step)
    if not answers:
        only_lead = f"这一部分还没有条目，只有开头一段；要改或删除它，请点“{labels.Label.MANAGE}”。"
        notice = only_lead if view.lead(step) is not None else "这一部分还没有内容。"
        return [prompts.present(ctx.catalog, view, notice)]
    name = view.marked(step)[-1]
    repo.remove_answer(ctx.session, view.draft, answers[-1], ctx.user.id)
    if len(answers) > 1 and answers[-2].role == AnswerRole.HEADING:  # left over no point: it goes too
        repo.remove_answer(ctx.session, view.draft, answers[-2], ctx.user.id)
    notice = f"已撤销{name}：{esc(answers[-1].text[:30])}"
    return await ctx.move(view, step, notice)


MIDDLE_PART = (
    "这条消息是一段长文字的中间部分（超过4096字的文字，Telegram 会分成几条发送），"
    "这次修改没有记入，材料中仍是原来的文字。请到“{where}”直接修改。"
)


def _cut_around(answer: Answer, chat_id: int, message_id: int) -> bool:
    """Whether ``message_id`` lies between the first part of a cut text and its last part joined."""
    first, last = answer.source_message_id, answer.joined_message_id
    return (
        answer.source_chat_id == chat_id
        and first is not None
        and last is not None
        and first < message_id < last
    )


async def edited(ctx: FlowContext, chat_id: int, message_id: int, text: str) -> list[Outgoing]:
    """An edited user message rewrites whatever it produced, in place, keeping the items' ids."""
    draft = await repo.draft_of_message(ctx.session, ctx.user.id, chat_id, message_id)
    if draft is None:
        return []
    view = DraftView.build(ctx.catalog, draft)
    old = [a for a in view.answers if (a.source_chat_id, a.source_message_id) == (chat_id, message_id)]
    old.sort(key=lambda a: a.id)  # the order the message gave them, wherever they were moved since
    carrier = next(
        (a for a in view.answers if (a.source_chat_id, a.joined_message_id) == (chat_id, message_id)), None
    )
    middle = next((a for a in view.answers if _cut_around(a, chat_id, message_id)), None)
    first = old[0] if old else carrier or middle
    assert first is not None  # the draft was found by one or the other
    step = items.step_of(view, first)
    if step.section is None or step.section.key != first.section:
        return []  # the section no longer exists in this draft's template
    where = _heading(view, step)
    if first is middle:  # only the first part and the last one joined to it are remembered
        return [Reply(MIDDLE_PART.format(where=esc(where)))]
    if labels.typed(text) is not None:
        return [Reply(_label_kept(view, step, old or [first], text, where))]
    if (heading := items.own_heading(view, step, text)) is not None and heading.rest:
        text = heading.rest  # left out when the message was first sent (_store)
    if step.section.answer == "items":  # guarded as the message was (_answer_items), before any change
        elsewhere = items.misplaced(view, step, text, items.aspect_parts(view, step, text), edited=True)
        if elsewhere is not None:
            return [Reply(elsewhere.said, _to_part(view, elsewhere))]
    if carrier is not None:  # a later part of a cut text: its opening words went on with this answer
        text, rewritten = await _edited_rest(ctx, view, carrier, text, (chat_id, message_id), bool(old))
        if not old and not rewritten:
            return [
                Reply(
                    f"“{esc(where)}”中接着上一条的这段文字后来已整段改过，这次修改没有再更新它，请在那里直接修改。"
                )
            ]
        if not old:
            replies: list[Outgoing] = [Reply(f"已按您修改后的消息更新“{esc(where)}”。")]
            await review.note(ctx, replies, view, step, item_ids={carrier.id})
            return replies
    # The first part of a text the client cut: the words of the part after it stay where they were.
    later = await continuation.later_share(ctx.session, old)
    if later is not None:
        text = text.rstrip() + later[1]
    if step.section.answer == "text":
        repo.change_answer(ctx.session, first, text, ctx.user.id)
        if later is not None:
            continuation.rejoined(ctx.session, [first], later[1], ctx.user.id)
        replies = [Reply(f"已按您修改后的消息更新“{esc(where)}”。")]
        await review.note(ctx, replies, view, step)
        return replies
    if later is None and (block := _regrouped(step, old, text)) is not None:
        return await _rewrite_grouped(ctx, view, step, old, block, (chat_id, message_id))
    parts = items.aspect_parts(view, step, text)  # divided as the message was (_answer_items)
    left_out = ""
    if parts is not None and [target.key for target, _ in parts] != [step.key]:
        done = await _rewrite_aspects(ctx, view, old, parts, (chat_id, message_id))
    else:
        split = parts[0][1] if parts else split_answer(text)
        done = [await _rewrite(ctx, view, step, old, split, (chat_id, message_id))]
        if parts is not None and (own := items.own_aspect_heading(view, step, text)) is not None:
            left_out = ASPECT_HEADING_LEFT_OUT.format(heading=esc(own))
    touched = [a for one in done for a in one.touched]
    if later is not None:
        source = (chat_id, message_id)
        ours = [a for a in view.answers if (a.source_chat_id, a.source_message_id) == source]
        continuation.rejoined(
            ctx.session, sorted(ours, key=lambda a: (a.section, a.aspect, a.position)), later[1], ctx.user.id
        )
    added = [a for one in done for a in one.added]
    in_place = [a for a in touched if a not in added]
    updated = _told(view, in_place, added)
    dropped = "，".join(one.dropped for one in done if one.dropped)
    said = "".join(one.kept_as_was + one.repeated + one.lead.notice for one in done)
    if updated:
        updated = f"已按您修改后的消息{updated}。"
    elif not (dropped or said):
        updated = f"已按您修改后的消息更新“{esc(where)}”。"
    removed = f"已删去{dropped}。" if dropped else ""
    restore = next((one.lead.replaced for one in done if one.step.key == step.key), None)
    dates, rows = deadline_step.rewritten_dates(ctx, view, touched)
    noted: list[Outgoing] = [
        Reply(
            "\n".join(filter(None, [f"{left_out}{updated}{removed}{said}", dates])),
            [*rows, *prompts.restore_lead_row(view, step, restore)],
        )
    ]
    for place in _places(view, touched) or [step]:
        ids = {a.id for a in touched if a in view.slot(place)}
        await review.note(ctx, noted, view, place, item_ids=ids)
    return noted


def _regrouped(step: Step, old: list[Answer], text: str) -> Grouped | None:
    """The edited text of a message sent to 上年度, when it heads aspects of last year's material
    or wrote such headings before (then as a list without them): None for any other message."""
    assert step.section is not None
    if step.section.role is not SectionRole.LAST_YEAR:
        return None
    if (block := grouped(text, step.section.heading or "")) is not None:
        return block
    if not any(a.role == AnswerRole.HEADING for a in old):
        return None
    split = split_answer(text)
    return Grouped(split.lead, split.items, [])


async def _rewrite_grouped(
    ctx: FlowContext, view: DraftView, step: Step, old: list[Answer], block: Grouped, source: tuple[int, int]
) -> list[Outgoing]:
    """Rewrite what a message sent to 上年度 stored as its edited text reads (``_answer_grouped``):
    its headings and points in place, in their order, keeping their ids; those it no longer has are
    deleted, those it adds follow its last."""
    rows = sorted((a for a in old if a.role != AnswerRole.LEAD), key=lambda a: a.position)
    texts, headings = block.rows()
    lead = next((a for a in old if a.role == AnswerRole.LEAD), None)
    if lead is not None and block.lead:
        repo.change_answer(ctx.session, lead, block.lead, ctx.user.id)
    elif lead is not None:
        repo.remove_answer(ctx.session, view.draft, lead, ctx.user.id)
    elif block.lead:
        await items.set_lead(ctx, view, step, block.lead, source)
    for n, (answer, text) in enumerate(zip(rows, texts, strict=False)):
        repo.change_answer(ctx.session, answer, text, ctx.user.id)
        answer.role = AnswerRole.HEADING if n in headings else AnswerRole.ITEM
    for answer in rows[len(texts) :]:
        repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
    slot = view.slot(step)
    at = slot.index(rows[-1]) + 1 if rows and len(texts) > len(rows) else len(slot)
    more = [h - len(rows) for h in headings if h >= len(rows)]
    added = await items.place(ctx, view, step, at, texts[len(rows) :], source, more)
    points = {a.id for a in [*rows[: len(texts)], *added] if a.role != AnswerRole.HEADING}
    replies: list[Outgoing] = [Reply(f"已按您修改后的消息更新“{esc(_heading(view, step))}”。")]
    await review.note(ctx, replies, view, step, item_ids=points)
    return replies


async def _edited_rest(
    ctx: FlowContext, view: DraftView, carrier: Answer, text: str, source: tuple[int, int], wrote: bool
) -> tuple[str, bool]:
    """An edited later part of a cut text: its opening words, joined to ``carrier``, rewritten there
    (False when that answer was rewritten as a whole since); what is left is the message's own
    points, for its own answers (``wrote``) to be rewritten from. A message that wrote none of its
    own gets the points it adds now, after the carrier."""
    step = items.step_of(view, carrier)
    assert step.section is not None
    head, rest = (text.strip(), "") if step.section.answer == "text" else split_rest(text)
    rewritten = await continuation.rewrite_joined(ctx.session, carrier, head, ctx.user.id)
    if rest and not wrote:
        points = split_answer(rest).items
        await items.place(ctx, view, step, view.slot(step).index(carrier) + 1, points, source)
    return rest, rewritten


@dataclass(frozen=True)
class _Rewritten:
    """What rewriting one list from an edited message did, in the words the reply is made of."""

    step: Step
    touched: list[Answer]
    """Every item (and lead) the edit wrote: rewritten in place or ``added``."""
    dropped: str
    repeated: str
    kept_as_was: str
    lead: items.LeadSet
    added: tuple[Answer, ...] = ()


async def _rewrite(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    old: list[Answer],
    split: Split,
    source: tuple[int, int],
    kept_besides: Sequence[Answer] = (),
) -> _Rewritten:
    """The message's items (and lead) of one list, ``old``, rewritten from ``split`` in place, pair by
    pair, keeping their ids: one moved to another aspect stays there; points beyond them are inserted
    after the last of the message's items (``kept_besides``: those of the list it left as they are)."""
    old_items = [a for a in old if a.role == AnswerRole.ITEM]
    old_lead = next((a for a in old if a.role == AnswerRole.LEAD), None)
    dropped = _named(view, old_items[len(split.items) :])  # numbered as they were
    changed, rest, kept_as_was = items.replace_texts(ctx, view, old_items, split)
    kept = [*kept_besides, *old_items[: len(split.items)]]
    there = items.step_of(view, kept[-1]) if kept else step
    slot = view.slot(there)
    at = max((slot.index(a) + 1 for a in kept if a in slot), default=len(slot))
    added, repeated = await items.add(ctx, view, there, at, rest, source)
    lead = items.LeadSet("")
    touched: list[Answer] = [*changed, *added]
    if split.lead is not None and old_lead is not None:  # the message's own lead, rewritten
        if old_lead.text != split.lead:
            repo.change_answer(ctx.session, old_lead, split.lead, ctx.user.id)
            touched.insert(0, old_lead)
    elif split.lead is not None:
        lead = await items.set_lead(ctx, view, step, split.lead, source)
    elif old_lead is not None:  # the message no longer opens with it
        at_lead = items.step_of(view, old_lead)
        lead = await items.drop_lead(ctx, view, at_lead, old_lead, _heading(view, at_lead))
    return _Rewritten(step, touched, dropped, repeated, kept_as_was, lead, tuple(added))


async def _rewrite_aspects(
    ctx: FlowContext,
    view: DraftView,
    old: list[Answer],
    parts: list[tuple[Step, Split]],
    source: tuple[int, int],
) -> list[_Rewritten]:
    """An edited block that writes several aspects under their headings (``_answer_aspects``): each
    aspect's points rewrite the message's items in that aspect, so an edit keeps every item in the
    aspect the block put it in. A point the edit left word for word stays as it is wherever it is
    now (moved to another aspect since, it is neither stored again nor deleted). One moved since to an
    aspect the block does not head is rewritten where it is now, by the point that stands in its
    place in the message."""
    merged: dict[str, tuple[Step, str | None, list[str]]] = {}
    for target, split in parts:
        _, lead, points = merged.get(target.key, (target, None, []))
        merged[target.key] = (target, lead or split.lead, [*points, *split.items])
    written = [a for a in old if a.role == AnswerRole.ITEM]  # in the message's order
    matched: set[int] = set()
    same: dict[str, list[Answer]] = {}
    unmatched: dict[int, tuple[str, str]] = {}  # by place in the message: the aspect's key, the point
    for place, (key, point) in enumerate((t.key, p) for t, split in parts for p in split.items):
        found = next(
            (a for a in written if a.id not in matched and normalise(a.text) == normalise(point)), None
        )
        if found is None:
            unmatched[place] = (key, point)
        else:
            matched.add(found.id)
            same.setdefault(key, []).append(found)
    done = [
        await _rewrite_stray(ctx, view, answer, unmatched.pop(place)[1])
        for place, answer in enumerate(written)
        if answer.id not in matched and items.step_of(view, answer).key not in merged and place in unmatched
    ]
    fresh: dict[str, list[str]] = {}
    for key, point in unmatched.values():
        fresh.setdefault(key, []).append(point)
    for target, lead, _ in merged.values():
        own = [a for a in old if a.id not in matched and items.step_of(view, a).key == target.key]
        kept = [a for a in same.get(target.key, []) if a in view.slot(target)]
        split = Split(lead, fresh.get(target.key, []))
        done.append(await _rewrite(ctx, view, target, own, split, source, kept))
    return done


async def _rewrite_stray(ctx: FlowContext, view: DraftView, answer: Answer, point: str) -> _Rewritten:
    """An item of an edited block moved since to an aspect the block does not head, rewritten there."""
    place = items.step_of(view, answer)
    changed, _, kept_as_was = items.replace_texts(ctx, view, [answer], Split(None, [point]))
    return _Rewritten(place, changed, "", "", kept_as_was, items.LeadSet(""))


def _places(view: DraftView, answers: list[Answer]) -> list[Step]:
    """The steps that hold the answers now, in the material's order."""
    keys = {items.step_of(view, a).key for a in answers}
    return [s for s in view.section_steps if s.key in keys]


def _named(view: DraftView, answers: list[Answer]) -> str:
    """The answers as the lists number them now: “（一）…方面”中的开头一段、一是，“…”中的三是."""
    return "，".join(
        f"“{esc(_heading(view, place))}”中的{_names(view, place, answers)}"
        for place in _places(view, answers)
    )


def _told(view: DraftView, rewritten: list[Answer], added: list[Answer]) -> str:
    """What an edited message did, place by place: 更新“…”中的一是，新增三是; 新增“…”中的二是."""
    parts = []
    for place in _places(view, [*rewritten, *added]):
        done = [
            (verb, names)
            for verb, answers in (("更新", rewritten), ("新增", added))
            if (names := _names(view, place, answers))
        ]
        (verb, names), *more = done
        where = f"“{esc(_heading(view, place))}”中的"
        parts.append(f"{verb}{where}{names}" + "".join(f"，{verb}{names}" for verb, names in more))
    return "；".join(parts)


def _names(view: DraftView, place: Step, answers: list[Answer]) -> str:
    """Those of ``answers`` in ``place``, as its list numbers them now: 开头一段、一是、三是."""
    slot = view.slot(place)
    names = [
        "开头一段" for a in answers if a.role == AnswerRole.LEAD and items.step_of(view, a).key == place.key
    ]
    names += [place.item_name(n, len(slot)) for n in sorted(slot.index(a) + 1 for a in answers if a in slot)]
    return "、".join(names)


def _heading(view: DraftView, step: Step) -> str:
    assert step.section is not None
    return view.aspect_heading(step) or step.section.heading or "导语"


def _label_kept(view: DraftView, step: Step, old: list[Answer], text: str, where: str) -> str:
    """An edit that leaves only a button's words changes nothing, as the same words sent would not:
    what the message wrote stays, and the user hears how to delete it if that is what he meant."""
    told = f"您把消息改成了“{esc(text)}”，这是按钮上的文字，没有记入材料，“{esc(where)}”"
    assert step.section is not None
    if step.section.answer == "text":
        return f"{told}保持原样。"
    how = f"如要删除，请回到这一部分点“{labels.Label.MANAGE}”，选中要删的一条后点“删除”。"
    return f"{told}中的{_names(view, step, old)}保持原样。{how}"


async def on_text(
    ctx: FlowContext, text: str, source: tuple[int, int], sent: datetime | None = None
) -> list[Outgoing]:
    """Route free text to whatever the current step (or an open question) is waiting for; the meeting
    date asked back is the date step's (a date sent replaces it)."""
    pending = ctx.pending
    if pending is not None and text and pending.awaiting is not Awaiting.MEETING_DATE:
        if pending.awaiting is Awaiting.NEW_KIND:
            return await setup.kind_asked_again(ctx, pending, "这条消息没有记入材料：新材料还没有选择类型。")
        if pending.awaiting.is_item:
            return await items.on_pending_text(ctx, pending, text)
        if pending.awaiting.is_team:
            return await team_questions.on_question(ctx, pending, text)
        if pending.awaiting.is_desk:
            return await desk.on_pending_text(ctx, pending, text)
        return await followup.on_pending_text(ctx, pending, text, ctx.today, ctx.now)
    view = await ctx.view()
    if view is None and text and (pasted := await review.pasted_without_draft(ctx, text, source, sent)):
        return pasted
    if view is None:
        return (
            await drafts.no_draft(ctx, "这条消息没有记下。", UNPLACED) if text else await drafts.no_draft(ctx)
        )
    if not text:
        return [await ctx.prompt(view, "没有收到文字内容，请直接发送文字。")]
    step = view.step()
    if step.key == steps.ASPECTS:
        return await setup.paste_aspects(ctx, view, text)
    if step.key == steps.THEME and (pasted := await setup.aspects_at_theme(ctx, view, text)) is not None:
        return pasted
    if step.key == steps.DATE:
        return await setup.set_date(ctx, view, text, source, sent)
    if step.meta_field:
        return await setup.set_meta(ctx, view, step.meta_field, text, source, sent)
    if step.section is not None:
        return await answer(ctx, view, text, source, sent)
    if step.key == steps.DEADLINES:
        return await deadline_step.on_text(ctx, view, text)
    return [prompts.present(ctx.catalog, view, "这一步请点击下面的按钮选择。")]

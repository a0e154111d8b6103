"""The items of a list step as a list: store, insert, edit, move and delete them, and its lead.

Items keep their ids through every change (a measure, a finding or a link names the item, not its
number); positions are renumbered 0..n-1 after each change, so the stored order is the shown one.
Every change of an existing item leaves its previous text in the revision history.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot import continuation, itemcheck, links, prompts
from bot.aspect_blocks import by_aspect
from bot.document import Item, SectionRole
from bot.draftview import DraftView
from bot.flows import deadline_step, review
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.numbering import HIERARCHY, MarkerMatch, MarkerStyle, match_marker
from bot.parsing.classify import MAX_BARE_HEADING, MAX_HEADING, bare_heading_role, looks_like_aspect
from bot.pending import Awaiting, Pending
from bot.replies import Outgoing, Reply
from bot.review.aspects import score_as_written
from bot.review.findings import Place
from bot.review.similar import normalise
from bot.splitter import Split, held_points, one_text, split_answer
from bot.steps import Step
from bot.texts import esc, level2, preview
from storage import repo
from storage.models import LEAD_POSITION, Answer, AnswerRole

MAX_ITEMS_PER_SLOT = 30
GONE = "这一条已经不在了，下面是当前内容。"


def problem_step(view: DraftView, aspect: int) -> Step | None:
    """The step of the problems section that holds ``aspect`` (1-based), if the draft has it."""
    return next(
        (
            s
            for s in view.section_steps
            if s.section is not None and s.section.role == SectionRole.PROBLEMS and s.aspect == aspect
        ),
        None,
    )


def _problems_aspect(step: Step) -> bool:
    """An aspect of the problems part: where a block may head aspects, or parts, of its own."""
    return bool(step.aspect) and step.section is not None and step.section.role is SectionRole.PROBLEMS


def aspect_parts(view: DraftView, step: Step, text: str) -> list[tuple[Step, Split]] | None:
    """A block sent to a problems aspect that writes aspects under their own headings (``by_aspect``):
    each part's aspect step and its points, the text before the first heading going to ``step``;
    None when the block heads no aspect of the draft."""
    if not _problems_aspect(step):
        return None
    parts = by_aspect(text, [aspect["text"] for aspect in view.aspects])
    if parts is None:
        return None
    found = []
    for part in parts:
        target = step if part.aspect is None else problem_step(view, part.aspect)
        if target is None:
            return None
        found.append((target, split_answer(part.text)))
    return found


def own_aspect_heading(view: DraftView, step: Step, text: str) -> str | None:
    """The line that heads this very aspect over its points (在增强党性方面：): left out of them, as
    every aspect's heading is, which the material writes itself; None when the block heads no aspect
    or heads others too (``aspect_parts`` divides those)."""
    if not _problems_aspect(step):
        return None
    parts = by_aspect(text, [aspect["text"] for aspect in view.aspects])
    if parts is None or any(part.aspect not in (None, step.aspect) for part in parts):
        return None
    return next((part.heading for part in parts if part.aspect == step.aspect), None)


BARE_HEADING_COVERAGE = 0.8
"""How much of a part's heading a line must write to be read as that heading, where its role does
not tell the part (no 一、 before it, or another part of that role)."""


@dataclass(frozen=True)
class Heading:
    """A part's own heading line opening a message, and the text after it."""

    line: str
    rest: str


def own_heading(view: DraftView, step: Step, text: str) -> Heading | None:
    """The heading of the step's part opening a message, as a part is pasted with its heading
    (一、上年度问题整改情况): the material numbers and titles its parts itself, so the line is no
    item, and read as one it would swallow the points below it. Only a heading of this part's role
    counts, and in a problems part not an aspect's (…方面), which ``aspect_parts`` places; without
    its 一、, or where another part has the same role (八项规定… beside 反面典型案例…), only one close
    to the part's own heading."""
    assert step.section is not None
    line, _, rest = text.strip().partition("\n")
    marker, title, role = _titled(line)
    if marker is not None and marker.style is not MarkerStyle.LEVEL1:
        return None
    if role is not step.section.role or (role is SectionRole.PROBLEMS and "方面" in title):
        return None
    shared = sum(section.role is role for section in view.sections) > 1
    close = _close(title, step.section.heading or "")
    if (marker is None or shared) and not close:
        return None  # 思想根源 may title a first cause; 八项规定… is not 反面典型案例剖析's heading
    return Heading(line.strip(), rest.strip())


def _titled(line: str) -> tuple[MarkerMatch | None, str, SectionRole | None]:
    """A line read as a heading: its marker, its title and the part of the material the title
    names; after 一、 a part's title may run longer (二、2025年度民主生活会查摆问题整改落实情况)."""
    marker = match_marker(line)
    title = line[marker.end :].strip(" \t　、") if marker is not None else line
    level1 = marker is not None and marker.style is MarkerStyle.LEVEL1
    return marker, title, bare_heading_role(title, MAX_HEADING if level1 else MAX_BARE_HEADING)


@dataclass(frozen=True)
class Misplaced:
    """Why a block sent to a list step, or a message edited there, is not stored there: it heads
    aspects or a part of its own. ``step`` is the draft's step of the part it belongs to, for the
    button to it (None when there is no such part)."""

    said: str
    step: Step | None = None


def misplaced(
    view: DraftView, step: Step, text: str, parts: list[tuple[Step, Split]] | None, *, edited: bool = False
) -> Misplaced | None:
    """The guards a block passes before it is stored as a list step's points, whether it is sent or
    an earlier message is edited into it: the heading of another part (``other_part``), the
    draft's aspect headings with nothing under them (``parts`` empty: copied a line at a time), or
    headings of aspects that are none of the draft's (``foreign_aspects``; not when ``parts``, the
    block's division among the draft's own aspects, places it). ``edited`` words the reply."""
    found = other_part(view, step, text, edited)
    if found is None and parts == []:
        current = esc(prompts.section_label(view, step))
        if edited:
            return Misplaced(
                f"修改后的消息只有方面标题，没有内容，这次修改没有记入，“{current}”中仍是修改前的文字。"
                "方面标题由我统一编排，不用写在消息里。"
            )
        return Misplaced(
            f"这条消息只有方面标题，没有内容。方面标题由我统一编排，不用发送；请直接发送问题，现在填写的是{current}。"
        )
    return found or (None if parts is not None else foreign_aspects(view, step, text, edited))


def foreign_aspects(view: DraftView, step: Step, text: str, edited: bool = False) -> Misplaced | None:
    """Why a block sent to a problems aspect is not stored when it heads aspects of its own that
    are none of the draft's (（一）理论学习方面 where the notice asks 政治合格…): read as items, each
    heading would swallow the points under it, all in the aspect at hand. None when it heads none
    (``aspect_parts`` places a block that heads the draft's own)."""
    if not _problems_aspect(step):
        return None
    headings = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        marker, title, role = _titled(line)
        if marker is None or marker.style not in HIERARCHY[:2]:
            continue
        part = marker.style is MarkerStyle.LEVEL1 and role is not None
        if not part and looks_like_aspect(title, own_line=False):
            headings.append(line)  # not 四、八项规定学习教育整改整治情况, a part's heading
    if not headings:
        return None
    named = "、".join(f"“{esc(line)}”" for line in headings[:3])
    ours = "、".join(f"{level2(n)}{aspect['heading']}" for n, aspect in enumerate(view.aspects, 1))
    current = esc(prompts.section_label(view, step))
    if edited:
        return Misplaced(
            f"修改后的消息按{named}分了方面，和本材料的方面不同，这次修改没有记入，{current}中仍是修改前的文字。"
            f"本材料的方面是：{esc(ours)}。请去掉这些方面标题后再修改，或把各条问题分别发在对应的方面下。"
        )
    return Misplaced(
        f"这段内容按{named}分了方面，和本材料的方面不同，没有记下。本材料的方面是：{esc(ours)}。"
        f"请去掉这些方面标题，把各条问题分别发在对应的方面下，现在填写的是{current}。"
    )


def other_part(view: DraftView, step: Step, text: str, edited: bool = False) -> Misplaced | None:
    """A block sent to a list step (an aspect's problems, 上年度, the causes, the measures) that holds
    the heading of another part of the material: one of the extra parts a year or a kind adds
    (四、严格落实中央八项规定精神方面存在的问题, 五、反面典型案例剖析, 需要向组织说明的事项), or another
    of its parts (三、整改措施 at the causes): read as items, the heading and the part under it would
    become points of the list at hand. After 一、 the heading's words tell the part; without it, only
    a line close to the heading of one of the draft's parts of that kind is one (严格执行八项规定 may
    be a problem), and none that writes one of the draft's aspects. None when no line heads such a
    part. An extra part is the one sharing words with the heading; None when the draft has none."""
    assert step.section is not None
    own = step.section.role
    if step.section.answer != "items" or own is SectionRole.EXTRA:
        return None
    firsts: dict[str, Step] = {}
    for other in view.section_steps:
        if other.section is not None and other.section.role is not own:
            firsts.setdefault(other.section.key, other)
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        marker, title, role = _titled(line)
        if role is None or role is own or (marker is not None and marker.style is not MarkerStyle.LEVEL1):
            continue
        parts = {s: s.section.heading or "" for s in firsts.values() if s.section and s.section.role is role}
        if marker is None and not any(_close(title, heading) for heading in parts.values()):
            continue
        if any(_close(title, aspect["text"]) for aspect in view.aspects):
            continue
        shared = {s: review.shared_words(title, heading) for s, heading in parts.items()}
        best = max(shared, key=shared.__getitem__, default=None)
        found = best if best is not None and (shared[best] or role is not SectionRole.EXTRA) else None
        return Misplaced(_elsewhere(view, step, line, found, edited), found)
    return None


def _close(written: str, heading: str) -> bool:
    return score_as_written(written, heading).coverage >= BARE_HEADING_COVERAGE


def _elsewhere(view: DraftView, step: Step, line: str, part: Step | None, edited: bool) -> str:
    """Why a block holding the heading ``line`` of another part is not stored at ``step``, and
    where its content goes: the draft's ``part`` of that heading, reached by the button below."""
    current = f"“{esc(prompts.section_label(view, step))}”"
    kept = (
        f"这次修改没有记入，{current}中仍是修改前的文字。"
        if edited
        else f"这段内容没有记在{current}下，已记下的不受影响。"
    )
    again = "修改" if edited else "发送"
    if part is None:
        what = "这一方面的问题" if step.aspect else "这一部分的内容"
        gone = f"“{esc(line)}”是材料另一部分的标题，本材料没有这一部分，"
        return f"{gone}{kept}{what}请去掉这个标题后再{again}。"
    assert part.section is not None
    name = esc(part.section.heading or "")
    ahead = view.section_steps.index(part) > view.section_steps.index(step)
    where = f"在{'各方面' if step.aspect else current}{'之后' if ahead else '之前'}"
    later = f"（也可以等{'各方面' if step.aspect else '这一部分'}填完再写）" if ahead else ""
    return (
        f"“{esc(line)}”是“{name}”这一部分的标题，{kept}"
        f"“{name}”{where}单独成部分：请点下面的按钮到那一部分去写{later}，"
        "发送时不用带标题，材料中的标题由我统一编排。"
    )


def unfit(split: Split) -> str | None:
    """Why the message's items should not be stored as they are (emoji only, a sentence pasted over
    and over, a whole document as one item), as an escaped question; None when they are fine."""
    found = next((p for p in map(itemcheck.problem, split.items) if p is not None), None)
    return esc(found) if found is not None else None


def fresh(
    view: DraftView, step: Step, texts: list[str], besides: Collection[Answer] = ()
) -> tuple[list[str], list[Answer]]:
    """The texts not already in the step's list, and the items that the others repeat (a message
    sent twice, a block pasted again with one item more, an item rewritten as another); compared
    without spaces and punctuation. The items ``besides`` (those being rewritten) do not count."""
    stored = {normalise(a.text): a for a in view.slot(step) if a not in besides}
    kept: list[str] = []
    again: list[Answer] = []
    for text in texts:
        found = stored.get(normalise(text))
        if found is None:
            kept.append(text)
        elif found not in again:
            again.append(found)
    return kept, again


def repeated(view: DraftView, step: Step, texts: list[str], kept: list[str], again: list[Answer]) -> str:
    """The words that say which items were there already, numbered as the list reads now."""
    if not again:
        return ""
    which = _markers(view, step, again)
    if kept:
        return f"另有{len(texts) - len(kept)}条与已记下的{which}相同，没有重复记录。"
    these = "这一条" if len(texts) == 1 else "这几条"
    return f"{these}与已记下的{which}相同，像是重复发送了，没有再记一次。"


def _markers(view: DraftView, step: Step, answers: list[Answer]) -> str:
    """The items as the list numbers them now: 一是、三是."""
    slot, names = view.slot(step), view.names(step)
    return "、".join(names[slot.index(a)] for a in answers if a in slot)


def too_many(view: DraftView, step: Step, adding: int) -> str | None:
    existing = len(view.slot(step))
    if existing + adding <= MAX_ITEMS_PER_SLOT:
        return None
    return f"这一部分最多记{MAX_ITEMS_PER_SLOT}条，目前已有{existing}条。请先删除或合并几条再发送。"


async def add(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    at: int,
    texts: list[str],
    source: tuple[int, int] | None,
) -> tuple[list[Answer], str]:
    """New items at index ``at`` of the step's list, however they come (a message, 在此后插入, an
    edited message): those already in the list are not stored again (``fresh``). Returns the items
    added and the words that say which were not."""
    kept, again = fresh(view, step, texts)
    added = await place(ctx, view, step, at, kept, source)
    return added, repeated(view, step, texts, kept, again)


async def place(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    at: int,
    texts: list[str],
    source: tuple[int, int] | None,
    headings: Collection[int] = (),
) -> list[Answer]:
    """Insert items at index ``at`` of the step's list; flushed, so they have their ids. The
    ``headings`` (indexes into ``texts``) are headings the points after them are grouped under."""
    roles = [AnswerRole.HEADING if n in headings else AnswerRole.ITEM for n in range(len(texts))]
    added = [_add(ctx, view, step, text, source, role) for text, role in zip(texts, roles, strict=True)]
    current = [a for a in view.slot(step) if a not in added]
    _renumber(current[:at] + added + current[at:])
    await ctx.session.flush()
    return added


def _add(
    ctx: FlowContext,
    view: DraftView,
    step: Step,
    text: str,
    source: tuple[int, int] | None,
    role: AnswerRole,
) -> Answer:
    assert step.section is not None
    return repo.add_answer(
        view.draft,
        step.section.key,
        step.aspect,
        LEAD_POSITION if role is AnswerRole.LEAD else 0,
        text,
        author_id=ctx.user.id,
        source=source,
        is_measure=step.section.role == SectionRole.MEASURES,
        role=role,
    )


def _renumber(answers: list[Answer]) -> None:
    for position, answer in enumerate(answers):
        if answer.position != position:  # an unchanged item is not made dirty for the flush
            answer.position = position


@dataclass(frozen=True)
class LeadSet:
    """What storing a message's lead did: the words that say so, and the revision that keeps the
    lead it replaced (for 恢复原来的开头一段), when it replaced one."""

    notice: str
    replaced: int | None = None


async def set_lead(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int] | None
) -> LeadSet:
    """Store the step's lead paragraph. A list has one lead, so a later message's lead replaces the
    one there: the user hears which it replaced and gets the way back, since he may have meant
    neither (a sentence that only reads as a lead). The lead then comes from the new message, so
    editing that message, not the old one, changes or drops it."""
    scope = "方面" if step.aspect else "部分"
    current = view.lead(step)
    if current is None:
        _add(ctx, view, step, text, source, AnswerRole.LEAD)
        return LeadSet(
            f"开头一段已作为本{scope}的引言（不编号）；如果它其实是一条，可在“修改条目”里改为条目。"
        )
    if current.text == text:
        return LeadSet("")
    was = current.text
    revision = repo.keep_history(ctx.session, current, "replace", ctx.user.id)
    current.text, current.author_id = text, ctx.user.id
    current.source_chat_id, current.source_message_id = source if source is not None else (None, None)
    await ctx.session.flush()  # the revision's id, for the button
    replaced = f"本{scope}原有的开头一段（“{preview(was, 24)}”）已换成这条消息开头的一段"
    return _restorable(view, step, replaced, revision.id, f"点“{Label.MANAGE}”修改开头一段")


async def drop_lead(ctx: FlowContext, view: DraftView, step: Step, lead: Answer, where: str) -> LeadSet:
    """A lead its message no longer opens with (the message was edited): deleted, kept in its
    history. When it had replaced an earlier lead, that one can be restored."""
    earlier = await repo.last_revision(ctx.session, lead, "replace")
    repo.remove_answer(ctx.session, view.draft, lead, ctx.user.id)
    dropped = f"已删去“{esc(where)}”的开头一段（“{preview(lead.text, 24)}”）"
    if earlier is None:
        return LeadSet(f"{dropped}。")
    earlier_said = f"{dropped}；它替换过的开头一段是“{preview(earlier.text, 24)}”"
    return _restorable(view, step, earlier_said, earlier.id, "把那段重新发送")


def _restorable(view: DraftView, step: Step, said: str, revision_id: int, elsewhere: str) -> LeadSet:
    """The button that restores a lead works on the step's own screen: elsewhere (an earlier
    message edited) the user hears how to do it by hand instead."""
    if view.step().key != step.key:
        return LeadSet(f"{said}；如要改回，请回到这一部分{elsewhere}。")
    return LeadSet(f"{said}；如要改回，请点“{Label.RESTORE_LEAD}”。", revision_id)


async def restore_lead(ctx: FlowContext, view: DraftView, step: Step, revision_id: int) -> list[Outgoing]:
    """恢复原来的开头一段: the step's lead reads as it did before a message replaced it (or is that
    lead again, when an edit dropped the one that replaced it). It no longer comes from any message,
    so editing one leaves it alone."""
    revision = await repo.revision_of(ctx.session, view.draft, revision_id)
    if revision is None:
        return [prompts.item_added(view, step, "原来的开头一段已找不到了。")]
    lead = view.lead(step)
    if lead is not None and lead.text == revision.text:
        scope = "方面" if step.aspect else "部分"
        return [prompts.item_added(view, step, f"本{scope}的开头一段已经是原来的内容。")]
    if lead is None:
        _add(ctx, view, step, revision.text, None, AnswerRole.LEAD)
    else:
        repo.change_answer(ctx.session, lead, revision.text, ctx.user.id)
        lead.source_chat_id = lead.source_message_id = None
    return [prompts.item_added(view, step, f"已恢复原来的开头一段：“{preview(revision.text, 24)}”。")]


def replace_texts(
    ctx: FlowContext, view: DraftView, old: list[Answer], split: Split
) -> tuple[list[Answer], list[str], str]:
    """Rewrite ``old`` items (in order) with the split's items, keeping their ids pair by pair; an
    item whose new text repeats another item of its list (``fresh``) keeps its text.

    Returns the items whose text is new or changed, the texts still to insert after them, and the
    words that say which rewrites were not made.
    """
    changed = []
    kept_as_was = []
    for answer, text in zip(old, split.items, strict=False):
        if answer.text == text:
            continue
        place = step_of(view, answer)
        again = fresh(view, place, [text], besides=old)[1]
        if again:
            kept_as_was.append(
                f"修改后的{_markers(view, place, [answer])}与已记下的{_markers(view, place, again)}相同，"
                "没有修改，仍是原文。"
            )
            continue
        repo.change_answer(ctx.session, answer, text, ctx.user.id)
        changed.append(answer)
    for answer in old[len(split.items) :]:
        repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
    return changed, split.items[len(old) :], "".join(kept_as_was)


def step_of(view: DraftView, answer: Answer) -> Step:
    """The step whose list holds the answer now (an item moved to another aspect is there)."""
    return view.step(f"{answer.section}.{answer.aspect}" if answer.aspect else answer.section)


# -- the item menu --------------------------------------------------------------------------------


def _find(view: DraftView, step: Step, answer_id: int) -> Answer | None:
    lead = view.lead(step)
    if lead is not None and lead.id == answer_id:
        return lead
    return next((a for a in view.slot(step) if a.id == answer_id), None)


def _point(view: DraftView, step: Step, answer_id: int) -> Answer | None:
    """One of the step's points: what moves to another aspect or part, becomes the lead or is split;
    never a heading its points are grouped under (``AnswerRole.HEADING``), which only they carry."""
    return next((a for a in view.points(step) if a.id == answer_id), None)


def _label(view: DraftView, step: Step, answer: Answer) -> str:
    if answer.role == AnswerRole.LEAD:
        return "开头一段"
    return view.names(step)[view.slot(step).index(answer)]


async def open_found(ctx: FlowContext, public_id: str, place: Place) -> list[Outgoing]:
    """A finding's 去修改 under /check: the draft moves to the part the item it names is in, and the
    item's menu opens there (a part written as one text shows its prompt), so the user edits the
    very item named; a finding on a whole part or aspect (``place`` without an item) shows that
    step's prompt, where its text is added or changed."""
    view = await ctx.view()
    if view is None or view.draft.public_id != public_id:
        return [Reply(NOT_WRITTEN_NOW)]
    if place.item is not None:
        answer = next((a for a in view.answers if a.id == place.item), None)
        if answer is None:
            return [Reply(ITEM_GONE)]
        step = step_of(view, answer)
    else:
        answer, step = None, view.step(place.section)
        if step.key != place.section:  # an aspect the theme chosen since has not
            return [Reply("这一部分已不在材料中，请发送 /check 重新审核。")]
    moved = await ctx.move(view, step)
    if answer is None or step.section is None or step.section.answer != "items":
        return moved
    return [prompts.item_menu(view, step, answer, _label(view, step, answer))]


NOT_WRITTEN_NOW = "这份材料已不是正在填写的材料。请在 /drafts 中切换到它，再发送 /check。"
ITEM_GONE = "这一条已不在材料中，请发送 /check 重新审核。"


async def open_fix(ctx: FlowContext, public_id: str, problem_id: int) -> list[Outgoing]:
    """去修改 under a problem no measure answers (``measures.coverage*``, fixed in the measures): the
    draft moves to the measures, and the reply names the problem to write a measure for, with
    确认对应 / 调整对应 to pair it with one already written, as under the links table."""
    view = await ctx.view()
    if view is None or view.draft.public_id != public_id:
        return [Reply(NOT_WRITTEN_NOW)]
    problem = next((a for a in view.answers if a.id == problem_id), None)
    measures = view.first_step(SectionRole.MEASURES)
    if problem is None or measures is None:
        return [Reply(ITEM_GONE)]
    table = links.table(view)
    headline = Item.from_text(problem.text).headline.rstrip("。；;")
    notice = f"要整改问题“{esc(headline)}”，请在这一部分补写针对它的措施"
    notice += f"；已有的措施能整改它的，点“{Label.LINKS_EDIT}”把它对应过去。" if table else "。"
    moved = await ctx.move(view, measures, notice)
    if table and isinstance(moved[0], Reply):
        moved[0].buttons.insert(0, links.buttons(view))
    return moved


async def open_item(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    answer = _find(view, step, answer_id)
    if answer is None:
        return [prompts.manage_prompt(view, step, GONE)]
    return [prompts.item_menu(view, step, answer, _label(view, step, answer))]


async def ask_text(
    ctx: FlowContext, view: DraftView, step: Step, answer_id: int, awaiting: Awaiting
) -> list[Outgoing]:
    """Open the question whose answer (the next text) replaces the item or is inserted after it."""
    answer = _find(view, step, answer_id)
    if answer is None:
        return [prompts.manage_prompt(view, step, GONE)]
    ctx.ask(Pending(awaiting, answer.id))
    return [_question(view, step, answer, awaiting)]


def _question(view: DraftView, step: Step, answer: Answer, awaiting: Awaiting, notice: str = "") -> Reply:
    label = _label(view, step, answer)
    if awaiting is Awaiting.ITEM_EDIT:
        text = f"请发送{label}的新内容，发送后替换原文（编号不用写）。\n当前：{esc(answer.text)}"
    else:
        text = f"请发送要插在{label}之后的内容，可以是一条，也可以是带编号的几条。"
    return prompts.item_question(view, step, f"{notice}\n\n{text}" if notice else text)


async def ask_again(ctx: FlowContext, pending: Pending, notice: str) -> list[Outgoing]:
    """The open question about an item once more, after a message that did not answer it."""
    view = await ctx.view()
    found = _owner(view, pending.target) if view is not None else None
    if view is None or found is None:
        ctx.ask(None)
        return [Reply(f"{notice}\n要修改的那一条已经不在了。发送 /status 查看当前材料。")]
    step, answer = found
    return [_question(view, step, answer, pending.awaiting, notice)]


async def cancel(ctx: FlowContext, pending: Pending) -> list[Outgoing]:
    """The question about an item closed, back at its list, as the question's 取消 button does."""
    ctx.ask(None)
    view = await ctx.view()
    found = _owner(view, pending.target) if view is not None else None
    if view is None or found is None:
        return [Reply("已取消。")]
    return [prompts.manage_prompt(view, found[0], "已取消。")]


async def on_pending_text(ctx: FlowContext, pending: Pending, text: str) -> list[Outgoing]:
    """The text answering an item question: the item's new wording, or items to insert."""
    ctx.ask(None)
    view = await ctx.view()
    found = _owner(view, pending.target) if view is not None else None
    if view is None or found is None:
        return [Reply("要修改的那一条已经不在了，刚才的内容未保存。发送 /status 查看当前材料。")]
    step, answer = found
    split = split_answer(text)
    if not split.items and split.lead is None:
        ctx.ask(pending)
        return [prompts.item_question(view, step, "没有收到内容（只有编号？），请再发送一次。")]
    unfit_items = unfit(split)
    if unfit_items is not None:
        ctx.ask(pending)
        return [prompts.item_question(view, step, unfit_items)]
    if pending.awaiting is Awaiting.ITEM_EDIT:
        return await _edited(ctx, view, step, answer, text)
    # A lead sentence pasted with the points is the list's lead while it has none, not a point.
    as_lead = split.lead if view.lead(step) is None else None
    texts = ([split.lead] if split.lead and as_lead is None else []) + split.items
    problem = too_many(view, step, len(fresh(view, step, texts)[0]))
    if problem is not None:
        return [prompts.manage_prompt(view, step, problem)]
    at = view.slot(step).index(answer) + 1 if answer.role == AnswerRole.ITEM else 0
    added, repeated = await add(ctx, view, step, at, texts, None)
    numbers = [view.slot(step).index(a) + 1 for a in added]
    count = len(view.slot(step))
    inserted = (
        f"已插入{'、'.join(step.item_marker(n, count) for n in numbers)}，其后各条顺延。" if added else ""
    )
    notice = (
        inserted + repeated + ((await set_lead(ctx, view, step, as_lead, None)).notice if as_lead else "")
    )
    await ctx.session.flush()  # a new lead has its id for its button
    replies: list[Outgoing] = [prompts.manage_prompt(view, step, notice)]
    await review.note(ctx, replies, view, step, item_ids={a.id for a in added}, after=notice)
    return replies


async def _edited(ctx: FlowContext, view: DraftView, step: Step, answer: Answer, text: str) -> list[Outgoing]:
    """The item's new wording, with the note an item gets when it is written (a lead gets none: the
    review of one item does not read leads)."""
    label = _label(view, step, answer)
    notice = f"已修改{label}。"
    new = one_text(text)
    again = fresh(view, step, [new], besides=[answer])[1] if answer.role == AnswerRole.ITEM else []
    if again:  # asked again, as a text that is no answer is
        ctx.ask(Pending(Awaiting.ITEM_EDIT, answer.id))
        same = f"新内容与已记下的{_markers(view, step, again)}相同，{label}没有修改。"
        return [_question(view, step, answer, Awaiting.ITEM_EDIT, same)]
    repo.change_answer(ctx.session, answer, new, ctx.user.id)
    if answer.role == AnswerRole.LEAD:
        return [prompts.manage_prompt(view, step, notice)]
    dates, rows = deadline_step.rewritten_dates(ctx, view, [answer])
    menu = prompts.manage_prompt(view, step, "\n".join(filter(None, [notice, dates])))
    menu.buttons[:0] = rows
    replies: list[Outgoing] = [menu]
    await review.note(ctx, replies, view, step, item_ids={answer.id}, after=notice)
    return replies


def _owner(view: DraftView, answer_id: int) -> tuple[Step, Answer] | None:
    for step in view.section_steps:
        answer = _find(view, step, answer_id)
        if answer is not None:
            return step, answer
    return None


async def shift(ctx: FlowContext, view: DraftView, step: Step, answer_id: int, by: int) -> list[Outgoing]:
    """Move an item one place up (-1) or down (+1)."""
    answers = view.slot(step)
    answer = next((a for a in answers if a.id == answer_id), None)
    if answer is None:
        return [prompts.manage_prompt(view, step, GONE)]
    index = answers.index(answer)
    target = index + by
    if not 0 <= target < len(answers):
        edge = "第一条" if by < 0 else "最后一条"
        label = view.names(step)[index]
        return [prompts.item_menu(view, step, answer, label, f"这已经是{edge}了。")]
    was = view.names(step)[index]
    answers[index], answers[target] = answers[target], answers[index]
    _renumber(answers)
    repo.keep_history(ctx.session, answer, "move", ctx.user.id)
    now = view.names(step)[target]
    return [prompts.item_menu(view, step, answer, now, f"{was}已移到{now}。")]


async def choose_aspect(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    answer = _point(view, step, answer_id)
    if answer is None or not step.aspect:
        return [prompts.manage_prompt(view, step, GONE)]
    return [prompts.aspect_choice(view, step, answer)]


async def to_aspect(
    ctx: FlowContext, view: DraftView, step: Step, answer_id: int, aspect: int
) -> list[Outgoing]:
    """Move an item to the end of another aspect of the same section."""
    answer = _point(view, step, answer_id)
    if answer is None or not step.aspect or not 1 <= aspect <= len(view.aspects) or aspect == step.aspect:
        return [prompts.manage_prompt(view, step, GONE)]
    target = view.step(f"{step.key.rsplit('.', 1)[0]}.{aspect}")
    repo.keep_history(ctx.session, answer, "move", ctx.user.id)
    answer.aspect = aspect
    _renumber([a for a in view.slot(target) if a is not answer] + [answer])
    _renumber(view.slot(step))
    notice = f"已移到{in_aspect(view, target, answer)}。"
    return [prompts.manage_prompt(view, step, notice)]


def in_aspect(view: DraftView, step: Step, answer: Answer) -> str:
    """Where an item of an aspect now stands, as the chat names it wherever one is put there (moved,
    adopted from a proposal): ``（三）在带头敬畏人民…，记为其中的二是``, the list's own marker (none
    for its one point)."""
    heading = view.aspect_heading(step) or ""
    slot = view.slot(step)
    marker = step.item_marker(slot.index(answer) + 1, len(slot))
    where = f"{level2(step.aspect)}{preview(heading, 20)}"
    return f"{where}，记为其中的{marker}" if marker else where


async def choose_part(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    answer = _point(view, step, answer_id)
    if answer is None or not prompts.other_parts(view, step):
        return [prompts.manage_prompt(view, step, GONE)]
    return [prompts.part_choice(view, step, answer)]


def _relocate(ctx: FlowContext, view: DraftView, step: Step, answer: Answer, target: Step) -> None:
    """``answer`` of ``step`` moved to the end of ``target``'s list or text, as an item. Into the
    measures it becomes a measure; out of them it is one no longer, and out of the problems no
    measure is said to rectify it any more."""
    assert step.section is not None and target.section is not None
    repo.keep_history(ctx.session, answer, "move", ctx.user.id)
    if step.section.role == SectionRole.PROBLEMS:
        for _, measure in view.measures():
            measure.links = [link for link in measure.links if link.answer_id != answer.id]
    if step.section.role == SectionRole.MEASURES:
        answer.measure = None
    answer.section, answer.aspect, answer.role = target.section.key, target.aspect, AnswerRole.ITEM
    if target.section.role == SectionRole.MEASURES:
        repo.add_measure(view.draft, answer)
    _renumber([a for a in view.slot(target) if a is not answer] + [answer])


async def to_part(
    ctx: FlowContext, view: DraftView, step: Step, answer_id: int, place: int
) -> list[Outgoing]:
    """Move an item to the end of another part's list (a cause written among the problems, a
    problem among the causes); see ``_relocate``."""
    answer = _point(view, step, answer_id)
    target = dict(prompts.other_parts(view, step)).get(place)
    if answer is None or target is None or target.section is None or step.section is None:
        return [prompts.manage_prompt(view, step, GONE)]
    problem = too_many(view, target, 1)
    if problem is not None:
        return [prompts.manage_prompt(view, step, problem)]
    _relocate(ctx, view, step, answer, target)
    _renumber(view.slot(step))
    number = len(view.slot(target))
    marker = target.item_marker(number, number)
    placed = f"，记为其中的{marker}" if marker else ""
    notice = f"已移到“{esc(prompts.part_name(view, target))}”{placed}。"
    return [prompts.manage_prompt(view, step, notice)]


def continued_part(view: DraftView, step: Step, source: tuple[int, int]) -> Step | None:
    """The text part before ``step`` whose next paragraph a message arriving at ``step``'s still
    empty list may be: a text part takes one message and the bot moves on, so a paragraph typed
    after it, as a phone user sends them, arrives here. Only when that part was the last thing the
    user sent: its message came just before this one, the bot's reply to it in between. A part
    ending in a colon (现将…报告如下：) has said all it leads to: what follows is the next part's."""
    before = view.neighbour(step, -1)
    if before is None or before.section is None or before.section.answer != "text":
        return None
    if view.slot(step) or view.lead(step) is not None or not view.slot(before):
        return None
    text = view.slot(before)[-1]
    if (
        text.source_chat_id != source[0]
        or text.source_message_id is None
        or text.text.rstrip().endswith(("：", ":"))
    ):
        return None
    return before if 0 < source[1] - text.source_message_id <= continuation.MAX_GAP else None


async def join_previous(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    """The first item (or lead) of the list put back as the last paragraph of the text part before
    it, whose next paragraph it was. It stays an answer of its own there, so that editing either
    message changes its own paragraph only."""
    assert step.section is not None
    before = view.neighbour(step, -1)
    lead = view.lead(step)
    answer = lead if lead is not None and lead.id == answer_id else _point(view, step, answer_id)
    if answer is None or before is None or before.section is None or before.section.answer != "text":
        return [prompts.present(ctx.catalog, view, GONE)]
    if not view.slot(before):
        return [prompts.present(ctx.catalog, view, GONE)]
    _relocate(ctx, view, step, answer, before)
    _renumber(view.slot(step))
    notice = f"已接到“{esc(prompts.part_name(view, before))}”末尾，作为其中的一段。"
    return [prompts.present(ctx.catalog, view, notice)]


async def delete(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    answer = _find(view, step, answer_id)
    if answer is None:
        return [prompts.manage_prompt(view, step, GONE)]
    label = _label(view, step, answer)
    repo.remove_answer(ctx.session, view.draft, answer, ctx.user.id)
    _renumber(view.slot(step))
    renumbered = answer.role == AnswerRole.ITEM and view.slot(step)
    notice = f"已删除{label}" + ("，其余各条已重新编号。" if renumbered else "。")
    return [prompts.manage_prompt(view, step, notice)]


async def split_held(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    """拆为N条: the points an item holds (``held_points``) become items of their own, the first in
    the item's place with its id (its measure, links and history stay with it), the rest after it."""
    answer = _point(view, step, answer_id)
    points = held_points(answer.text) if answer is not None else []
    if answer is None or not points:
        return [prompts.manage_prompt(view, step, GONE)]
    problem = too_many(view, step, len(points) - 1)
    if problem is not None:
        return [prompts.manage_prompt(view, step, problem)]
    repo.change_answer(ctx.session, answer, points[0], ctx.user.id, "split")
    at = view.slot(step).index(answer) + 1
    added = await place(ctx, view, step, at, points[1:], None)
    slot = view.slot(step)
    first = slot.index(answer) + 1
    markers = step.item_run(first, first + len(added), len(slot))
    after = "，其后各条顺延" if slot[-1] is not added[-1] else ""
    return [prompts.manage_prompt(view, step, f"已拆为{len(points)}条：{markers}{after}。")]


async def make_lead(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    """Turn an item into the lead (e.g. a summary sentence stored as item （一）)."""
    answer = _point(view, step, answer_id)
    if answer is None:
        return [prompts.manage_prompt(view, step, GONE)]
    if view.lead(step) is not None:
        notice = "这里已经有开头一段了。请先把它改为条目或删除，再设置新的开头一段。"
        return [prompts.item_menu(view, step, answer, _label(view, step, answer), notice)]
    repo.keep_history(ctx.session, answer, "lead", ctx.user.id)
    answer.role, answer.position = AnswerRole.LEAD, LEAD_POSITION
    answer.measure = None  # a lead is not a rectification measure
    _renumber(view.slot(step))
    return [prompts.manage_prompt(view, step, "已改为开头一段（不编号），其余各条已重新编号。")]


async def make_item(ctx: FlowContext, view: DraftView, step: Step, answer_id: int) -> list[Outgoing]:
    """Turn the lead into the first item."""
    assert step.section is not None
    lead = view.lead(step)
    if lead is None or lead.id != answer_id:
        return [prompts.manage_prompt(view, step, GONE)]
    repo.keep_history(ctx.session, lead, "item", ctx.user.id)
    lead.role = AnswerRole.ITEM
    if step.section.role == SectionRole.MEASURES:
        repo.add_measure(view.draft, lead)
    _renumber([lead, *(a for a in view.slot(step) if a is not lead)])
    count = len(view.slot(step))
    notice = f"已改为{step.item_marker(1, count)}，其余各条顺延。" if count > 1 else "已改为条目。"
    return [prompts.manage_prompt(view, step, notice)]

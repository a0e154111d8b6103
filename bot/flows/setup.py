"""Starting a draft: kind, year/theme (or the user's own aspects), meeting date, name/unit/position."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from bot import itemcheck, meta_check, prompts, steps
from bot.callbacks import MAX_ID, Flow, encode
from bot.catalog import ThemeSpec, custom_theme
from bot.dates import (
    FULL_WIDTH_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    DateProblem,
    far_off,
    format_date,
    hand_in_date,
    read_date,
    year_of_meeting,
)
from bot.draftview import HAND_IN_BY, DraftView
from bot.flows import followup, items, review
from bot.flows.context import STALE, FlowContext
from bot.labels import Label
from bot.numbering import MarkerMatch, MarkerStyle, match_marker
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.splitter import numbered_points, split_items, strip_marker, titled_points
from bot.team import TeamRole, name_of
from bot.texts import char_count, esc, level2
from storage import repo, team
from storage.models import Answer, AnswerRole

MAX_ASPECTS = 12
MAX_ASPECT_CHARS = 120
_ROUGH_DATE = re.compile(
    r"[0-9０-９一二三四五六七八九十]+月(?:上旬|中旬|下旬|初|中|底|末|份|第?[一二三四1-4]周)"
    r"|春节|元旦|年初|年底|年前|年后|近期|月底|下周|下个?月|待定|未定|没定|不确定|左右|大概|可能"
)
"""A time named only roughly, which a meeting date typed as one answer often is."""
MAX_META_CHARS = 40
_SENTENCE = re.compile(r"[。！？!?]|如下$")
"""A sentence ended inside a long answer to a name, unit or post, or the 导语's closing (现将……报告如下：):
prose, such as the 导语 written ahead; a post's duties run on with 、，； and are no prose."""
CLOSING_PUNCTUATION = "。.，,；;：:！!、 "
"""Typed after a name, unit or position as after a sentence; they go into the title and signature."""


async def new_draft(ctx: FlowContext) -> list[Outgoing]:
    """The kinds to choose from. The draft is created when one is chosen, so a list left unanswered
    leaves no 未命名材料 behind. The question is stored on the user with the list's number, which
    its buttons carry: it survives a restart, and a second tap (or an older list) creates nothing."""
    listed = secrets.randbelow(MAX_ID) + 1
    ctx.ask(Pending(Awaiting.NEW_KIND, listed))
    return [prompts.new_kind_prompt(ctx.catalog, listed)]


async def start_draft(ctx: FlowContext, listed: int, kind_key: str) -> list[Outgoing]:
    """A kind chosen from the list ``new_draft`` showed: the draft is created now, with its kind."""
    pending = ctx.pending
    if pending is None or pending.awaiting is not Awaiting.NEW_KIND or pending.target != listed:
        view = await ctx.view()  # already answered (a second tap), or a list since left
        return [await ctx.prompt(view, STALE)] if view is not None else [Reply(NEW_KIND_GONE)]
    kind = ctx.catalog.kinds.get(kind_key)
    if kind is None or not kind.selectable:
        return [prompts.new_kind_prompt(ctx.catalog, listed, "没有这种材料类型，请从下面的按钮中选择。")]
    ctx.ask(None)
    draft = await repo.create_draft(ctx.session, ctx.user, steps.KIND)
    ctx.switch_to(draft)
    return await choose_kind(ctx, DraftView.build(ctx.catalog, draft, ctx.today), kind.key)


NEW_KIND_GONE = "这份材料的类型选择已经结束。要新建材料，请发送 /new。"


async def kind_asked_again(ctx: FlowContext, pending: Pending, notice: str) -> list[Outgoing]:
    """A text while the kind list waits: nothing is stored; the list again, and the way out."""
    how = "请点击下面的按钮选择材料类型；不新建了请发送 /cancel。"
    return [prompts.new_kind_prompt(ctx.catalog, pending.target, f"{notice}{how}")]


async def choose_kind(ctx: FlowContext, view: DraftView, kind_key: str) -> list[Outgoing]:
    kind = ctx.catalog.kinds.get(kind_key)
    if kind is None or not kind.selectable:
        return [prompts.present(ctx.catalog, view, "没有这种材料类型，请从下面的按钮中选择。")]
    left_team = view.kind is not None and view.kind.voice == "team" and kind.voice != "team"
    if left_team and (others := await _others(ctx, view)):
        return [prompts.present(ctx.catalog, view, _still_shared(others))]
    before = _headings(view)
    view.draft.kind = kind.key
    if left_team:  # a person signs his own material
        view.draft.meta = {k: v for k, v in (view.draft.meta or {}).items() if k != "signature"}
    view = DraftView.build(ctx.catalog, view.draft, ctx.today)
    notice = f"好的，写<b>{esc(kind.name)}</b>。" + _hidden(view, before)
    if left_team and (revoked := await team.revoke_invites(ctx.session, view.draft.id, ctx.now)):
        notice += f"\n这份材料不再是班子材料，已撤销它的{revoked}个邀请链接。"
    return await ctx.advance(view, view.step(steps.KIND), notice)


async def _others(ctx: FlowContext, view: DraftView) -> list[str]:
    """Who besides the owner is on the draft (班子成员, 审定人), by name."""
    members = await team.members(ctx.session, view.draft.id)
    return [name_of(m) for m in members if TeamRole.of(m.role) is not TeamRole.OWNER]


def _still_shared(others: list[str]) -> str:
    """Why a team draft others have joined stays one: as a personal material they would still read
    it and lead its measures."""
    names = "、".join(esc(name) for name in others)
    return (
        f"这份班子材料已有{len(others)}人参与（{names}），改为个人材料后成员仍能看到它，所以没有改。"
        "要写个人材料，请发送 /new 新建一份；确实要改这一份，请先在 /team 的“成员管理”中移出全部成员。"
    )


def _headings(view: DraftView) -> dict[str, str]:
    return {s.key: s.heading or "导语" for s in view.sections}


def _hidden(view: DraftView, before: dict[str, str]) -> str:
    """Said when another kind or theme has no place for a part already written (a 2025 theme's
    反面典型案例剖析, a kind without 需要向组织说明的事项): what was written there stays stored, out
    of the material, and comes back with the choice that had it."""
    shown = {s.key for s in view.sections}
    written = {a.section for a in view.answers}
    gone = [heading for key, heading in before.items() if key not in shown and key in written]
    if not gone:
        return ""
    names = "".join(f"“{esc(heading)}”" for heading in gone)  # no 顿号 between quotes
    return (
        f"\n现在的材料结构中没有{names}，这部分已写的内容暂不写入材料；内容仍保存着，改回原来的选择即可恢复。"
    )


def _apply_theme(view: DraftView, theme: ThemeSpec) -> None:
    """A theme for any year (通用) names no 年度: the meeting date gives it (``store_date``)."""
    view.draft.theme_key = theme.key
    view.draft.theme_label = theme.label if theme.year is not None else None
    view.draft.year = theme.year
    view.draft.aspects = [{"text": a.text, "heading": a.heading} for a in theme.aspects]
    view.draft.extra_matters = list(theme.extra_required)


def _regroup(ctx: FlowContext, view: DraftView) -> str:
    """After the aspects were replaced (another theme chosen, or a notice's aspects pasted): what
    was written under an aspect keeps its number, and what was written under one the new list no
    longer has goes to the end of the last one, so that nothing written drops out of the material.
    Says so when anything had been written under the aspects."""
    count = len(view.aspects)
    spec = next((s for s in view.sections if s.per_aspect), None)
    if spec is None or count == 0:
        return ""
    written = [a for a in view.answers if a.section == spec.key and a.aspect >= 1]
    if not written:
        return ""
    notice = "\n已写的问题仍按原来的顺序放在各方面下，请核对是否对得上。"
    beyond = sorted({a.aspect for a in written if a.aspect > count})
    if not beyond:
        return notice
    last = view.step(f"{spec.key}.{count}")
    kept = view.slot(last)
    moved: list[Answer] = []
    for aspect in beyond:  # a lead of an aspect dropped goes first, as an item
        moved += sorted(
            (a for a in written if a.aspect == aspect), key=lambda a: (a.role != AnswerRole.LEAD, a.position)
        )
    for answer in moved:
        repo.keep_history(ctx.session, answer, "move", ctx.user.id)
        answer.aspect, answer.role = count, AnswerRole.ITEM
    for position, answer in enumerate([*kept, *moved]):
        answer.position = position
    former = "".join(level2(a) for a in beyond)
    first = last.item_marker(len(kept) + 1, len(kept) + len(moved))
    return (
        f"\n新的方面只有{count}个，原来{former}下的{len(moved)}条已移到{level2(count)}的末尾"
        f"{f'（{first}起）' if first else ''}，没有删除。请核对，"
        f"可在那一方面点“{Label.MANAGE}”，用“移到另一方面”调整。"
    )


async def choose_theme(ctx: FlowContext, view: DraftView, theme_key: str) -> list[Outgoing]:
    assert view.kind is not None
    theme = next((t for t in ctx.catalog.themes_for(view.kind) if t.key == theme_key), None)
    if theme is None:
        return [prompts.present(ctx.catalog, view, "这个年度主题已不可用，请重新选择。")]
    changed = view.draft.aspects != [{"text": a.text, "heading": a.heading} for a in theme.aspects]
    before = _headings(view)
    _apply_theme(view, theme)
    notice = f"已选择<b>{esc(theme.title)}</b>，对照以下方面：\n{prompts.aspect_listing(view)}"
    if changed:
        notice += _regroup(ctx, view)
    notice += _hidden(view, before)
    prefilled = await followup.prefill_last_year(ctx, view)
    if prefilled:
        notice += f"\n{prefilled}"
    if theme.status != "verified":
        notice += (
            "\n（提示：部分表述尚未与通知原文逐字核对，请以本地通知为准；"
            "如有出入，可点“上一步”改为粘贴本地通知中的方面。）"
        )
    return await ctx.advance(view, view.step(steps.THEME), notice)


async def start_paste(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    return await ctx.move(view, steps.Step(steps.ASPECTS))


async def aspects_at_theme(ctx: FlowContext, view: DraftView, text: str) -> list[Outgoing] | None:
    """A list of two or more aspects sent while the themes are shown: the local notice's aspects,
    pasted without pressing 粘贴本地通知中的方面 first; None for any other text."""
    aspects = _aspects_in(text)
    if len(aspects) < 2 or any(len(a) > MAX_ASPECT_CHARS for a in aspects):
        return None
    view.draft.cursor = steps.ASPECTS
    return await paste_aspects(ctx, view, text)


def _aspects_in(text: str) -> list[str]:
    """The aspects a pasted list names, without their numbers and trailing punctuation, each on one
    line (a PDF's copy breaks a long one where the page did)."""
    aspects = (strip_marker(line).strip("；;。 ").replace("\n", "") for line in aspect_lines(text))
    return [a for a in aspects if a]


WHOLE_MATERIAL = (
    "这段像是一整篇材料，不是通知列出的方面，我先不记录。这里请只粘贴各方面的标题，每行一个；"
    "整篇材料可以在填到“导语”时整段粘贴，我会按标题分到各部分，也可以作为Word文件发给我审核、导入。"
)


async def paste_aspects(ctx: FlowContext, view: DraftView, text: str) -> list[Outgoing]:
    assert view.kind is not None
    typed = typed_year(text) if prompts.awaiting_year(view) else None
    if typed is not None:
        return await choose_year(ctx, view, typed)
    aspects = _aspects_in(text)
    problem = None
    if len(itemcheck.material_parts(text)) >= 2:
        problem = WHOLE_MATERIAL
    elif not aspects:
        problem = "没有识别出方面，请每行写一个方面再发送。"
    elif len(aspects) > MAX_ASPECTS:
        problem = f"识别出{len(aspects)}个方面，超过了{MAX_ASPECTS}个。请只粘贴通知中列出的方面，每行一个。"
    elif any(len(a) > MAX_ASPECT_CHARS for a in aspects):
        problem = (
            f"有一个方面超过{MAX_ASPECT_CHARS}字，像是把正文也粘进来了。请只粘贴各方面的标题，每行一个。"
        )
    if problem:
        return [prompts.present(ctx.catalog, view, problem)]
    family = view.kind.families[0] if view.kind.families else "custom"
    named = _YEAR_NAMED.search(text)
    year = int(named.group(1)) if named else year_of_meeting(view.draft.meeting_date or ctx.today)
    theme = custom_theme(aspects, label=f"{year}年度", year=year, family=family)
    before, parts = view.draft.aspects, _headings(view)
    _apply_theme(view, theme)
    regrouped = (_regroup(ctx, view) if view.draft.aspects != before else "") + _hidden(view, parts)
    view.draft.year = None  # asked next; the label holds the suggestion until then
    view.draft.theme_label = f"{year}年度"
    meta = {k: v for k, v in (view.draft.meta or {}).items() if k != HAND_IN_BY}
    due = hand_in_date(text, ctx.today)  # offered at the 报送日期 (prompts.date_prompt)
    view.draft.meta = {**meta, HAND_IN_BY: due.isoformat()} if due else meta
    dated = f"按{view.date_label}推算" if view.draft.meeting_date else "按今天的日期推算"
    basis = "通知中写明" if named else dated
    notice = f"已记下{len(aspects)}个方面。（年度{basis}为{year}年度）{regrouped}"
    return [prompts.present(ctx.catalog, view, notice)]


_YEAR_NAMED = re.compile(r"(20\d{2})\s*年度")
_YEAR_TYPED = re.compile(r"^\s*(20\d{2})\s*(?:年度?)?\s*$")


def typed_year(text: str) -> int | None:
    """``2025`` / ``2025年度`` sent instead of pressing a year button."""
    found = _YEAR_TYPED.match(text.translate(FULL_WIDTH_DIGITS))
    return int(found.group(1)) if found else None


async def choose_year(ctx: FlowContext, view: DraftView, year: int) -> list[Outgoing]:
    """The 年度 of pasted aspects, as the user chose it."""
    if not prompts.awaiting_year(view) or not MIN_YEAR <= year <= MAX_YEAR:
        return [prompts.present(ctx.catalog, view)]
    view.draft.year = year
    view.draft.theme_label = f"{year}年度"
    notice = f"好的，按<b>{year}年度</b>，对照以下方面：\n{prompts.aspect_listing(view)}"
    prefilled = await followup.prefill_last_year(ctx, view)
    if prefilled:
        notice += f"\n{prefilled}"
    return await ctx.advance(view, view.step(steps.ASPECTS), notice)


def aspect_lines(text: str) -> list[str]:
    """The aspects of a pasted list: one per line, or run together on one line the way a notice
    prints them (（一）……（二）……, 1.……2.……, 一是……二是……) when their numbers count 1, 2, 3.
    Of several lines, when at least two are numbered, only the numbered ones."""
    lines = split_items(text)
    line = " ".join(text.split())
    numbered = numbered_points(text)
    listed = _checklist(numbered)
    if listed is not None:
        return _without_closing_note(listed)
    if len(lines) != 1:
        # The notice's own title or a line around the list is no aspect when the aspects are numbered.
        return _without_closing_note(numbered) if len(numbered) > 1 else lines
    for style in MarkerStyle:
        run: list[MarkerMatch] = []
        for start in range(len(line)):
            marker = match_marker(line, start, (style,))
            if marker and marker.number == len(run) + 1 and (not run or start >= run[-1].end):
                run.append(marker)
        if len(run) > 1:  # words before the first number (the notice's title) are no aspect
            ends = [m.start for m in run[1:]] + [len(line)]
            return [line[m.start : end].strip() for m, end in zip(run, ends, strict=True)]
    return lines


def _checklist(points: list[str]) -> list[str] | None:
    """A notice pasted whole numbers its own parts (一、自查重点 二、有关要求): the aspects are the
    points listed under the one part whose title names them, not the parts."""
    found = [
        listed for title, listed in map(titled_points, points) if len(listed) > 1 and _names_aspects(title)
    ]
    return found[0] if len(found) == 1 else None


def _names_aspects(title: str) -> bool:
    """A part's title that names the aspects listed under it (自查重点), or, after a title of its own
    (一、主要内容) and the meeting's theme, the sentence that leads into them (重点对照检查以下5个方面：)."""
    lines = [line.strip() for line in title.splitlines()] or [""]
    heading, lead = lines[0], lines[-1]
    named = len(heading) <= _PART_TITLE_CHARS and _NAMES_ASPECTS.search(heading) is not None
    return named or (lead.endswith(("：", ":")) and _LEADS_INTO_ASPECTS.search(lead) is not None)


_NAMES_ASPECTS = re.compile("重点|内容|方面|事项")
"""What a notice's part listing the aspects is called: 自查重点, 检查内容, 对照检查的方面, 查摆事项."""
_PART_TITLE_CHARS = 20
_LEADS_INTO_ASPECTS = re.compile("方面|重点")


def _without_closing_note(points: list[str]) -> list[str]:
    """A notice lists its aspects one line each; a line after the last (请各单位于…前报送) is a note
    around the list, which the last point would otherwise take in. Aspects that run over several
    lines (copied from a PDF) keep theirs, the last one too."""
    if any("\n" in point for point in points[:-1]):
        return points
    return [*points[:-1], points[-1].split("\n", 1)[0]]


def _reads_as_material(text: str) -> bool:
    """Whether a set-up answer is material written ahead: longer than any name, unit, post or date,
    and in lines or sentences."""
    value = " ".join(text.split()).rstrip(CLOSING_PUNCTUATION)
    return len(value) > MAX_META_CHARS and ("\n" in text.strip() or _SENTENCE.search(value) is not None)


async def set_date(
    ctx: FlowContext,
    view: DraftView,
    text: str,
    source: tuple[int, int] | None = None,
    sent: datetime | None = None,
) -> list[Outgoing]:
    """The meeting date typed (``source`` the message it came in); material sent here instead (the
    导语 written ahead, pasted while the date is asked or asked back) is kept as a paste is."""
    found = read_date(text, ctx.today)
    if found is None and source is not None:
        material = _reads_as_material(text)
        pasted = await review.pasted_at_setup(
            ctx, view, view.date_label, text, source, sent, material=material
        )
        if pasted:
            return pasted
    if found is None and _ROUGH_DATE.search(text):  # 1月下旬, 春节前: the day is not fixed yet
        notice = (
            f"{view.date_label}要具体到哪一天，例如 {view.examples.meeting_words}。"
            f"还没定具体日子的，请先点“{Label.NO_DATE}”，定下来以后再补。"
        )
        return [await ctx.prompt(view, notice)]
    if found is None:  # a date asked back stays asked (ctx.prompt)
        notice = f"没能识别“{esc(text[:30])}”这个日期。请按 {view.examples.meeting_words} 的格式发送。"
        return [await ctx.prompt(view, notice)]
    if isinstance(found, DateProblem):  # 2月30日: the same words as the deadline step
        return [await ctx.prompt(view, f"{found.message}请重新发送{view.date_label}。")]
    if far_off(found, ctx.today):  # asked back before it is stored; the question keeps the date
        ctx.ask(Pending(Awaiting.MEETING_DATE, view.draft.id, found.toordinal()))
        return [await ctx.prompt(view)]
    return await store_date(ctx, view, found)


async def confirm_date(ctx: FlowContext, view: DraftView, iso: str) -> list[Outgoing]:
    """The far-off date the user confirmed (re-checked: the button's data is client input)."""
    try:
        meeting = date.fromisoformat(iso)
    except ValueError:
        return [prompts.present(ctx.catalog, view)]
    return await store_date(ctx, view, meeting)


async def store_date(ctx: FlowContext, view: DraftView, meeting: date) -> list[Outgoing]:
    view.draft.meeting_date = meeting
    notice = f"{view.date_label}：{format_date(meeting)}。"
    if view.draft.year is None and not view.draft.theme_label:  # a theme for any year: now it has one
        view.draft.year = year_of_meeting(meeting)
        view.draft.theme_label = f"{view.draft.year}年度"
        notice += f"材料按{view.draft.year}年度撰写（标题中写作“{view.draft.theme_label}”）。"
    if view.draft.year is not None and year_of_meeting(meeting) != view.draft.year:
        notice += (
            f"\n请留意：这个日期通常对应{year_of_meeting(meeting)}年度的会议，"
            f"而所选的是{esc(view.year_label)}。如有误，可点“上一步”重新选择。"
        )
    return await ctx.advance(view, view.step(steps.DATE), notice)


async def keep(ctx: FlowContext, view: DraftView, step: steps.Step) -> list[Outgoing]:
    """保持不变 at a set-up step shown again with its answer: on, with the answer as it was. The
    meeting date is stored again, as sent: a theme for any year chosen meanwhile takes its 年度."""
    if step.key == steps.DATE and view.draft.meeting_date is not None:
        return await store_date(ctx, view, view.draft.meeting_date)
    return await ctx.advance(view, step, "保持不变。")


async def skip_date(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    view.draft.meeting_date = None
    notice = f"{view.date_label}暂不填写，之后可在全文概览里补上。"
    return await ctx.advance(view, view.step(steps.DATE), notice)


async def reuse_meta(ctx: FlowContext, view: DraftView, field: str) -> list[Outgoing]:
    """沿用: the value the user's last material has, looked up again (it is not in the button)."""
    earlier = await repo.earlier_meta(ctx.session, ctx.user.id, field, view.draft.id)
    if earlier is None:  # that material was deleted since
        return [await ctx.prompt(view, f"以前的材料里没有找到{steps.META_FIELDS[field]}，请直接发送。")]
    return await set_meta(ctx, view, field, earlier)


async def set_meta(
    ctx: FlowContext,
    view: DraftView,
    field: str,
    text: str | None,
    source: tuple[int, int] | None = None,
    sent: datetime | None = None,
    *,
    stored: str = "已记下：{}。",
) -> list[Outgoing]:
    """A name, unit or post typed (``source`` the message it came in), chosen (沿用) or skipped;
    ``stored`` says what the value was kept as."""
    value = " ".join(text.split()).rstrip(CLOSING_PUNCTUATION) if text else None
    if text and value and source is not None:
        material = _reads_as_material(text)
        asked = steps.META_FIELDS[field]
        if pasted := await review.pasted_at_setup(ctx, view, asked, text, source, sent, material=material):
            return pasted
    if value and len(value) > MAX_META_CHARS:
        notice = f"内容有点长（{len(value)}字），这里只需简短填写，{MAX_META_CHARS}字以内。"
        return [prompts.present(ctx.catalog, view, notice)]
    if value and not meta_check.worded(value):
        asked = steps.META_FIELDS[field]
        notice = f"“{esc(value)}”里没有文字，没有作为{asked}记下。请用文字填写{asked}，不填可以点“跳过”。"
        return [prompts.present(ctx.catalog, view, notice)]
    before = (view.draft.meta or {}).get(field)
    if value and (refused := meta_check.markup_notice(steps.META_FIELDS[field], value, before)):
        return [prompts.present(ctx.catalog, view, refused)]
    if value and (said := itemcheck.reply(value)) is not None:  # 好的, 怎么写？, 、new: not a name
        return [prompts.present(ctx.catalog, view, esc(said))]
    view.draft.meta = {**(view.draft.meta or {}), field: value}
    if field == "signature":
        return await ctx.advance(view, view.step(steps.SIGNATURE), _signature_notice(view, value))
    notice = stored.format(esc(value)) if value else "已跳过。"
    if not value and before:
        notice = f"已跳过，原来的{steps.META_FIELDS[field]}“{esc(before)}”已删去，材料中不写。"
    looks = meta_check.doubt(field, value) if value else None
    as_unit = looks == "单位名称" and _unit_asked_next(view, field)
    if as_unit:
        notice += f"这看起来像单位名称，不像姓名；是单位的话，请点“{Label.NAME_IS_UNIT}”。"
    elif looks is not None:
        asked = steps.META_FIELDS[field]
        notice += f"这看起来像{looks}，不像{asked}；如果填错了，请点“上一步”重填{asked}。"
    signed = view.signature if field == "unit" and view.signed_by_team else None
    if signed:  # the 署名 the unit gives, said where a wrong guess can be put right
        notice += f"\n文末署名：{esc(signed)}。"
    replies = await ctx.advance(view, view.step(f"setup.{field}"), notice)
    if signed and replies and isinstance(replies[0], Reply):
        replies[0].buttons.append([prompts.edit_signature(view)])
    if as_unit and replies and isinstance(replies[0], Reply):
        pub = view.draft.public_id
        replies[0].buttons.insert(0, [Button(Label.NAME_IS_UNIT, encode(Flow.NEW, "asunit", pub))])
    if value:
        review.byline_note(replies, view, value, after=notice)
    return replies


def _unit_asked_next(view: DraftView, field: str) -> bool:
    """A 姓名 is being written through the set-up and the 单位, still empty, is asked next."""
    following = view.neighbour(view.step(f"setup.{field}"), 1)
    unasked = not (view.draft.meta or {}).get("unit") and not view.draft.completed
    return field == "name" and unasked and following is not None and following.key == "setup.unit"


async def name_as_unit(ctx: FlowContext, view: DraftView) -> list[Outgoing]:
    """改作单位名称 under a 姓名 that reads as a unit's (县交通运输局 typed where the name was asked,
    which would print “县交通运输局同志…”): the unit it is, the name left blank."""
    name = (view.draft.meta or {}).get("name")
    if not name or not _unit_asked_next(view, "name"):
        return [await ctx.prompt(view)]
    view.draft.meta = {**(view.draft.meta or {}), "name": None}
    return await set_meta(
        ctx, view, "unit", name, stored="已改作单位：{}，姓名不填（需要时可在全文概览里补上）。"
    )


async def paste_as_preamble(
    ctx: FlowContext, public_id: str, upload_text: str, source: tuple[int, int] | None
) -> list[Outgoing]:
    """作为导语保存 under a text sent at a set-up step: the text becomes the draft's 导语 while that is
    empty, and the set-up question is asked again; the text is the kept paste's, not the button's."""
    view, stale = await ctx.button_view(public_id)
    if view is None:
        return stale
    step = view.preamble_step
    if step is None or view.slot(step):
        return [
            prompts.present(
                ctx.catalog, view, "导语已经写过，没有替换。要修改导语，请填完基本信息后在导语这一步发送。"
            )
        ]
    await items.place(ctx, view, step, 0, [upload_text.strip()], source)
    notice = f"已存为导语（{char_count(upload_text)}字），填完基本信息后可在导语这一步核对修改。"
    return [prompts.present(ctx.catalog, view, notice)]


def _signature_notice(view: DraftView, written: str | None) -> str:
    if written:
        return f"已记下署名：{esc(written)}。"
    if view.signature:
        return f"文末署名按单位生成：{esc(view.signature)}。"
    return "文末暂不署名。"

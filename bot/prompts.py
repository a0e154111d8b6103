"""What the user sees at each step: pure functions from a draft view to a reply."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot import fulltext, layout, links, owners, steps
from bot.callbacks import Flow, encode
from bot.catalog import CUSTOM_THEME, Catalog, ThemeSpec
from bot.dates import format_date
from bot.deadlines.parse import CADENCE_CHOICES
from bot.document import Document, Section
from bot.draftview import DraftView
from bot.labels import Label
from bot.render import LineKind, outline
from bot.replies import Button, Reply
from bot.splitter import held_points
from bot.steps import META_FIELDS, Step
from bot.texts import char_count, esc, level2, preview, short_heading
from storage.models import Answer, AnswerRole

META_PROMPTS: dict[str, str] = {
    "name": "请发送您的姓名，用于材料标题，例如：张三。",
    "unit": "请发送单位名称，例如：县商务局、市教育局党组。",
    "position": "请发送您的职务，例如：党组书记、局长。",
}


def _back(view: DraftView, step: Step) -> list[Button]:
    if view.neighbour(step, -1) is None:
        return []
    return [Button(Label.BACK, encode(Flow.NAV, "back", view.draft.public_id, step.key))]


def present(catalog: Catalog, view: DraftView, notice: str = "") -> Reply:
    """The prompt for the draft's current step, after an optional notice line."""
    step = view.step()
    if step.key == steps.KIND:
        reply = kind_prompt(catalog, view)
    elif step.key == steps.THEME:
        reply = theme_prompt(catalog, view, step)
    elif step.key == steps.ASPECTS:
        reply = aspects_prompt(view, step)
    elif step.key == steps.DATE:
        reply = date_prompt(view, step)
    elif step.meta_field:
        reply = meta_prompt(view, step, step.meta_field)
    elif step.key == steps.DEADLINES:
        reply = deadline_prompt(view, step)
    elif step.key == steps.SUMMARY:
        reply = summary(view)
    else:
        reply = section_prompt(view, step)
    if notice:
        reply.html = f"{notice}\n\n{reply.html}"
    return reply


def kind_prompt(catalog: Catalog, view: DraftView) -> Reply:
    """The kinds again, for a draft whose kind is changed (上一步 from its theme)."""
    return _kinds(catalog, lambda key: encode(Flow.NEW, "kind", view.draft.public_id, key))


def new_kind_prompt(catalog: Catalog, listed: int, notice: str = "") -> Reply:
    """The kinds of a material not created yet (/new): the pick creates it."""
    reply = _kinds(catalog, lambda key: encode(Flow.NEW, "start", listed, key))
    if notice:
        reply.html = f"{notice}\n\n{reply.html}"
    return reply


def _kinds(catalog: Catalog, data: Callable[[str], str]) -> Reply:
    selectable = [kind for kind in catalog.kinds.values() if kind.selectable]
    buttons = [[Button(kind.name, data(kind.key))] for kind in selectable]
    lines = ["<b>新建材料</b>", "请选择要写的材料类型："]
    lines += [f"· <b>{esc(k.name)}</b>：{esc(k.description)}" for k in selectable]
    return Reply("\n".join(lines), buttons)


def theme_prompt(catalog: Catalog, view: DraftView, step: Step) -> Reply:
    assert view.kind is not None
    pub = view.draft.public_id
    themes = catalog.themes_for(view.kind)
    buttons = [
        [
            Button(
                f"{t.label}{t.title.removeprefix(t.label)}（{len(t.aspects)}个方面）",
                encode(Flow.NEW, "theme", pub, t.key),
            )
        ]
        for t in themes
    ]
    buttons.append([Button(Label.PASTE_ASPECTS, encode(Flow.NEW, "paste", pub))])
    buttons.append(_back(view, step))
    text = (
        f"<b>{esc(view.kind.name)}</b>\n请选择年度和会议主题。"
        "各方面会作为“存在的主要问题”下的（一）（二）……标题，按通知原文顺序。\n"
        "如果本地通知列出的方面不同，请点“粘贴本地通知中的方面”。"
    )
    chosen = _chosen(catalog, view)
    if chosen:
        text += f"\n当前：{chosen}"
    return Reply(
        text + _uncollected_year(themes, view.examples.year), [*_keep(view, step, bool(chosen)), *buttons]
    )


def _chosen(catalog: Catalog, view: DraftView) -> str:
    """The theme chosen, or the aspects pasted with their 年度, as the theme step shows it again."""
    theme = catalog.themes.get(view.draft.theme_key or "")
    if theme is not None:
        return f"{esc(theme.title)}（{len(theme.aspects)}个方面）"
    if view.draft.theme_key == CUSTOM_THEME and view.aspects and view.draft.year is not None:
        return f"按本地通知粘贴的{len(view.aspects)}个方面（{esc(view.year_label)}）"
    return ""


def _uncollected_year(themes: list[ThemeSpec], year: int) -> str:
    """A word when the meetings held now review a year whose aspects are not collected yet (December:
    the 2026年度 notice is out, the newest theme is 2025's), lest the newest be taken for this year's;
    not when a theme of any year is there to choose."""
    if not themes or any(t.year is None for t in themes) or max(t.year or 0 for t in themes) >= year:
        return ""
    return (
        f"\n{year}年度的会议主题和方面还没有收录。写{year}年度的材料，"
        f"请点“{Label.PASTE_ASPECTS}”，按本地通知列出的方面填写。"
    )


def awaiting_year(view: DraftView) -> bool:
    """Pasted aspects are stored and their 年度 not chosen yet (the label holds the suggestion)."""
    return (
        view.draft.cursor == steps.ASPECTS
        and view.draft.theme_key == CUSTOM_THEME
        and view.draft.year is None
        and bool(view.aspects)
    )


def aspects_prompt(view: DraftView, step: Step) -> Reply:
    if awaiting_year(view):
        return year_prompt(view, step)
    example = view.kind.aspects_example if view.kind is not None else ()
    text = (
        "<b>粘贴本次要对照的方面</b>\n"
        "请把通知中列出的方面整段粘贴过来，每行一个，或带“1. 2.”“（一）（二）”编号均可，"
        "我会按顺序逐个请您填写。\n"
        "例如：" + "".join(f"\n{n}. {aspect}" for n, aspect in enumerate(example, start=1))
    )
    chosen = bool(view.aspects) and view.draft.year is not None
    if chosen:
        text += f"\n\n当前（{esc(view.year_label)}）：\n{aspect_listing(view)}"
    return Reply(text, [*_keep(view, step, chosen), _back(view, step)])


def aspect_listing(view: DraftView) -> str:
    """The draft's aspects numbered （一）（二）…, one per line, as the set-up confirms them."""
    return "\n".join(f"{level2(i)}{esc(a['heading'])}" for i, a in enumerate(view.aspects, 1))


def year_prompt(view: DraftView, step: Step) -> Reply:
    """Which 年度 the pasted aspects belong to, the suggestion first (it sits in the label)."""
    pub = view.draft.public_id
    digits = "".join(ch for ch in view.year_label if ch.isdigit())
    suggested = int(digits) if len(digits) == 4 else None
    choices = [suggested, suggested - 1, suggested + 1] if suggested else []
    listing = aspect_listing(view)
    year, kind = view.examples.year, view.kind
    assert kind is not None  # aspects are pasted after the kind is chosen
    about = (
        f"年度会写进标题（如“{year}年度{kind.meeting}”）。注意：年度不是开会的年份，"
        f"{year}年度的{kind.meeting}一般在{year + 1}年初召开。"
        if kind.meeting
        else f"年度会写进标题（如“{kind.title_for(None, None, f'{year}年度')}”）。"
    )
    text = (
        f"<b>这些方面是哪个年度的？</b>\n{listing}\n\n{about}"
        "请点选，或直接发送年份；要重新粘贴方面，直接发送即可。"
    )
    rows = [[Button(f"{y}年度", encode(Flow.NEW, "year", pub, y)) for y in choices]]
    return Reply(text, [*rows, _back(view, step)])


def date_prompt(view: DraftView, step: Step) -> Reply:
    pub = view.draft.public_id
    current = view.draft.meeting_date
    year = f"{esc(view.year_label)}，" if view.year_label else ""  # none yet for a theme of any year
    question = "会议计划在哪天召开？" if view.held else "报告计划在哪天报送？"
    text = (
        f"<b>{view.date_label}</b>（{year}共{len(view.aspects)}个方面）\n"
        + (f"当前：{format_date(current)}\n" if current else "")
        + f"{question}例如：{view.examples.meeting_words}。\n"
        "还没定的话可以先点“暂不确定”，以后再补。"
    )
    rows = [[Button(Label.NO_DATE, encode(Flow.NEW, "nodate", pub))], _back(view, step)]
    due = view.hand_in_by
    if due is not None and not view.held and due != current:  # a meeting is no hand-in
        notice = encode(Flow.NEW, "date", pub, due.isoformat())
        rows.insert(0, [Button(f"按通知：{format_date(due)}前", notice)])
    return Reply(text, [*_keep(view, step, current is not None), *rows])


def confirm_date(view: DraftView, meeting: date, distance: str, notice: str = "") -> Reply:
    """A meeting date far from today, asked back before it is stored (after an optional notice)."""
    pub = view.draft.public_id
    text = (
        (f"{notice}\n\n" if notice else "")
        + f"<b>请确认{view.date_label}</b>\n{format_date(meeting)}{distance}，"
        + ("一般会前一两个月才开始写材料。" if view.held else "报告一般在报送前不久才写。")
        + "是这个日期吗？如果年份或月份写错了，请重新发送。"
    )
    rows = [[Button(f"确认：{format_date(meeting)}", encode(Flow.NEW, "date", pub, meeting.isoformat()))]]
    rows.append([Button(Label.NO_DATE, encode(Flow.NEW, "nodate", pub))])
    return Reply(text, rows)


def meta_prompt(view: DraftView, step: Step, field: str) -> Reply:
    pub = view.draft.public_id
    if field == "signature":
        return signature_prompt(view, step)
    current = (view.draft.meta or {}).get(field)
    text = META_PROMPTS[field]
    if field == "name" and view.kind is not None and view.kind.voice == "either":
        text += "以单位名义报告的，请点“跳过”，下一步填单位。"
    if current:
        text += f"\n当前：{esc(current)}"
    if field == "unit" and view.signed_by_team and view.signature:
        text += f"\n文末署名：{esc(view.signature)}"
    buttons = [[Button(Label.SKIP, encode(Flow.NEW, "skip", pub, field))], _back(view, step)]
    if field == "unit" and view.signed_by_team and current:
        buttons.insert(1, [edit_signature(view)])
    return Reply(
        f"<b>基本信息 · {META_FIELDS[field]}</b>（可跳过）\n{text}",
        [*_keep(view, step, bool(current)), *buttons],
    )


def edit_signature(view: DraftView) -> Button:
    return Button(Label.EDIT_SIGNATURE, encode(Flow.NAV, "go", view.draft.public_id, steps.SIGNATURE))


def signature_prompt(view: DraftView, step: Step) -> Reply:
    """The 署名 of a material its team signs: as the unit gives it (``KindSpec.signature_for``),
    which the office replaces when its team signs otherwise (县商务局党组, 中共青山镇委员会)."""
    pub = view.draft.public_id
    meta = view.draft.meta or {}
    own = meta.get("signature")
    guessed = view.kind.signature_for(meta.get("unit")) if view.kind is not None else None
    if own:
        text = f"文末署名现为：{esc(own)}"
    elif guessed:
        text = f"文末署名现按单位生成：{esc(guessed)}"
    else:
        text = "还没有填写单位，文末暂不署名。"
    text += "\n如果本单位的署名写法不同，请直接发送，例如：中共青山镇委员会、县商务局党组领导班子。"
    rows = [[Button(Label.KEEP, encode(Flow.NEW, "keep", pub, step.key))]] if own or guessed else []
    if own:
        label = Label.SIGNATURE_FROM_UNIT if guessed else Label.SKIP
        rows.append([Button(label, encode(Flow.NEW, "skip", pub, "signature"))])
    rows.append(_back(view, step))
    return Reply(f"<b>基本信息 · 署名</b>\n{text}", rows)


def _keep(view: DraftView, step: Step, current: bool) -> list[list[Button]]:
    """A set-up step shown again with its answer (上一步): the way on that leaves it as it is, since
    跳过 and 暂不确定 would empty it."""
    return [[Button(Label.KEEP, encode(Flow.NEW, "keep", view.draft.public_id, step.key))]] if current else []


def progress_label(view: DraftView, step: Step) -> str:
    assert view.kind is not None and step.section is not None
    part, total = steps.part_of(view.sections, step)
    label = f"第{part}/{total}部分 · {step.section.heading or '导语'}"
    heading = view.aspect_heading(step)
    if heading:
        label += f" ·{level2(step.aspect)}{heading}"
    return esc(label)


def items_listing(view: DraftView, step: Step) -> list[str]:
    """The step's lead and items as the material will number them, in full."""
    lead = view.lead(step)
    lines = [f"（开头）{esc(lead.text)}"] if lead is not None else []
    slot = view.slot(step)
    return lines + [f"{marker}{esc(a.text)}" for marker, a in zip(view.markers(step), slot, strict=True)]


def section_buttons(view: DraftView, step: Step) -> list[list[Button]]:
    assert step.section is not None
    pub = view.draft.public_id
    answered = bool(view.slot(step))
    rows: list[list[Button]] = []
    if step.section.answer == "items":
        finish = Label.FINISH_ASPECT if step.aspect else Label.FINISH_PART
        rows.append([Button(finish, encode(Flow.SECTION, "done", pub, step.key))])
        if answered or view.lead(step) is not None:
            rows.append(
                [
                    Button(Label.UNDO_LAST, encode(Flow.SECTION, "undo", pub, step.key)),
                    Button(Label.MANAGE, encode(Flow.SECTION, "manage", pub, step.key)),
                ]
            )
    elif answered:
        rows.append([Button(Label.KEEP, encode(Flow.SECTION, "keep", pub, step.key))])
    if step.section.example:
        rows.append([Button(Label.EXAMPLE, encode(Flow.SECTION, "example", pub, step.key))])
    if not step.section.required:
        rows.append([Button(Label.SKIP_PART, encode(Flow.SECTION, "skip", pub, step.key))])
    rows.append(_back(view, step))
    return [r for r in rows if r]


def clear_question(view: DraftView, step: Step) -> Reply:
    """跳过本部分 pressed where the part is already written: what is there, and what to do with it."""
    assert step.section is not None
    pub = view.draft.public_id
    if step.section.answer == "items":
        written = f"已写了{len(view.points(step))}条" + ("和开头一段" if view.lead(step) is not None else "")
    else:
        written = f"已写了{sum(char_count(a.text) for a in view.slot(step))}字"
    text = (
        f"<b>{progress_label(view, step)}</b>\n"
        f"这一部分{written}，跳过不会删去这些内容，它们仍会写入材料。"
        f"这一部分不写了，请点“{Label.CLEAR_PART}”；内容要保留，请点“{Label.KEEP}”。"
    )
    rows = [
        [Button(Label.CLEAR_PART, encode(Flow.SECTION, "clear", pub, step.key))],
        [Button(Label.KEEP, encode(Flow.SECTION, "keep", pub, step.key))],
        _back(view, step),
    ]
    return Reply(text, [r for r in rows if r])


EXAMPLES_WRITTEN_FOR = 2025
"""The 年度 the 参考写法 of kinds.yaml are written for (2025年度 meetings, deadlines in 2026)."""
_EXAMPLE_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=年)")


def example_for_year(example: str, year: int | None) -> str:
    """A 参考写法 with its years moved to the draft's 年度: read while writing 2026年度, it speaks of
    2026年度 and of deadlines in 2027, not of a year already past."""
    shift = (year or EXAMPLES_WRITTEN_FOR) - EXAMPLES_WRITTEN_FOR
    if shift <= 0:
        return example
    return _EXAMPLE_YEAR.sub(lambda found: str(int(found.group(1)) + shift), example)


def example_reply(view: DraftView, step: Step) -> Reply:
    """参考写法 of the step's section: how a good answer reads, to be written anew, not copied."""
    assert step.section is not None and step.section.example
    text = (
        f"<b>参考写法</b>（{progress_label(view, step)}）\n"
        f"{esc(example_for_year(step.section.example, view.draft.year))}\n\n"
        "以上只是示例，说明这一部分怎样写得具体：有时间、有数字、有实例。"
        "请按本人（本单位）的实际情况写，不要照抄。"
    )
    pub = view.draft.public_id
    return Reply(text, [[Button(Label.BACK_TO_WRITING, encode(Flow.SECTION, "show", pub, step.key))]])


def section_prompt(view: DraftView, step: Step) -> Reply:
    """The full prompt shown on entering a section step: progress, guide, what is there so far."""
    assert step.section is not None
    lines = [
        f"<b>{progress_label(view, step)}</b>",
        "",
        "<b>写作要点</b>",
        "\n".join(f"· {esc(line)}" for line in step.section.guide),
    ]
    answers = view.slot(step)
    if step.section.answer == "items":
        if answers or view.lead(step) is not None:
            written = f"已记下{len(view.points(step))}条" if answers else "已记下开头一段，还没有条目"
            lines += ["", f"<b>{written}：</b>", *items_listing(view, step)]
        lines += [
            "",
            "请逐条发送，不用写编号；也可以整段粘贴（带“一是、二是”或“1. 2.”编号的会自动拆分）。"
            "要改某一条，点“修改条目”，或直接编辑您发过的那条消息。",
        ]
    elif answers:
        shown = preview("\n".join(a.text for a in answers), 120)
        lines += ["", f"<b>当前内容：</b>{shown}", "", "发送新内容会替换当前内容。"]
    else:
        lines += ["", "请直接发送这一部分的内容。"]
    return Reply("\n".join(lines), section_buttons(view, step))


def item_added(view: DraftView, step: Step, notice: str, replaced_lead: int | None = None) -> Reply:
    """A short acknowledgement while the user is adding items; the guide was shown on entry. A lead
    the message replaced (its revision) can be restored from here."""
    scope = "方面" if step.aspect else "部分"
    count = len(view.points(step))
    if count:
        text = f"{notice}本{scope}共{count}条。继续发送下一条，或点“本{scope}填写完毕”。"
    else:  # only its lead so far
        text = f"{notice}本{scope}还没有条目，请接着发送第一条。"
    return Reply(text, [*restore_lead_row(view, step, replaced_lead), *section_buttons(view, step)])


def join_row(view: DraftView, step: Step, answer: Answer, part: Step) -> tuple[str, list[list[Button]]]:
    """The offer under a message stored as the first of ``step``'s list that may be the next
    paragraph of the text ``part`` before it (``items.continued_part``)."""
    said = f"如果这段是上一部分“{esc(part_name(view, part))}”的后一段，请点“{Label.JOIN_PREVIOUS}”。"
    data = encode(Flow.ITEM, "join", view.draft.public_id, step.key, answer.id)
    return said, [[Button(Label.JOIN_PREVIOUS, data)]]


def restore_lead_row(view: DraftView, step: Step, revision: int | None) -> list[list[Button]]:
    """恢复原来的开头一段, under the reply to a message whose lead replaced the list's (none if not)."""
    if revision is None:
        return []
    data = encode(Flow.ITEM, "relead", view.draft.public_id, step.key, revision)
    return [[Button(Label.RESTORE_LEAD, data)]]


def deadline_prompt(view: DraftView, step: Step) -> Reply:
    """Ask for whatever the next measure still lacks: deadline, review cadence, or owner."""
    pub = view.draft.public_id
    needs = view.measure_needs()
    if needs is None:  # reached again (上一步 from the overview): on, or further back
        return Reply(
            "各条整改措施的时限都已设定。要调整某条措施的时限，请发送 /deadlines 找到这条措施办理。",
            [[Button(Label.SUMMARY, encode(Flow.NAV, "go", pub, steps.SUMMARY))], _back(view, step)],
        )
    number, answer, measure, need = needs
    total = len(view.measures())
    asked = {"deadline": "整改时限", "cadence": "回顾频次"}.get(need, "责任人")
    lines = [f"<b>{asked} · 第{number}/{total}条措施</b>", f"措施：{preview(answer.text, 80)}"]
    rows: list[list[Button]] = []
    if need == "deadline":
        lines.append(f"请写明这条措施的整改时限，{view.examples.deadlines}。")
    elif need == "cadence":
        lines.append("长期坚持的措施需要定期回顾。请选择回顾频次，也可以直接发送，如“每两个月”。")
        rows.append(
            [
                Button(c.label, encode(Flow.DEADLINE, "cadence", pub, measure.id, c.iso))
                for c in CADENCE_CHOICES
            ]
        )
    else:
        lines.append(owners.question_lines(view.owner_question, leader_picked=measure.leader_id is not None))
    rows.append([Button(Label.LATER, encode(Flow.DEADLINE, "later", pub))])
    rows.append(_back(view, step))
    linked = links.table(view)
    if linked and not links.is_confirmed(view):  # the proposal, right after the measures
        lines.insert(0, linked + "\n")
    if linked:
        rows.insert(0, links.buttons(view))
    return Reply("\n".join(lines), [r for r in rows if r])


def manage_prompt(view: DraftView, step: Step, notice: str = "") -> Reply:
    """The step's list in full, one button per item to open its menu (修改、插入、移动、删除)."""
    pub = view.draft.public_id
    lead = view.lead(step)
    rows = (
        [[Button(f"开头一段：{lead.text[:12]}", encode(Flow.ITEM, "open", pub, step.key, lead.id))]]
        if lead
        else []
    )
    slot = view.slot(step)
    rows += [
        [Button(f"{marker}{a.text[:14]}", encode(Flow.ITEM, "open", pub, step.key, a.id))]
        for marker, a in zip(view.markers(step), slot, strict=True)
    ]
    rows.append([Button(Label.BACK_TO_WRITING, encode(Flow.SECTION, "show", pub, step.key))])
    listing = items_listing(view, step) or ["（还没有内容）"]
    head = f"<b>{progress_label(view, step)}</b>\n请选择要修改的一条："
    return Reply("\n".join([*([notice, ""] if notice else []), head, *listing]), rows)


def split_how(points: int) -> str:
    """How an item holding ``points`` points is split into as many items (``held_points``): the
    button its menu offers and the way there, as /check's advice and the reply that stored it say."""
    return f"在这一部分点“{Label.MANAGE}”，打开这一条，再点“{Label.ITEM_SPLIT.format(points)}”"


def item_menu(view: DraftView, step: Step, answer: Answer, label: str, notice: str = "") -> Reply:
    """What can be done with one item (or the lead) of the list."""
    pub = view.draft.public_id

    def button(text: Label, action: str) -> Button:
        return Button(text, encode(Flow.ITEM, action, pub, step.key, answer.id))

    if answer.role == AnswerRole.LEAD:
        rows = [
            [button(Label.ITEM_EDIT, "edit"), button(Label.ITEM_INSERT, "insert")],
            [button(Label.LEAD_TO_ITEM, "item"), button(Label.ITEM_DELETE, "del")],
        ]
    elif answer.role == AnswerRole.HEADING:  # the points after it are its: it moves among them
        rows = [
            [button(Label.ITEM_EDIT, "edit"), button(Label.ITEM_INSERT, "insert")],
            [button(Label.ITEM_UP, "up"), button(Label.ITEM_DOWN, "down")],
            [button(Label.ITEM_DELETE, "del")],
        ]
    else:
        rows = [
            [button(Label.ITEM_EDIT, "edit"), button(Label.ITEM_INSERT, "insert")],
            [button(Label.ITEM_UP, "up"), button(Label.ITEM_DOWN, "down")],
            [
                *([button(Label.ITEM_MOVE, "move")] if step.aspect else []),
                *([button(Label.ITEM_TO_PART, "part")] if other_parts(view, step) else []),
            ],
            [button(Label.ITEM_TO_LEAD, "lead"), button(Label.ITEM_DELETE, "del")],
        ]
        if points := held_points(answer.text):
            split = Label.ITEM_SPLIT.format(len(points))
            rows.insert(0, [Button(split, encode(Flow.ITEM, "split", pub, step.key, answer.id))])
    rows.append([Button(Label.BACK_TO_LIST, encode(Flow.SECTION, "manage", pub, step.key))])
    text = f"<b>{label}</b>\n{esc(answer.text)}"
    return Reply(f"{notice}\n\n{text}" if notice else text, [r for r in rows if r])


def item_question(view: DraftView, step: Step, text: str) -> Reply:
    """A question whose answer is the next text message, with a way out."""
    return Reply(text, [[Button(Label.CANCEL, encode(Flow.ITEM, "cancel", view.draft.public_id, step.key))]])


def other_parts(view: DraftView, step: Step) -> list[tuple[int, Step]]:
    """The lists of the other parts an item can be moved to (an aspect of the problems each its
    own), with their place among the draft's steps, which their buttons carry."""
    assert step.section is not None
    key = step.section.key
    return [
        (n, s)
        for n, s in enumerate(view.section_steps)
        if s.section is not None and s.section.answer == "items" and s.section.key != key
    ]


def part_name(view: DraftView, step: Step) -> str:
    """A part as the choice names it: its heading, and an aspect's number and first words."""
    assert step.section is not None
    heading = step.section.heading or "导语"
    return (
        f"{heading}{level2(step.aspect)}{(view.aspect_heading(step) or '')[:12]}" if step.aspect else heading
    )


def part_choice(view: DraftView, step: Step, answer: Answer) -> Reply:
    pub = view.draft.public_id
    rows = [
        [Button(part_name(view, target)[:30], encode(Flow.ITEM, "tp", pub, step.key, answer.id, n))]
        for n, target in other_parts(view, step)
    ]
    rows.append([Button(Label.BACK_TO_LIST, encode(Flow.SECTION, "manage", pub, step.key))])
    return Reply(f"把这一条移到哪个部分？\n{esc(answer.text)}", rows)


def aspect_choice(view: DraftView, step: Step, answer: Answer) -> Reply:
    pub = view.draft.public_id
    rows = [
        [Button(f"{level2(n)}{aspect['heading'][:16]}", encode(Flow.ITEM, "to", pub, step.key, answer.id, n))]
        for n, aspect in enumerate(view.aspects, start=1)
        if n != step.aspect
    ]
    rows.append([Button(Label.BACK_TO_LIST, encode(Flow.SECTION, "manage", pub, step.key))])
    return Reply(f"把这一条移到哪个方面？\n{esc(answer.text)}", rows)


_OVERVIEW_HEADING = 30
"""An overview line names a notice's long aspect by its first words: the full text is in 查看全文."""


def summary(view: DraftView) -> Reply:
    pub = view.draft.public_id
    lines = [f"<b>{esc(view.title)}</b>", "全文概览："]
    document = view.to_document()
    numbers = outline_numbers(document)
    for step in view.section_steps:
        assert step.section is not None
        if step.aspect == 1:  # the section the aspects belong to, as its own level
            lines.append(f"{numbers.get(step.section.key, '')}{esc(step.section.heading or '')}")
        answers = view.slot(step)
        lead = view.lead(step) if step.section.answer == "items" else None
        count = sum(char_count(a.text) for a in [*answers, *([lead] if lead else [])])
        number = numbers.get(step.key, level2(step.aspect) if step.aspect else "")
        name = number + short_heading(
            view.aspect_heading(step) or step.section.heading or "导语", _OVERVIEW_HEADING
        )
        indent = "　" if step.aspect else ""
        need = "（必填）" if step.section.required else "（可选）"
        if answers:
            listed = step.section.answer == "items"
            detail = f"{len(view.points(step))}条，{count}字" if listed else f"{count}字"
            lines.append(f"{indent}✓ {esc(name)}：{detail}")
        elif lead is not None:
            lines.append(f"{indent}○ {esc(name)}：只有开头一段（{count}字），还没有条目{need}")
        else:
            lines.append(f"{indent}○ {esc(name)}：未填写{need}")
    lines.append(f"全文约{layout.length(document)}字（含标题）。")
    missing = view.missing_required()
    if missing:
        lines.append("还有必填部分没有内容，补齐后材料才完整；现在也可以先生成文档看看效果。")
    else:
        lines.append("各必填部分都已完成。可以生成Word文档，或继续修改某一部分。")
    rows = [
        [Button(Label.GENERATE_WORD, encode(Flow.SUMMARY, "report", pub))],
        [Button(Label.FULL_TEXT, encode(Flow.FULL_TEXT, "page", pub, 1))],
        [Button(Label.EDIT_PART, encode(Flow.SUMMARY, "edit", pub))],
        links.opener(view),
    ]
    if note := links.unlinked_note(view):  # a problem added after the pairing was confirmed
        lines.append(f"{note}请点“{Label.LINKS_VIEW}”为它选择措施，或补写一条措施。")
    if lacking := view.measures_lacking():
        what = "时限或责任人" if view.owner_question.asked else "时限"
        lines.append(f"还有{lacking}条整改措施没有设定{what}，设定后我会按时提醒。")
        rows.insert(1, [Button(Label.SET_DEADLINES, encode(Flow.NAV, "go", pub, steps.DEADLINES))])
    rows += [
        _back(view, view.step(steps.SUMMARY)),
    ]
    return Reply("\n".join(lines), [r for r in rows if r])


def outline_numbers(document: Document) -> dict[str, str]:
    """The marker each section and aspect key gets in the file (``一、``, ``（二）``); sections left
    out of the file for want of content have none."""
    return {
        line.owner.key: line.marker
        for line in outline(document)
        if line.kind is LineKind.HEADING and isinstance(line.owner, Section) and line.owner.key
    }


def section_label(view: DraftView, step: Step) -> str:
    """A section step as the user knows it: （三）and the aspect, or the section's heading."""
    assert step.section is not None
    aspect = view.aspect_heading(step)
    return f"{level2(step.aspect)}{aspect}" if aspect else (step.section.heading or "导语")


def go_to_part(view: DraftView, step: Step) -> Button:
    """The button that shows a section step to write in, named as the user knows it."""
    label = f"修改：{section_label(view, step)[:24]}"
    return Button(label, encode(Flow.NAV, "go", view.draft.public_id, step.key))


def full_text_page(view: DraftView, number: int) -> Reply:
    """Page ``number`` of the assembled material, with buttons to page and to edit what is on it."""
    pub = view.draft.public_id
    all_pages = fulltext.pages(view, fulltext.MAX_STEPS)
    number = min(max(number, 1), len(all_pages))
    page = all_pages[number - 1]
    paging = [
        Button(label, encode(Flow.FULL_TEXT, "page", pub, target))
        for label, target in ((Label.PREVIOUS_PAGE, number - 1), (Label.NEXT_PAGE, number + 1))
        if 1 <= target <= len(all_pages)
    ]
    rows = [paging] if paging else []
    rows += [[go_to_part(view, view.step(key))] for key in page.steps]
    rows.append([Button(Label.BACK_TO_SUMMARY, encode(Flow.NAV, "go", pub, steps.SUMMARY))])
    header = f"<b>全文</b>（第{number}/{len(all_pages)}页，与生成的文档一致）"
    return Reply("\n".join([header, "", *page.lines]), rows)


YEAR_AND_ASPECTS = "年度和对照的方面"
"""The theme step in the jump menu: where the 年度 the title names and the aspects are chosen."""


def jump_menu(view: DraftView) -> Reply:
    pub = view.draft.public_id
    rows: list[list[Button]] = []
    for step in filter(view.asks, view.steps):
        if step.section is not None:
            label = section_label(view, step)
        elif step.meta_field is not None:
            label = META_FIELDS[step.meta_field]
        elif step.key in (steps.THEME, steps.ASPECTS):
            label = YEAR_AND_ASPECTS
        elif step.key == steps.DATE:
            label = view.date_label
        elif step.key == steps.DEADLINES:
            label = "整改时限和责任人"
        else:
            continue
        rows.append([Button(label[:30], encode(Flow.NAV, "go", pub, step.key))])
        if step.key == steps.UNIT and view.signature_editable:  # the 署名, a detour from the unit
            rows.append([Button(META_FIELDS["signature"], encode(Flow.NAV, "go", pub, steps.SIGNATURE))])
    return Reply("要修改哪一部分？改完后会回到全文概览。", rows)

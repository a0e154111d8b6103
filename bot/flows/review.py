"""Reviewing drafts and uploads in chat: feedback after an answer, /check, dismissals, imports.

A draft is reviewed on its document model: laid out as numbered text with every span known
(``bot.layout``), never rendered and parsed back. The note after an answer reviews only what
changed, laid out among the headings of the whole material, so it names every place as /check
does: after an item answer the new items with the rules that read one item (``Scope.ITEM``), after
a text answer or 填写完毕 the whole step with the rules that read a step too; /check and the verdict
on completion run every rule.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import itemcheck, last_year, links, prompts, steps
from bot.callbacks import Flow, encode
from bot.catalog import CUSTOM_THEME, ThemeSpec, aspect_text
from bot.continuation import CUT_PART_MIN, MAX_GAP, follows
from bot.dates import FULL_WIDTH_DIGITS, read_date
from bot.document import Document, Section, SectionRole
from bot.draftview import DraftView
from bot.flows import drafts, measure_columns
from bot.flows.context import NO_DRAFT, FlowContext
from bot.labels import Label
from bot.layout import lay_out
from bot.numbering import MarkerStyle
from bot.parsing import ParseResult
from bot.replies import Button, Deferred, FileReply, Outgoing, Reply
from bot.review import Finding, Scope, registry, review, scoped
from bot.review import aspects as matching
from bot.review.engine import (
    BYLINE,
    TITLE,
    guess_kind,
    guess_kind_from_preamble,
    preamble_of,
    theme_for,
    year_in,
)
from bot.review.findings import Severity
from bot.review.render import render_answer_feedback, render_chat, summary_text
from bot.review.rules.capture import REVISIONS
from bot.splitter import held_points, lead_lines, split_answer
from bot.steps import Step
from bot.texts import MESSAGE_LIMIT, char_count, esc, level2, shorten, utf16_len
from bot.uploads import KEEP, PASTED, Reading
from storage import repo
from storage.models import LEAD_POSITION, Answer, AnswerRole, Dismissal, Draft, Upload

MAX_DISMISS_BUTTONS = 6
DISMISS_LABEL_CHARS = 15
"""How much of a finding's message its 忽略 button shows, with … when cut, beside its 去修改."""
PASTE = "paste:"
"""How a pasted material's ``Upload.file_id`` begins (``_paste_key``); a file sent has Telegram's id."""
PASTE_REST_WINDOW = timedelta(minutes=1)
"""How soon after a kept paste its rest may come: a client sends the parts of a cut text at once."""
JOINED = "这条消息接着上一条，已合在一起。"
"""Said first in the reply to the rest of a paste its client cut, wherever it was pasted."""


async def dismissed_keys(ctx: FlowContext, draft: Draft) -> set[str]:
    if "has_dismissals" in draft.__dict__ and not draft.has_dismissals:
        return set()  # known from the draft's own row: no query
    rows = await ctx.session.scalars(select(Dismissal.key).where(Dismissal.draft_id == draft.id))
    return set(rows.all())


def reviewed_state(view: DraftView) -> tuple[object, ...]:
    """What a review of the draft depends on, to tell whether it changed since it was read. (The
    draft's version column moves with its own row only, not with its answers and links.)"""
    answers = tuple(
        (a.id, a.section, a.aspect, a.position, a.role, a.text)
        + (tuple(sorted((link.answer_id, link.by_order) for link in a.measure.links)) if a.measure else ())
        for a in view.answers
    )
    return view.draft.version, answers


async def previous_problems(ctx: FlowContext, view: DraftView) -> list[str]:
    """The problems the user wrote in their own earlier material of this kind (last year's, when the
    bot has it), so a problem copied from it is named (problems.stock.repeat)."""
    if "has_earlier" in view.draft.__dict__ and not view.draft.has_earlier:
        return []  # known from the draft's own row: no query
    draft = await repo.previous_draft(ctx.session, ctx.user.id, view.draft)
    if draft is None:
        return []
    earlier = DraftView.build(ctx.catalog, draft)
    return [
        answer.text
        for step in earlier.section_steps
        if step.section is not None and step.section.role is SectionRole.PROBLEMS
        for answer in earlier.slot(step)
    ]


@dataclass(frozen=True)
class Known:
    """What a review needs from the database besides the draft, read in the update's transaction so
    that the review itself can run after it: the dismissed findings and the earlier material's
    problems."""

    dismissed: set[str]
    previous: list[str]


async def known(ctx: FlowContext, view: DraftView, *, previous: bool = True) -> Known:
    return Known(
        await dismissed_keys(ctx, view.draft), await previous_problems(ctx, view) if previous else []
    )


def draft_findings(view: DraftView, known: Known) -> list[Finding]:
    """The whole draft reviewed as /check shows it: the user's dismissals and earlier material known,
    the parts of a draft still being written that are empty not counted as missing."""
    unwritten = [step.key for step in view.unwritten()]
    _, findings = review_draft(view, known.dismissed, previous=known.previous, unwritten=unwritten)
    return [_split_hint(view, f) for f in findings]


def _split_hint(view: DraftView, finding: Finding) -> Finding:
    """A list numbered from 4. (or with a gap) because one stored item holds the points its markers
    begin (``held_points``, a draft stored before the splitter knew them): the suggestion names the
    button that splits it, instead of numbers to type; for a point listing its particulars with the
    list's own device, as one way out."""
    if not finding.rule.startswith("structure.numbering.") or finding.place.item is None:
        return finding
    answer = next((a for a in view.answers if a.id == finding.place.item), None)
    points = held_points(answer.text) if answer is not None else []
    if not points:
        return finding
    how = prompts.split_how(len(points))
    if finding.rule == "structure.numbering.nested":  # particulars it lists: splitting is one way
        return replace(finding, suggestion=f"{finding.suggestion}；要分开写，{how}")
    return replace(finding, suggestion=f"这一条里还写着另起的{len(points) - 1}条：{how}")


def review_draft(
    view: DraftView,
    dismissed: set[str],
    focus: Step | None = None,
    previous: Sequence[str] = (),
    items: Collection[int] | None = None,
    *,
    capped: bool = True,
    unwritten: Collection[str] = (),
) -> tuple[ParseResult, list[Finding]]:
    """The whole draft reviewed with every rule; with ``focus`` that step with the rules of one
    step (``Scope.ITEM`` and ``Scope.STEP``), and with ``items`` (answer ids) too only these items
    of it with the rules of one item: a fraction of the cost, which matters because it runs after
    every answer. ``previous`` are the problems of the user's earlier material
    (``previous_problems``); ``capped`` and ``unwritten`` as for ``review``."""
    result = lay_out(view.to_document(focus, items))
    step_rules = scoped(Scope.ITEM, Scope.STEP) if items is None else scoped(Scope.ITEM)
    rules = registry() if focus is None else step_rules
    # Only measures.coverage reads the links, and only the whole review runs it: as the links table
    # shows them once there are measures (the proposal until the user confirms or changes it, with
    # the problems it pairs by order alone).
    linked = "measures.coverage" in rules and bool(view.measures())
    unlinked, guessed = links.gaps(view) if linked else ([], [])
    findings = review(
        result,
        kind=view.kind,
        year=view.draft.year,
        meeting_date=view.draft.meeting_date,
        aspects=[a["text"] for a in view.aspects] or None,
        dismissed=dismissed,
        unlinked_problems=[p.headline for p in unlinked] if linked else None,
        guessed_problems=[p.headline for p in guessed],
        rules=rules,
        capped=capped,
        previous=previous,
        unwritten=unwritten,
    )
    return result, findings


def step_findings(
    view: DraftView, step: Step, item_ids: Collection[int] | None = None, previous: Sequence[str] = ()
) -> list[Finding]:
    """Findings about one step's answer; with ``item_ids``, only the ITEM rules' about these items
    (the step's other rules are heard at 填写完毕 and in /check)."""
    ahead = [s.key for s in view.unwritten()] if item_ids is None else []  # only step rules read it
    _, findings = review_draft(view, set(), focus=step, previous=previous, items=item_ids, unwritten=ahead)
    return [
        f for f in findings if f.place.section == step.key and (item_ids is None or f.place.item in item_ids)
    ]


async def note(
    ctx: FlowContext,
    replies: list[Outgoing],
    view: DraftView,
    step: Step,
    item_ids: Collection[int] | None = None,
    *,
    after: str | None = None,
) -> None:
    """A short reviewer's note on what was just answered, placed in the first reply after the text
    ``after`` (at its end for None). Worked out after the commit, from the draft as stored; a
    problems answer is compared with the problems of the user's earlier material as well."""
    reply = replies[0] if replies and isinstance(replies[0], Reply) else None
    if reply is None:
        return
    problems = step.section is not None and step.section.role is SectionRole.PROBLEMS
    read = await known(ctx, view, previous=problems)

    listed = step.section is not None and step.section.answer != "text"

    def amend(reply: Reply) -> None:
        findings = step_findings(view, step, item_ids, read.previous)
        live = [f for f in findings if not f.dismissed_by(read.dismissed)]
        said = render_answer_feedback(live, _item_names(view, step, item_ids), SHOWN)
        if listed and any(f.rule == MISPLACED for f in live[:SHOWN]):
            said += f"\n{MOVE_HINT}"
        reply.insert(said, after)

    reply.later.append(amend)


MISPLACED = "structure.sections.misplaced"
SHOWN = 3  # the findings a note shows (render_answer_feedback's max_items)
MOVE_HINT = f"要移过去，请点“{Label.MANAGE}”，选中要移的条目，再点“{Label.ITEM_TO_PART}”。"
"""How an item written in the wrong part gets to the right one, said under the note that names it."""


def byline_note(replies: list[Outgoing], view: DraftView, value: str, *, after: str) -> None:
    """The note after a name, unit or post (``value``): what the rules of one item find in it, as
    /check finds it in the line under the title (a placeholder left in the unit), after the commit."""
    reply = replies[0] if replies and isinstance(replies[0], Reply) else None
    if reply is None:
        return

    def amend(reply: Reply) -> None:
        document = Document(title=view.title, byline=value, sections=[])  # the answer where /check reads it
        findings = review(
            lay_out(document),
            kind=view.kind,
            year=view.draft.year,
            meeting_date=view.draft.meeting_date,
            dismissed=set(),
            rules=scoped(Scope.ITEM),
        )
        reply.insert(render_answer_feedback([f for f in findings if f.section == BYLINE]), after)

    reply.later.append(amend)


def _item_names(view: DraftView, step: Step, item_ids: Collection[int] | None) -> dict[int, str]:
    """The items a note is about, by id, as the step numbers them (二是), when there are several:
    those an answer added, or all of a step's items when it is finished (``item_ids`` None)."""
    slot = view.slot(step)
    about = {a.id for a in slot} if item_ids is None else set(item_ids)
    if len(about) < 2:
        return {}
    return {a.id: name for a, name in zip(slot, view.marked(step), strict=True) if a.id in about}


async def advance(ctx: FlowContext, view: DraftView, step: Step, notice: str = "") -> list[Outgoing]:
    """Go on after ``step``; when that completes the draft, the whole material is reviewed at once
    (the rules about the whole material only make sense now) and its verdict heads the overview,
    after what is said about the answer itself."""
    completing = not view.draft.completed
    replies = await ctx.advance(view, step, notice)
    if completing and view.draft.completed and replies and isinstance(replies[0], Reply):
        read = await known(ctx, view)
        overview = replies[0].html.removeprefix(notice).lstrip("\n")

        def verdict(reply: Reply) -> None:
            found = summary_text(draft_findings(view, read), (Severity.ERROR, Severity.WARNING))
            reply.insert(
                f"全文审核：{found}。发送 /check 查看审核意见。"
                if found
                else "全文审核没有发现必须修改或建议修改的地方。",
                before=overview,
            )

        replies[0].later.append(verdict)
        replies[0].heavy = True
    return replies


async def check(ctx: FlowContext, skip: int = 0, first: int = 0) -> list[Outgoing]:
    """/check: the page of findings from ``skip``, with the 忽略 buttons of its open findings from
    the ``first`` on (a few at a time; 上一页/下一页 move among them)."""
    view = await ctx.view()
    if view is None or view.kind is None:
        return await drafts.no_draft(ctx)
    read = await known(ctx, view)

    def page() -> list[Reply | FileReply]:
        reply = _findings_page(view, draft_findings(view, read), skip, first)
        if not skip and (ahead := _still_to_write(view)):
            reply.html = f"{ahead}\n\n{reply.html}"
        return [reply]

    return [Deferred(page)]


def _still_to_write(view: DraftView) -> str:
    """The required parts of a draft still being written that are empty, in a line ahead of the
    findings (which do not count them as missing); "" when there are none."""
    aspects: dict[str, list[int]] = {}  # by section, the aspects still to write (0: asked once)
    for step in view.unwritten():
        if step.section is not None and step.section.required:
            aspects.setdefault(step.section.heading or "导语", []).append(step.aspect)
    if not aspects:
        return ""
    parts = "、".join(heading + _aspect_span(numbers) for heading, numbers in aspects.items())
    return f"还没写到：{parts}。这些部分写完后一并审核，下面是已写部分的意见。"


def _aspect_span(numbers: list[int]) -> str:
    """（二）至（五） for a run of aspects, （二）（四） otherwise; "" for a section asked once."""
    if numbers == [0]:
        return ""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{level2(numbers[0])}至{level2(numbers[-1])}"
    return "".join(level2(n) for n in numbers)


def _findings_page(view: DraftView, findings: list[Finding], skip: int, first: int = 0) -> Reply:
    public_id = view.draft.public_id
    html, rest = render_chat(findings[skip:])
    shown = findings[skip : len(findings) - len(rest)]
    rows = _dismiss_rows(view, [f for f in shown if not f.dismissed], skip, first)
    if rest:
        rows.append(
            [
                Button(
                    Label.MORE_FINDINGS.format(len(rest)),
                    encode(Flow.REVIEW, "more", public_id, skip + len(shown)),
                )
            ]
        )
    rows.append([Button(Label.BACK_TO_EDITING, encode(Flow.HOME, "resume", public_id))])
    return Reply(html, rows)


def _dismiss_rows(view: DraftView, open_: list[Finding], skip: int, first: int) -> list[list[Button]]:
    """The 忽略 buttons of ``open_`` from ``first`` on, ``MAX_DISMISS_BUTTONS`` of them, each with its
    去修改 where the finding has a place to go to, with 上一页 and 下一页 when there are more; a
    ``first`` past the end (findings dismissed since) starts over."""
    public_id = view.draft.public_id
    first = first if 0 <= first < len(open_) else 0
    rows = [
        [_dismiss_button(public_id, f), *_go_to(view, f)] for f in open_[first : first + MAX_DISMISS_BUTTONS]
    ]
    turn = []
    if first > 0:
        back = max(first - MAX_DISMISS_BUTTONS, 0)
        turn.append(Button(Label.PREVIOUS_PAGE, encode(Flow.REVIEW, "page", public_id, skip, back)))
    later = len(open_) - first - MAX_DISMISS_BUTTONS
    if later > 0:
        on = first + MAX_DISMISS_BUTTONS
        turn.append(
            Button(Label.NEXT_DISMISSIBLE.format(later), encode(Flow.REVIEW, "page", public_id, skip, on))
        )
    if turn:
        rows.append(turn)
    return rows


def _dismiss_button(public_id: str, finding: Finding) -> Button:
    """忽略 with the opening words of the finding's message, … where they are cut."""
    label = f"忽略：{shorten(finding.message, DISMISS_LABEL_CHARS)}"
    return Button(label, encode(Flow.REVIEW, "ign", public_id, finding.key))


def _go_to(view: DraftView, finding: Finding) -> list[Button]:
    """去修改 beside a finding's 忽略, where it has a place to go to (``fix_route``)."""
    route = fix_route(view, finding)
    return [Button(Label.GO_TO_PLACE, route)] if route else []


def fix_route(view: DraftView, finding: Finding) -> str | None:
    """Where 去修改 (and /report's 先去修改) takes the user for ``finding``: to the item it names (its
    menu, wherever the item is by then), for a problem whose fix is a measure to the measures naming
    it, else to the step where what it is about, or its fix, is written; None for a finding about
    the whole text."""
    public_id = view.draft.public_id
    if finding.place.item is not None and finding.fix_in is None:
        return encode(Flow.REVIEW, "go", public_id, finding.place.item)
    if finding.place.item is not None and finding.fix_in is SectionRole.MEASURES:
        return encode(Flow.REVIEW, "fix", public_id, finding.place.item)
    step = finding_step(view, finding)
    return encode(Flow.REVIEW, "at", public_id, step) if step else None


def finding_step(view: DraftView, finding: Finding) -> str | None:
    """The key of the step where ``finding`` is fixed: the first of the part its rule says the fix
    is written in (a measure for a problem without one), else its own section's or aspect's (of a
    section written per aspect and missing whole, the first aspect's), or for the title and the
    line under it (“XX”县商务局) the name, unit or position that holds its words, or the theme step
    for a title finding that names the 年度 chosen there; None for a finding about the whole
    text."""
    if finding.fix_in is not None:
        step = view.first_step(finding.fix_in)
        return step.key if step is not None else None
    keys = [step.key for step in view.steps]
    if (section := finding.place.section) is not None:
        return next((key for key in keys if key == section or key.startswith(f"{section}.")), None)
    if finding.section not in (BYLINE, TITLE):
        return None
    meta = view.draft.meta or {}
    fields = [step.meta_field for step in view.steps if step.meta_field]
    holder = next((f for f in fields if finding.snippet and finding.snippet in (meta.get(f) or "")), None)
    if holder:
        return f"setup.{holder}"
    year = view.year_label
    named_year = finding.section == TITLE and year and f"“{year}”" in finding.message
    return steps.theme_step(view.kind) if named_year and view.kind is not None else None


CHANGED = "材料在审核期间有改动，这条意见未忽略。请发送 /check 重新审核。"
GONE = "这条意见已不存在（相关内容可能已修改）。发送 /check 重新审核。"


async def dismiss(ctx: FlowContext, public_id: str, key: str) -> list[Outgoing]:
    """Find the finding in a review done after this transaction, then store its dismissal in a
    short one of its own, unless the draft changed meanwhile."""
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        ctx.refused("draft")
        return [Reply(NO_DRAFT)]
    view = DraftView.build(ctx.catalog, draft)
    read = await known(ctx, view)
    state = reviewed_state(view)
    found: list[Finding] = []

    def find(_reply: Reply) -> None:
        found.extend(f for f in draft_findings(view, read) if key in f.keys)

    async def store(ctx: FlowContext, reply: Reply) -> None:
        again = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
        if again is None:
            reply.html = NO_DRAFT
        elif reviewed_state(DraftView.build(ctx.catalog, again)) != state:
            reply.html = CHANGED
        elif not found:
            reply.html = GONE
        else:
            finding = found[0]
            if await ctx.session.get(Dismissal, (again.id, key)) is None:
                ctx.session.add(Dismissal(draft_id=again.id, key=key, rule=finding.rule))
            reply.html = f"已忽略：{esc(finding.message)}。之后的审核中会标注为“已忽略”，不会再提醒。"

    return [Reply("", later=[find], heavy=True, then=store)]


# -- uploads -------------------------------------------------------------------------------------


def upload_reply(reading: Reading, filename: str, upload_id: str) -> Reply:
    """The review of a file sent. That it was read with its tracked changes accepted is said under
    the file's name, where it cannot be cut off with the findings that do not fit."""
    revised = next((f for f in reading.findings if f.rule == REVISIONS), None)
    html, rest = render_chat([f for f in reading.findings if f is not revised])
    head = f"已读取《{esc(filename)}》，共{reading.characters}字。"
    if revised is not None:
        head += f"{esc(revised.message)}；建议{esc(revised.suggestion)}。"
    head += "\n\n"
    if rest:
        html += f"\n（另有{len(rest)}条意见，导入后用 /check 查看全部。）"
    rows = [
        [Button(Label.IMPORT, encode(Flow.UPLOAD, "import", upload_id))],
        [Button(Label.REFORMAT, encode(Flow.UPLOAD, "format", upload_id))],
    ]
    return Reply(head + html, rows)


async def remember_upload(ctx: FlowContext, file_id: str, filename: str, text: str) -> str:
    """Keep the upload's text for its buttons, and drop every upload kept longer than ``KEEP``."""
    await ctx.session.execute(delete(Upload).where(Upload.created_at < ctx.now - KEEP))
    upload = Upload(  # dated by the bot's clock, which its expiry is read against
        public_id=repo.new_public_id(),
        user_id=ctx.user.id,
        file_id=file_id,
        filename=filename,
        text=text,
        created_at=ctx.now,
    )
    ctx.session.add(upload)
    return upload.public_id


async def upload_of(session: AsyncSession, user_id: int, public_id: str, now: datetime) -> Upload | None:
    """The user's upload with its text, unless it is unknown, another user's, or past ``KEEP``."""
    found = await session.scalar(
        select(Upload).where(Upload.public_id == public_id, Upload.user_id == user_id)
    )
    if found is None or found.text is None or found.created_at < now - KEEP:
        return None
    return found


async def latest_file(ctx: FlowContext) -> Upload | None:
    """The file the user sent last (not a material pasted as text), while its buttons still work."""
    found: Upload | None = await ctx.session.scalar(
        select(Upload)
        .where(Upload.user_id == ctx.user.id, ~Upload.file_id.startswith(PASTE))
        .order_by(Upload.created_at.desc(), Upload.id.desc())
        .limit(1)
    )
    return await upload_of(ctx.session, ctx.user.id, found.public_id, ctx.now) if found else None


async def import_document(ctx: FlowContext, document: Document) -> list[Outgoing]:
    """A new draft holding the uploaded material, its aspects taken from its own headings."""
    title = document.title or ""
    guessed = guess_kind(title) or guess_kind_from_preamble(preamble_of(document))
    kind = ctx.catalog.kind(guessed if guessed and guessed in ctx.catalog.kinds else "personal_dsh")
    draft = await repo.create_draft(ctx.session, ctx.user, steps.SUMMARY)
    ctx.switch_to(draft)
    theme, added = _add_missing_aspects(ctx, document, guessed)
    aspects = _aspects_of(document)
    draft.kind = kind.key
    draft.meta = kind.identity_in(title)
    draft.theme_key = CUSTOM_THEME
    draft.theme_label = _year_label(title)
    draft.year = int(draft.theme_label[:4]) if draft.theme_label else None
    draft.meeting_date = _byline_date(document.byline or "")
    draft.aspects = [{"text": a, "heading": a} for a in aspects or ["存在的主要问题"]]
    draft.extra_matters = [s.heading for s in document.sections if s.role == SectionRole.EXTRA and s.heading]
    view, _, _, told = await _fill(ctx, draft, document)
    if theme is not None and added:
        names = "、".join(f"{level2(aspects.index(a) + 1)}{esc(a)}" for a in added)
        told += f"材料缺少{esc(theme.title)}要求的方面，已在存在的主要问题下加上{names}，请补写。"
    notice = "已导入为新材料。" + told + "可以从全文概览里选择要修改的部分，或发送 /check 查看审核意见。"
    return [prompts.present(ctx.catalog, view, notice)]


async def _fill(
    ctx: FlowContext, draft: Draft, document: Document, keep: Collection[str] = ()
) -> tuple[DraftView, list[Step], list[Section], str]:
    """Store the document's sections as ``draft``'s answers, step by step, and move the draft on to
    its overview; the steps named in ``keep`` stay as they are. The 责任人 and 时限 its measures
    give (a measures table's columns) are taken over as the deadline step would take them. Returns
    the draft's view, the steps kept that the document has a text for, the document's extra parts
    the draft has no step for, and what to tell about the measures' columns ("" for nothing)."""
    draft.completed = True
    draft.cursor = steps.SUMMARY
    view = DraftView.build(ctx.catalog, draft, ctx.today)
    extras, left = _extras(document, view)
    kept: list[Step] = []
    added: list[Answer] = []
    for step in view.section_steps:
        assert step.section is not None
        lead, texts, headings = _texts_for(document, step, extras)
        if step.key in keep:
            kept += [step] if lead or texts else []
            continue
        answers = [(LEAD_POSITION, AnswerRole.LEAD, lead)] if lead else []
        answers += [
            (p, AnswerRole.HEADING if p in headings else AnswerRole.ITEM, t) for p, t in enumerate(texts)
        ]
        for position, role, text in answers:
            answer = repo.add_answer(
                draft,
                step.section.key,
                step.aspect,
                position,
                text,
                author_id=ctx.user.id,
                source=None,
                is_measure=step.section.role == SectionRole.MEASURES,
                role=role,
            )
            added += [answer] if answer.measure is not None else []
    told = ""
    if added:
        await ctx.session.flush()  # ids for the measures' events and reminders
        taken, unread = await measure_columns.take_over(ctx, view, added)
        told = (f"措施中写明的责任人和时限已一并带入（{taken}条）。" if taken else "") + (
            measure_columns.unread_notice(unread)
        )
    return view, kept, [part for part in left if not part.is_empty()], told


def _add_missing_aspects(
    ctx: FlowContext, document: Document, kind: str | None
) -> tuple[ThemeSpec | None, list[str]]:
    """The year's aspects a material names none of, added to its 存在的主要问题 as empty aspects at
    their place in the year's order, so that the draft imported has a step to write each and /check
    names it as the upload's review did (``structure.aspects.missing``, against the theme the review
    infers from the title and 导语): the theme, and the headings added."""
    problems = next((s for s in document.sections if s.role == SectionRole.PROBLEMS), None)
    title = document.title or ""
    year = year_in(title, preamble_of(document))
    spec = ctx.catalog.kinds.get(kind) if kind else None
    theme = theme_for(spec, title, year, ctx.catalog) if year is not None else None
    if problems is None or theme is None:
        return None, []
    headings = [a.heading or "" for a in problems.subsections]
    absent, assignment = matching.missing(headings, theme, ctx.catalog) if all(headings) else ([], [])
    if not absent:
        return None, []
    parts: list[Section] = []
    added: list[str] = []

    def add(index: int) -> None:
        heading = theme.aspects[index].heading
        parts.append(Section(role=SectionRole.PROBLEMS, heading=heading))
        added.append(aspect_text(heading))

    for part, index in zip(problems.subsections, assignment, strict=True):
        while index is not None and absent and absent[0] < index:
            add(absent.pop(0))
        parts.append(part)
    for index in absent:
        add(index)
    problems.subsections = parts
    return theme, added


def _bare(aspect: str) -> str:
    """An aspect without the words around it that differ between a notice and a material (在……方面)."""
    return re.sub(r"^在|(?:方面|情况)$", "", aspect_text(aspect))


def _aspects_of(document: Document) -> list[str]:
    """The aspects a material's 存在的主要问题 is written under, in its own words."""
    problems = next((s for s in document.sections if s.role == SectionRole.PROBLEMS), None)
    if problems is None:
        return []
    return [aspect_text(a.heading) or a.heading for a in problems.subsections if a.heading]


async def pasted_material(
    ctx: FlowContext, view: DraftView, step: Step, text: str, source: tuple[int, int], sent: datetime | None
) -> list[Outgoing] | None:
    """A whole material, or several of its parts, pasted into one step (or the rest of such a paste
    its client cut), offered to fill the draft's parts that are still empty; None for any other text.

    The text is kept like an upload's, so the button reads it in the worker as it reads a file."""
    assert step.section is not None
    earlier = await _cut_paste_before(ctx, source, sent)
    if earlier is None:
        parts = itemcheck.material_parts(text)
        others = [heading for heading, role in parts if role is not step.section.role]
        if not others:
            return None
        if not _empty_parts(view, {role for _, role in parts}):
            if len(parts) == 1:  # one other part's heading, no material: the step's guard names it
                return None
            notice = (
                f"这段内容有“{esc(others[0])}”等部分的标题，像是整篇材料，而本材料的这些部分都已写过，"
                "我先不保存。要另起一份，请把整篇材料存成 .docx 或 .txt 文件发给我，审核后点“导入为新材料”。"
            )
            return [prompts.present(ctx.catalog, view, notice)]
    text, upload_id = await _keep_paste(ctx, text, source, sent, earlier)
    this_part = "导语" if step.section.role is SectionRole.PREAMBLE else "本部分的内容"
    notice = (
        (JOINED if earlier is not None else "")
        + f"这段内容（{char_count(text)}字）有材料各部分的标题，我先不作为{this_part}保存。"
        f"点“{Label.FILL_FROM_PASTE}”，会按标题分到本材料还没写的各部分（已写过的不动），"
        "分好后可在全文概览里逐部分核对修改。\n"
        "消息太长被分成几条发送的，请等全部发完再点；只写这一部分的，请只发送这一部分。"
    )
    reply = prompts.present(ctx.catalog, view, notice)
    fill = encode(Flow.UPLOAD, "fill", upload_id, view.draft.public_id)
    reply.buttons.insert(0, [Button(Label.FILL_FROM_PASTE, fill)])
    return [reply]


async def pasted_without_draft(
    ctx: FlowContext, text: str, source: tuple[int, int], sent: datetime | None
) -> list[Outgoing] | None:
    """A material pasted while no draft is open (or the rest of one its client cut), kept and offered
    as a file sent is: to review, to import as a new material, or to lay out; None for other text.
    A cadre or a reviewer with a finished draft pastes it rather than saving it as a file first."""
    earlier = await _cut_paste_before(ctx, source, sent)
    if earlier is None and not itemcheck.material_parts(text):
        return None
    text, upload_id = await _keep_paste(ctx, text, source, sent, earlier)
    notice = (
        (JOINED if earlier is not None else "")
        + f"这段内容（{char_count(text)}字）像是一篇材料，我先记下。可以先审核，也可以导入为新材料继续修改，"
        "或按公文格式排版生成 Word。\n消息太长被分成几条发送的，请等全部发完再点。"
    )
    rows = [
        [Button(Label.REVIEW_PASTE, encode(Flow.UPLOAD, "review", upload_id))],
        [Button(Label.IMPORT, encode(Flow.UPLOAD, "import", upload_id))],
        [Button(Label.REFORMAT, encode(Flow.UPLOAD, "format", upload_id))],
    ]
    return [Reply(notice, rows)]


async def pasted_at_setup(
    ctx: FlowContext,
    view: DraftView,
    asked: str,
    text: str,
    source: tuple[int, int],
    sent: datetime | None,
    *,
    material: bool,
) -> list[Outgoing] | None:
    """Material sent where a name, unit or post is ``asked`` (``material``: the caller's reading of
    it; a preamble written ahead, a whole material pasted at once), or the rest of one its client
    cut: kept as a paste is, never stored as the answer, and offered where it fits — a whole
    material to fill this draft's parts or to review, other text as the 导语 while that is empty.
    None for any other text."""
    earlier = await _cut_paste_before(ctx, source, sent)
    if earlier is None and not material:
        return None
    text, upload_id = await _keep_paste(ctx, text, source, sent, earlier)
    said = f"{JOINED if earlier is not None else ''}这段内容（{char_count(text)}字）"
    preamble = view.preamble_step
    rows: list[list[Button]] = []
    if itemcheck.material_parts(text):
        notice = (
            f"{said}有材料各部分的标题，像是整篇材料，没有作为{asked}记下。点“{Label.FILL_FROM_PASTE}”，"
            f"会按标题分到本材料的各部分（没填的基本信息，之后可在全文概览的“修改某一部分”里补上）；也可以先点“{Label.REVIEW_PASTE}”。"
        )
        rows = [
            [Button(Label.FILL_FROM_PASTE, encode(Flow.UPLOAD, "fill", upload_id, view.draft.public_id))],
            [Button(Label.REVIEW_PASTE, encode(Flow.UPLOAD, "review", upload_id))],
        ]
    elif preamble is not None and not _written(view, preamble):
        notice = (
            f"{said}像是材料正文，没有作为{asked}记下。要用作导语，请点“{Label.KEEP_AS_PREAMBLE}”，"
            "填完基本信息后可在导语这一步核对修改。"
        )
        rows = [
            [Button(Label.KEEP_AS_PREAMBLE, encode(Flow.UPLOAD, "preamble", upload_id, view.draft.public_id))]
        ]
    else:
        notice = (
            f"{said}像是材料正文，没有作为{asked}记下。导语已经写过，其他部分请填完基本信息后在那一部分发送。"
        )
    reply = await ctx.prompt(view, notice)  # a date asked back stays asked, with its button
    reply.buttons[0:0] = rows
    return [reply]


async def _keep_paste(
    ctx: FlowContext, text: str, source: tuple[int, int], sent: datetime | None, earlier: Upload | None
) -> tuple[str, str]:
    """Keep a pasted material like an upload, joined to ``earlier`` (the part before it that its
    client cut off), so that the buttons under either part read the whole: its text and upload id."""
    if earlier is not None:
        assert earlier.text is not None
        earlier.text, earlier.file_id = _joined(earlier.text, text), _paste_key(source)
        upload_id, text = earlier.public_id, earlier.text
    else:
        upload_id = await remember_upload(ctx, _paste_key(source), PASTED, text)
    ctx.user.pasted_at = sent or ctx.now  # Telegram's clock, as the rest's own date is
    return text, upload_id


def _empty_parts(view: DraftView, roles: Collection[SectionRole]) -> list[Step]:
    """The steps of these parts that hold nothing yet."""
    return [
        s
        for s in view.section_steps
        if s.section is not None and s.section.role in roles and not _written(view, s)
    ]


def _written(view: DraftView, step: Step) -> bool:
    """Whether the step holds anything: items, its text, or only its lead (上年度's summary)."""
    return bool(view.slot(step)) or view.lead(step) is not None


def _paste_key(source: tuple[int, int]) -> str:
    """A pasted material's ``Upload.file_id``: the message it came in, for the rest of it to find."""
    return f"{PASTE}{source[0]}:{source[1]}"


def paste_source(upload: Upload) -> tuple[int, int] | None:
    """The message a pasted material came in (its first part, when its client cut it), which an
    answer made of it keeps so that editing that message edits the answer."""
    chat_id, _, message_id = upload.file_id.removeprefix(PASTE).partition(":")
    if not upload.file_id.startswith(PASTE) or not (chat_id.lstrip("-").isdigit() and message_id.isdigit()):
        return None
    return int(chat_id), int(message_id)


async def _cut_paste_before(
    ctx: FlowContext, source: tuple[int, int], sent: datetime | None
) -> Upload | None:
    """The pasted material kept from the message before ``source`` when the client cut it there: it
    filled most of a message, and this one follows it as the rest of a cut text does
    (``continuation.follows``)."""
    if ctx.user.pasted_at is None or (sent or ctx.now) - ctx.user.pasted_at > PASTE_REST_WINDOW:
        return None
    chat_id, message_id = source
    before = {_paste_key((chat_id, message_id - gap)): message_id - gap for gap in range(1, MAX_GAP + 1)}
    kept = await ctx.session.scalars(
        select(Upload).where(Upload.user_id == ctx.user.id, Upload.file_id.in_(before))
    )
    found = max(kept, key=lambda u: before[u.file_id], default=None)
    if found is None or found.text is None or found.created_at < ctx.now - KEEP:
        return None
    if not follows(before[found.file_id], message_id, sent, [ctx.user.pasted_at]):  # Telegram's clock
        return None
    return found if utf16_len(found.text) >= CUT_PART_MIN else None


def _joined(first: str, rest: str) -> str:
    """Two parts of one message its client cut: at the last line break in the second half of the
    part when there is one (the break is dropped), else inside that line (``client_parts``)."""
    first = first.rstrip()
    inside_a_line = utf16_len(first.rsplit("\n", 1)[-1]) >= MESSAGE_LIMIT // 2
    return first + ("" if inside_a_line else "\n") + rest.lstrip()


async def fill_draft(ctx: FlowContext, public_id: str, document: Document) -> list[Outgoing]:
    """Fill the draft's empty parts from a pasted material. Its aspects stay those chosen for it,
    unless no problem is written yet and the material has another number of aspects: the
    material's own are taken then."""
    view, stale = await ctx.button_view(public_id)
    if view is None:
        return stale
    written = {s.key for s in view.section_steps if _written(view, s)}
    if not _empty_parts(view, {s.role for s in document.sections}):
        return [prompts.present(ctx.catalog, view, "本材料的这些部分都已写过，没有再按粘贴的材料填入。")]
    draft = view.draft
    aspects = _aspects_of(document)
    notices = ["已按粘贴的材料分到各部分。"]
    problems = {s.key for s in view.section_steps if s.section and s.section.role is SectionRole.PROBLEMS}
    if aspects and list(map(_bare, aspects)) != [_bare(a["heading"]) for a in draft.aspects]:
        if problems & written:
            notices.append("材料里的方面与本材料的不同，其中的问题已按先后顺序填入本材料的各方面，请核对。")
        else:
            notices.append(f"材料里的方面与所选的不同，已按材料里的{len(aspects)}个方面填写。")
            draft.aspects = [{"text": a, "heading": a} for a in aspects]
            draft.theme_key = CUSTOM_THEME
    view, kept, left, told = await _fill(ctx, draft, document, keep=written)
    notices.append(told)
    if kept:
        names = "、".join(f"“{esc(prompts.section_label(view, s))}”" for s in kept)
        notices.append(f"{names}已经写过，保持原样，材料里的这部分内容没有填入。")
    if left:
        names = "、".join(f"“{esc(part.heading or '')}”" for part in left)
        notices.append(f"本材料没有{names}这一部分，材料里的这部分内容没有填入。")
    notices.append("请在下面的概览里逐部分核对；发送 /check 查看审核意见。")
    return [prompts.present(ctx.catalog, view, "".join(notices))]


def _byline_date(byline: str) -> date | None:
    """The date a material gives under its title (（2026年1月22日）): its meeting's, which the imported
    draft keeps, so the file it produces is signed with it and not with the day of the import."""
    found = re.search(r"20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", byline.translate(FULL_WIDTH_DIGITS))
    day = read_date(re.sub(r"\s", "", found.group(0))) if found else None
    return day if isinstance(day, date) else None


def _year_label(title: str) -> str:
    found = re.search(r"(20\d\d)年度?", title)
    return f"{found.group(1)}年度" if found else ""


def _texts_for(
    document: Document, step: Step, extras: Mapping[str, Section]
) -> tuple[str, list[str], list[int]]:
    """``_step_texts``, and the headings among the texts: 上年度's aspects, each over its points
    (``bot.last_year``), are kept as headings over items, as the chat keeps them when pasted."""
    assert step.section is not None
    found = [s for s in document.sections if s.role is SectionRole.LAST_YEAR]
    if step.section.role is SectionRole.LAST_YEAR and found and (block := last_year.of_section(found[0])):
        return block.lead or "", *block.rows()
    return *_step_texts(document, step, extras), []


def _step_texts(document: Document, step: Step, extras: Mapping[str, Section]) -> tuple[str, list[str]]:
    """The step's lead paragraph ("" for none) and its items, or its one text, from the parsed file;
    ``extras`` holds the file's section for each step of an extra part (``_extras``).

    The paragraphs before a list (上年度's counts, "主要存在以下问题：") are its lead, as when pasted;
    without a list, an aspect's paragraphs are one item and another section's each one, but for a
    first one that sums the part up (上年度查摆问题4条，均已完成整改。), which is its lead as when typed.
    Sub-parts under headings of their own where the draft has none (（一）坚持政治理论学习方面。 under
    上年度 that holds paragraphs of its own) are one item each (``_flattened``), or in a text part its
    paragraphs."""
    assert step.section is not None
    role = step.section.role
    if role == SectionRole.EXTRA:
        sections = [extras[step.key]] if step.key in extras else []
    else:
        sections = [s for s in document.sections if s.role == role]
    if not sections:
        return "", []
    section = sections[0]
    if step.aspect:
        subsections = section.subsections or [section]
        if step.aspect > len(subsections):
            return "", []
        section = subsections[step.aspect - 1]
    nested = [text for text in map(_flattened, section.subsections) if text]
    if step.section.answer == "text" and not step.aspect:
        return "", [] if section.is_empty() else [
            "\n".join(section.paragraphs + [i.text for i in section.items] + nested)
        ]
    if nested:
        return "\n".join(section.paragraphs), [i.text for i in section.items] + nested
    if not section.items:
        # Points the parser does not number (①, 首先…其次…) are split as a pasted answer is.
        split = split_answer("\n".join(section.paragraphs))
        if len(split.items) > 1 or step.aspect:
            return split.lead or "", split.items
        leads = lead_lines(section.paragraphs) if split.lead else 0  # "主要有以下几点：" above them
        return "\n".join(section.paragraphs[:leads]), section.paragraphs[leads:]
    return "\n".join(section.paragraphs), [i.text for i in section.items]


def _flattened(section: Section) -> str:
    """A sub-part of a part the draft keeps as one list or text (上年度's （一）坚持政治理论学习方面。
    with its 整改问题 and 整改落实情况 under it) as one item: its heading runs into its first line,
    its points keep their markers (一是…二是… run on, as such points are written), and nothing under
    it is left behind."""
    lines = list(section.paragraphs)
    for item in section.items:
        point = f"{item.marker.text if item.marker else ''}{item.text}"
        if lines and item.marker is not None and item.marker.style is MarkerStyle.RUN_IN:
            lines[-1] += point
        else:
            lines.append(point)
    lines += filter(None, map(_flattened, section.subsections))
    first, *rest = lines or [""]
    return "\n".join([(section.heading or "") + first, *rest]).strip()


def _extras(document: Document, view: DraftView) -> tuple[dict[str, Section], list[Section]]:
    """The file's extra parts (八项规定…, 反面典型案例剖析) for the draft's steps of extra parts, and
    those that match none. A file words their headings its own way (深入贯彻中央八项规定精神学习教育
    查摆问题整改情况), so each goes to the step whose heading shares the most of its words, each once;
    with as many parts as steps, the rest go in their order."""
    slots = [
        s.section for s in view.section_steps if s.section is not None and s.section.role == SectionRole.EXTRA
    ]
    found = [s for s in document.sections if s.role == SectionRole.EXTRA]
    pairs = sorted(
        (
            (shared_words(slot.heading, part.heading), i, j)
            for i, slot in enumerate(slots)
            for j, part in enumerate(found)
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    chosen: dict[int, int] = {}
    for shared, i, j in pairs:
        if shared and i not in chosen and j not in chosen.values():
            chosen[i] = j
    if len(slots) == len(found):
        rest = [j for j in range(len(found)) if j not in chosen.values()]
        chosen |= dict(zip([i for i in range(len(slots)) if i not in chosen], rest, strict=True))
    matched = {slots[i].key: found[j] for i, j in chosen.items()}
    return matched, [part for j, part in enumerate(found) if j not in chosen.values()]


def shared_words(one: str | None, other: str | None) -> int:
    """How many two-character words two headings share: which of the draft's extra parts a heading
    worded its own way (严格落实中央八项规定精神方面) is."""
    pairs = [{text[i : i + 2] for i in range(len(text) - 1)} for text in (one or "", other or "")]
    return len(pairs[0] & pairs[1])

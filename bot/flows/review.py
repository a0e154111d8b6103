"""Reviewing drafts and uploads in chat: feedback after an answer, /check, dismissals, imports.

A draft is reviewed on its document model: laid out as numbered text with every span known
(``bot.layout``), never rendered and parsed back. The note after an answer reviews only that step,
laid out among the headings of the whole material, so it names every place as /check does.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import links, prompts, steps
from bot.callbacks import Flow, encode
from bot.document import Document, SectionRole
from bot.draftview import DraftView
from bot.flows.context import NO_DRAFT, FlowContext
from bot.layout import lay_out
from bot.parsing import ParseResult
from bot.replies import Button, Outgoing, Reply
from bot.review import Finding, ReviewConfig, load_config, review
from bot.review.findings import Severity
from bot.review.render import render_answer_feedback, render_chat, summary_text
from bot.steps import Step
from bot.texts import esc
from bot.uploads import KEEP, Reading
from storage import repo
from storage.models import Dismissal, Draft, Upload

# Rules about the whole material say nothing useful about one answer of a half-written draft.
WHOLE_DOCUMENT_RULES = ("structure.sections", "structure.aspects", "length", "text.year", "measures.coverage")
MAX_DISMISS_BUTTONS = 6


async def dismissed_keys(ctx: FlowContext, draft: Draft) -> set[str]:
    rows = await ctx.session.scalars(select(Dismissal.key).where(Dismissal.draft_id == draft.id))
    return set(rows.all())


@cache
def _answer_config() -> ReviewConfig:
    """The rules that can say something about one answer (the whole-document ones switched off)."""
    return load_config(overrides={"rules": dict.fromkeys(WHOLE_DOCUMENT_RULES, False)})


async def previous_problems(ctx: FlowContext, view: DraftView) -> list[str]:
    """The problems the user wrote in their own earlier material of this kind (last year's, when the
    bot has it), so a problem copied from it is named (problems.stock.repeat)."""
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


async def draft_findings(ctx: FlowContext, view: DraftView) -> list[Finding]:
    """The whole draft reviewed as /check shows it: the user's dismissals and earlier material known."""
    dismissed = await dismissed_keys(ctx, view.draft)
    _, findings = review_draft(view, dismissed, previous=await previous_problems(ctx, view))
    return findings


def review_draft(
    view: DraftView, dismissed: set[str], focus: Step | None = None, previous: Sequence[str] = ()
) -> tuple[ParseResult, list[Finding]]:
    """The whole draft reviewed, or with ``focus`` just that step's answer with the rules that apply
    to one answer (a fraction of the cost, which matters because it runs after every answer).
    ``previous`` are the problems of the user's earlier material (``previous_problems``)."""
    result = lay_out(view.to_document(focus))
    findings = review(
        result,
        kind=view.kind,
        year=view.draft.year,
        meeting_date=view.draft.meeting_date,
        aspects=[a["text"] for a in view.aspects] or None,
        config=_answer_config() if focus is not None else None,
        dismissed=dismissed,
        unlinked_problems=[p.headline for p in links.unlinked(view)] if links.is_confirmed(view) else None,
        previous=previous,
    )
    return result, findings


def step_findings(
    view: DraftView, step: Step, item_ids: Collection[int] | None = None, previous: Sequence[str] = ()
) -> list[Finding]:
    """Findings about one step's answer; with ``item_ids``, only those about these items."""
    _, findings = review_draft(view, set(), focus=step, previous=previous)
    return [
        f for f in findings if f.place.section == step.key and (item_ids is None or f.place.item in item_ids)
    ]


async def feedback(
    ctx: FlowContext, view: DraftView, step: Step, item_ids: Collection[int] | None = None
) -> str:
    """A short reviewer's note on what was just answered, or "" when there is nothing to say.

    A problems answer is compared with the problems of the user's earlier material as well."""
    problems = step.section is not None and step.section.role is SectionRole.PROBLEMS
    previous = await previous_problems(ctx, view) if problems else []
    findings = step_findings(view, step, item_ids, previous)
    if findings:  # only then is it worth a query for what the user dismissed
        dismissed = await dismissed_keys(ctx, view.draft)
        findings = [f for f in findings if f.key not in dismissed]
    return render_answer_feedback(findings)


async def advance(ctx: FlowContext, view: DraftView, step: Step, notice: str = "") -> list[Outgoing]:
    """Go on after ``step``; when that completes the draft, the whole material is reviewed at once
    (the rules about the whole material only make sense now) and its verdict heads the overview."""
    completing = not view.draft.completed
    replies = await ctx.advance(view, step, notice)
    if completing and view.draft.completed and replies and isinstance(replies[0], Reply):
        findings = await draft_findings(ctx, view)
        found = summary_text(findings, (Severity.ERROR, Severity.WARNING))
        verdict = (
            f"全文审核：{found}。发送 /check 查看审核意见。"
            if found
            else "全文审核没有发现必须修改或建议修改的地方。"
        )
        replies[0].html = f"{verdict}\n\n{replies[0].html}"
    return replies


async def check(ctx: FlowContext, skip: int = 0) -> list[Outgoing]:
    view = await ctx.view()
    if view is None or view.kind is None:
        return [Reply(NO_DRAFT)]
    findings = await draft_findings(ctx, view)
    return [_findings_page(findings, skip, view.draft.public_id)]


def _findings_page(findings: list[Finding], skip: int, public_id: str) -> Reply:
    html, rest = render_chat(findings[skip:])
    shown = findings[skip : len(findings) - len(rest)]
    rows = [
        [Button(f"忽略：{f.message[:14]}", encode(Flow.REVIEW, "ign", public_id, f.key))]
        for f in shown
        if not f.dismissed
    ][:MAX_DISMISS_BUTTONS]
    if rest:
        rows.append(
            [Button(f"更多（还有{len(rest)}条）", encode(Flow.REVIEW, "more", public_id, skip + len(shown)))]
        )
    rows.append([Button("返回填写", encode(Flow.HOME, "resume", public_id))])
    return Reply(html, rows)


async def dismiss(ctx: FlowContext, public_id: str, key: str) -> list[Outgoing]:
    draft = await repo.draft_by_public_id(ctx.session, ctx.user.id, public_id)
    if draft is None:
        ctx.refused("draft")
        return [Reply(NO_DRAFT)]
    view = DraftView.build(ctx.catalog, draft)
    finding = next((f for f in await draft_findings(ctx, view) if f.key == key), None)
    if finding is None:
        return [Reply("这条意见已不存在（相关内容可能已修改）。发送 /check 重新审核。")]
    if not finding.dismissed:
        ctx.session.add(Dismissal(draft_id=draft.id, key=key, rule=finding.rule))
    return [Reply(f"已忽略：{esc(finding.message)}。之后的审核中会标注为“已忽略”，不会再提醒。")]


# -- uploads -------------------------------------------------------------------------------------


def upload_reply(reading: Reading, filename: str, upload_id: str) -> Reply:
    html, rest = render_chat(reading.findings)
    head = f"已读取《{esc(filename)}》，共{reading.characters}字。\n\n"
    if rest:
        html += f"\n（另有{len(rest)}条意见，导入后用 /check 查看全部。）"
    rows = [
        [Button("导入为新材料，继续修改", encode(Flow.UPLOAD, "import", upload_id))],
        [Button("规范排版（生成Word）", encode(Flow.UPLOAD, "format", upload_id))],
    ]
    return Reply(head + html, rows)


async def remember_upload(ctx: FlowContext, file_id: str, filename: str, text: str) -> str:
    """Keep the upload's text for its buttons, and drop every upload kept longer than ``KEEP``."""
    await ctx.session.execute(delete(Upload).where(Upload.created_at < ctx.now - KEEP))
    upload = Upload(
        public_id=repo.new_public_id(), user_id=ctx.user.id, file_id=file_id, filename=filename, text=text
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


def _guess_kind(title: str) -> str:
    if "班子" in title:
        return "team_dsh"
    if "组织生活会" in title or "发言提纲" in title:
        return "member_zzsh"
    if "自查" in title:
        return "self_inspection"
    return "personal_dsh"


async def import_document(ctx: FlowContext, document: Document) -> list[Outgoing]:
    """A new draft holding the uploaded material, its aspects taken from its own headings."""
    kind = ctx.catalog.kind(_guess_kind(document.title or ""))
    draft = await repo.create_draft(ctx.session, ctx.user, steps.SUMMARY)
    problems = next((s for s in document.sections if s.role == SectionRole.PROBLEMS), None)
    aspects = [a.heading for a in problems.subsections if a.heading] if problems else []
    draft.kind = kind.key
    draft.theme_key = "custom"
    draft.theme_label = _year_label(document.title or "")
    draft.aspects = [{"text": a, "heading": a} for a in aspects or ["存在的主要问题"]]
    draft.completed = True
    view = DraftView.build(ctx.catalog, draft)
    for step in view.section_steps:
        assert step.section is not None
        for position, text in enumerate(_texts_for(document, step, view)):
            repo.add_answer(
                draft,
                step.section.key,
                step.aspect,
                position,
                text,
                author_id=ctx.user.id,
                source=None,
                is_measure=step.section.role == SectionRole.MEASURES,
            )
    notice = "已导入为新材料。可以从全文概览里选择要修改的部分，或发送 /check 查看审核意见。"
    return [prompts.present(ctx.catalog, view, notice)]


def _year_label(title: str) -> str:
    found = re.search(r"(20\d\d)年度?", title)
    return f"{found.group(1)}年度" if found else ""


def _texts_for(document: Document, step: Step, view: DraftView) -> list[str]:
    assert step.section is not None
    role = step.section.role
    sections = [s for s in document.sections if s.role == role]
    if role == SectionRole.EXTRA:
        sections = [s for s in sections if s.heading == step.section.heading] or sections[:1]
    if not sections:
        return []
    section = sections[0]
    if step.aspect:
        subsections = section.subsections or [section]
        if step.aspect > len(subsections):
            return []
        holder = subsections[step.aspect - 1]
        return [i.text for i in holder.items] or (["\n".join(holder.paragraphs)] if holder.paragraphs else [])
    if step.section.answer == "text":
        return (
            ["\n".join(section.paragraphs + [i.text for i in section.items])]
            if not section.is_empty()
            else []
        )
    return [i.text for i in section.items] or section.paragraphs

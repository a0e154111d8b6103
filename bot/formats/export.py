"""A stored draft as a file (.docx, .md, .txt or the .xlsx ledger), shared by the CLI and the bot.

``export_view`` renders a draft already loaded (the bot has one per update); ``export_draft`` is the
operator's path: it loads any draft by its public id, with no user scoping, and renders it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot import links
from bot.catalog import Catalog, OwnerQuestion, load_catalog
from bot.dates import format_date, parse_date
from bot.deadlines.parse import Cadence
from bot.document import Document
from bot.draftview import DraftView
from bot.formats import ExportFormat
from bot.measure_fields import written_owner
from bot.measure_status import closes_problem, rectifies_problem, status_of
from bot.owners import NOT_GIVEN, leader_and_department, written_member
from bot.render.ledger import (
    IMMEDIATE_PREFIX,
    KINDS,
    ONGOING_PREFIX,
    SOURCES,
    Deadline,
    LedgerRow,
    Postponement,
    Progress,
    render_ledger_xlsx,
)
from bot.render.profile import Profile
from bot.render.text import escape_markdown, render_markdown, render_text
from bot.team import Origin, TeamRole
from storage import team
from storage.db import Database
from storage.models import Answer, Draft, DraftMember, Measure, MeasureEvent

DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# Measure.deadline_kind as stored → the ledger's 整改类型.
DEADLINE_KINDS = {"immediate": KINDS[0], "due": KINDS[1], "ongoing": KINDS[2]}
PROGRESS_EVENTS = frozenset({"progress", "done"})  # dated notes worth a line in 整改进展
SIGNED_OFF = "close"  # the event of a measure's 销号, dated: the ledger's 销号时间
HISTORY_EVENTS = PROGRESS_EVENTS | {"postpone", "postpone_reason", SIGNED_OFF}
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


class ExportError(Exception):
    """A draft that cannot be exported; the message is Chinese and fit to show as is."""


class DraftNotFound(ExportError):
    def __init__(self, public_id: str) -> None:
        super().__init__(f"没有编号为 {public_id} 的材料。各份材料的编号可用 duizhao drafts 查看。")


@dataclass(frozen=True)
class History:
    """A measure's dated events as the ledger shows them."""

    progress: tuple[Progress, ...] = ()
    postponements: tuple[Postponement, ...] = ()
    leader: str = ""  # a team member leading the measure (责任领导), by the name he gave the team
    closed_on: date | None = None  # the day it was signed off (销号)


async def history_of(session: AsyncSession, draft_id: int, tz: tzinfo) -> dict[int, History]:
    """整改进展 and 延期记录 by measure id, oldest first; a reason joins the postponement before it."""
    events = await session.scalars(
        select(MeasureEvent)
        .join(Measure, Measure.id == MeasureEvent.measure_id)
        .where(Measure.draft_id == draft_id, MeasureEvent.kind.in_(HISTORY_EVENTS))
        .order_by(MeasureEvent.created_at, MeasureEvent.id)
    )
    progress: dict[int, list[Progress]] = {}
    postponed: dict[int, list[Postponement]] = {}
    closed: dict[int, date] = {}
    for event in events:
        on = _local_date(event.created_at, tz)
        if event.kind == SIGNED_OFF:
            closed[event.measure_id] = on
        elif event.kind in PROGRESS_EVENTS:
            progress.setdefault(event.measure_id, []).append(Progress(on, event.text))
        elif event.kind == "postpone":
            postponed.setdefault(event.measure_id, []).append(Postponement(on, event.text))
        elif postponed.get(event.measure_id):
            last = postponed[event.measure_id][-1]
            postponed[event.measure_id][-1] = replace(last, reason=event.text)
    leaders = await team.leader_names(session, [draft_id])
    return {
        mid: History(
            progress=tuple(progress.get(mid, ())),
            postponements=tuple(postponed.get(mid, ())),
            leader=leaders.get(mid) or "",
            closed_on=closed.get(mid),
        )
        for mid in progress.keys() | postponed.keys() | leaders.keys() | closed.keys()
    }


def filename_stem(view: DraftView) -> str:
    """``张三_2025年度民主生活会个人对照检查材料``: the name first, so a folder of them sorts by person."""
    name = (view.draft.meta or {}).get("name")
    title = view.title
    return safe_stem(f"{name}_{title.removeprefix(f'{name}同志')}" if name else title)


def safe_stem(text: str) -> str:
    """A file name stem without path separators or characters Windows refuses."""
    return _UNSAFE_FILENAME.sub("_", text).strip("_.")[:80] or "材料"


def export_view(
    view: DraftView,
    fmt: ExportFormat | str,
    *,
    profile: Profile | None = None,
    date_line: date | None = None,
    history: Mapping[int, History] | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
    today: date | None = None,
) -> tuple[str, bytes]:
    """File name and content; ``history`` (by measure id) only matters for the ledger.

    The .docx closes with the 署名 and ``date_line``, by default the meeting date, else ``today`` (in
    ``tz`` when not given).
    """
    fmt = ExportFormat(fmt)
    if view.kind is None:
        raise ExportError("这份材料还没有选定类型，暂无内容可导出。")
    stem = filename_stem(view)
    if fmt is ExportFormat.XLSX:
        filename, args = ledger_job(view, history=history, tz=tz)
        return filename, render_ledger(*args)
    date_line = date_line or view.draft.meeting_date or today or datetime.now(tz).date()
    content = render_document(view.to_document(), fmt, profile, date_line, view.signature)
    return f"{stem}.{fmt.value}", content


def ledger_job(
    view: DraftView, *, history: Mapping[int, History] | None, tz: tzinfo
) -> tuple[str, tuple[list[LedgerRow], str, bool]]:
    """The ledger's file name and the arguments of ``render_ledger``: the rows are read from the
    draft while it is loaded, the workbook can be written later, elsewhere (the worker)."""
    assert view.kind is not None
    rows = ledger_rows(view, history=history, tz=tz)
    args = (rows, f"《{view.title}》整改台账", view.owner_question is OwnerQuestion.LEADER)
    return f"{filename_stem(view)}_整改台账.xlsx", args


def render_ledger(rows: list[LedgerRow], title: str, team: bool) -> bytes:
    return render_ledger_xlsx(rows, title=title, team=team)


def render_document(
    doc: Document,
    fmt: ExportFormat,
    profile: Profile | None = None,
    date_line: date | None = None,
    signature: str | None = None,
) -> bytes:
    """The material as a .docx, its PDF, Markdown or text, each closed by ``signature`` and
    ``date_line`` (pasted elsewhere, a text still ends as the printed material does).

    A PDF needs LibreOffice (``bot.render.pages.PagesUnavailable`` without it)."""
    if fmt in (ExportFormat.DOCX, ExportFormat.PDF):
        # python-docx and lxml are imported where a file is written (the worker, the CLI)
        from bot.render.official_docx import render_official_docx

        docx = render_official_docx(doc, profile=profile, date_line=date_line, signature=signature)
        if fmt is ExportFormat.DOCX:
            return docx
        from bot.render.pages import docx_to_pdf

        return docx_to_pdf(docx)
    closing = [line for line in (signature, format_date(date_line) if date_line else None) if line]
    if fmt is ExportFormat.MD:
        return (render_markdown(doc) + "".join(f"\n{escape_markdown(line)}\n" for line in closing)).encode()
    return "\n".join([render_text(doc), *(["", *closing] if closing else []), ""]).encode()


def render_pictures(
    doc: Document,
    profile: Profile | None = None,
    date_line: date | None = None,
    signature: str | None = None,
    last: int | None = 1,
) -> list[bytes]:
    """PNG pictures of the official .docx's pages, the first to ``last`` (None: all), via its PDF."""
    from bot.render.pages import pdf_to_pictures

    return pdf_to_pictures(render_document(doc, ExportFormat.PDF, profile, date_line, signature), last=last)


def _default_owner(view: DraftView) -> str:
    """责任人 of a measure no one was named for, nor names one in its words: the author of a
    personal material; for a team material whose measures are not asked an owner, the team itself
    as it signs the material; none where each measure's owner is asked (the review names the
    missing, a 党支部班子's ledger says 未填)."""
    meta = view.draft.meta or {}
    if view.kind is None or view.kind.voice != "team":
        return str(meta.get("name") or "")
    return "" if view.owner_question.asked else view.signature or ""


def ledger_rows(
    view: DraftView,
    *,
    history: Mapping[int, History] | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
    linked: links.Links | None = None,
) -> list[LedgerRow]:
    """One row per problem and measure addressing it, problems in the order the material lists them.

    Measures no problem is linked to follow at the end (one row each, 问题 blank), as do all the
    measures of a material without problem items. ``linked`` is the pairing to follow (by default
    the links table's); a row pairing a ``links.guessed`` problem with a measure is marked so.
    ``answer.measure`` and its links must be loaded.
    """
    aspects = view.aspects
    measures = view.measures()
    number_of = {m.id: n for n, (_, m) in enumerate(measures, start=1)}
    by_id = {m.id: (a, m) for a, m in measures}
    stored, guessed = links.reading(view)
    linked = stored if linked is None else linked
    name = _default_owner(view)
    question = view.owner_question

    def aspect_of(index: int) -> str:
        return aspects[index - 1]["text"] if 0 < index <= len(aspects) else ""

    def row(number: int, answer: Answer, measure: Measure, problem: links.Problem | None) -> LedgerRow:
        found = LedgerRow(
            number=number,
            aspect=aspect_of(problem.aspect if problem else answer.aspect),
            problem=problem.headline if problem else "",
            problem_full=problem.answer.text if problem else "",
            source=source_of_item(problem.answer) if problem else "",
            measure=answer.text,
            goal=goal_of(answer.text),
            guessed=problem is not None and problem.answer.id in guessed,
        )
        history_of = (history or {}).get(measure.id, History())
        return _with_measure(found, measure, history_of, name, question=question)

    rows: list[LedgerRow] = []
    covered: set[int] = set()
    for problem in links.problems(view):
        ids = sorted(links.measures_of_problem(linked, problem.answer.id), key=number_of.__getitem__)
        covered.update(ids)
        found = [row(problem.number, *by_id[mid], problem) for mid in ids]
        rows += _closed(found)
        if not ids:
            rows.append(
                LedgerRow(
                    number=problem.number,
                    aspect=aspect_of(problem.aspect),
                    problem=problem.headline,
                    problem_full=problem.answer.text,
                    source=source_of_item(problem.answer),
                )
            )
    start = (rows[-1].number if rows else 0) + 1
    rest = [(a, m) for a, m in measures if m.id not in covered]
    rows += [row(n, a, m, None) for n, (a, m) in enumerate(rest, start=start)]
    return rows


def problem_groups(rows: list[LedgerRow], *, bare: bool = False) -> list[tuple[str, str, list[LedgerRow]]]:
    """``(aspect, problem, rows)`` per problem that has a measure (with ``bare``, every problem: one
    no measure addresses has its one row, 整改措施 blank), in ledger order (a measure no problem is
    linked to stands for itself)."""
    groups: dict[int, list[LedgerRow]] = {}
    for row in rows:
        if row.measure or bare:
            groups.setdefault(row.number, []).append(row)
    return [(g[0].aspect, g[0].problem or g[0].measure, g) for g in groups.values()]


def deadline_words(value: date | str | None) -> str:
    """A ledger deadline in a sentence: ``2027年3月31日前``, or its words (``长期坚持，每季度``)."""
    if isinstance(value, date):
        return f"{format_date(value)}前"
    return value or "未设时限"


def is_done(rows: list[LedgerRow]) -> bool:
    """A problem is rectified when every measure addressing it is done (销号 or not yet)."""
    return rectifies_problem([r.status for r in rows])


def is_closed(rows: list[LedgerRow]) -> bool:
    """A problem is 已销号 when every measure addressing it was signed off."""
    return closes_problem([r.status for r in rows])


def _closed(rows: list[LedgerRow]) -> list[LedgerRow]:
    """A problem's rows; once every measure addressing it is signed off (已销号), each carries the
    problem's 销号时间: the day the last of them was."""
    if not is_closed(rows):
        return rows
    closed_on = max((r.closed_on for r in rows if r.closed_on is not None), default=None)
    return [replace(r, closed_on=closed_on) for r in rows]


# Where a problem came from, by what its text says; a cadre's own finding otherwise. A cue names
# who raised it (督导组, 群众反映), not a kind of work: "推进督导不够及时" or "反映情况不及时" is the
# cadre's own finding about his own 督导 or 反映. A meeting where opinions are heard (谈心谈话,
# 征求意见, 相互批评) is a source only when the sentence says something was raised there: "全年谈心
# 谈话只有4次" and "开展相互批评辣味不足" are the cadre's own shortfalls.
_RAISED = r"[^。；;]{0,12}?(?:指出|提出|提到|反映|认为)"
_SOURCE_CUES = tuple(
    (source, re.compile(cues))
    for source, cues in (  # a meeting before the people in it: 谈心谈话中有同志指出 is 谈心谈话
        ("巡视巡察", "巡视|巡察"),
        ("上级点评", "上级点评|督导组|指导组|上级指出|点评指出|点评时指出"),
        ("谈心谈话", f"谈心(?:谈话)?{_RAISED}"),
        ("征求意见", f"(?:征求意见|意见建议){_RAISED}|(?:群众|职工|干部|党员|企业)反映"),
        ("相互批评", f"(?:相互批评|批评意见){_RAISED}|同志(?:指出|批评)"),
    )
)
_GOAL = re.compile(r"(确保|做到|实现|达到|力争|形成)[^。；;]*")
# A clause setting a rate to reach (满意率不低于99%, 覆盖率达到100%): the outcome of a measure that
# says it in numbers rather than with 确保.
_RATE_GOAL = re.compile(r"[^，,。；;]*[率度][^，,。；;]*?\d+(?:\.\d+)?\s*[%％][^，,。；;]*")


def source_of_item(answer: Answer) -> str:
    """问题来源 as recorded when the item arrived (an accepted opinion), else read from its wording."""
    origin = Origin.of(answer.origin)
    return origin.label if origin is not None else source_of(answer.text)


def source_of(problem: str) -> str:
    """问题来源 from the wording of the problem (征求意见、谈心谈话…), else 自己查摆."""
    return next((source for source, cues in _SOURCE_CUES if _raised(cues, problem)), SOURCES[0])


def _raised(cues: re.Pattern[str], problem: str) -> bool:
    """Whether the problem says a cue raised it. "对企业反映的用地问题只是转交" is the cadre's own finding
    about how he handled what others raised: after 对 the cue is the object, not the source."""
    return any(not problem[: hit.start()].endswith("对") for hit in cues.finditer(problem))


def goal_of(measure: str) -> str:
    """整改目标: the clause of the measure that states an outcome, when it has one: a rate to reach,
    whole (年底前整改完成率达到100%, not 达到100%), else 确保…/做到…."""
    found = _RATE_GOAL.search(measure) or _GOAL.search(measure)
    return found.group(0) if found else ""


def _with_measure(
    row: LedgerRow, measure: Measure, history: History, name: str, *, question: OwnerQuestion
) -> LedgerRow:
    """The row with the measure's columns. Where the kind asks no owner, the one 责任人 column
    shows whom the measure names in its words as it reads now (由办公室负责, 责任人：组织委员), else
    the one an import took over, else ``name``; a 党支部班子's shows the 支委 given, else the one its
    words name, else 未填; a 领导班子's, the 责任领导 and 责任部门 given."""
    derived = DEADLINE_KINDS.get(measure.deadline_kind or "", "")
    kind = measure.rectify_type or derived
    deadline: date | str | None = measure.deadline_date
    if deadline is None and measure.deadline_kind == "ongoing":
        # In words from what is stored, not the user's phrase, which may name the cadence already.
        cadence = Cadence.from_iso(measure.review_cadence).label if measure.review_cadence else ""
        deadline = "，".join(p for p in (derived, cadence) if p)
    elif deadline is None:
        deadline = measure.deadline_text or None
    closed = history.closed_on if status_of(measure.status).is_closed else None
    original = measure.original_deadline  # kept in words at the first postponement
    if history.leader or question is OwnerQuestion.LEADER:
        owner, department = leader_and_department(measure.owner, history.leader)
    elif question is OwnerQuestion.COMMITTEE:
        owner, department = measure.owner or written_member(row.measure) or NOT_GIVEN, ""
    else:
        owner, department = written_owner(row.measure) or measure.owner or name, ""
    return replace(
        row,
        owner=owner,
        department=department,
        kind=kind,
        original_deadline=stored_deadline(original) if original else deadline,
        deadline=deadline,
        postponements=history.postponements,
        progress=history.progress,
        status=measure.status,
        evidence=measure.evidence or "",
        closed_on=closed,
    )


_DATED = re.compile(rf"(?:{IMMEDIATE_PREFIX})?(\d{{4}}年\d{{1,2}}月\d{{1,2}}日)(?:（周[一二三四五六日]）)?前")


def stored_deadline(words: str) -> Deadline:
    """A deadline kept in words (原定时限, as the reminders word it: ``2026年6月30日（周二）前``,
    ``长期坚持，每季度回顾``) as the ledger's 现时限 gives one: the date where it names one, a
    cadence as ``长期坚持，每季度``, else its words (``未设时限``)."""
    found = _DATED.fullmatch(words)
    if found is None and words.startswith(ONGOING_PREFIX):
        return words.removesuffix("回顾")
    return (parse_date(found.group(1)) if found else None) or words


def _local_date(moment: datetime, tz: tzinfo) -> date:
    """Timestamps come back aware in UTC on both backends (storage.models.UtcDateTime)."""
    return moment.astimezone(tz).date()


async def export_draft(
    db_url: str,
    public_id: str,
    fmt: ExportFormat | str,
    profile: Profile | None = None,
    *,
    catalog: Catalog | None = None,
    date_line: date | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
) -> tuple[str, bytes]:
    """Load any draft by public id (an operator command: no user scoping) and render it."""
    database = Database(db_url)
    try:
        async with database.transaction() as session:
            statement = (
                select(Draft)
                .where(Draft.public_id == public_id)
                .options(selectinload(Draft.answers).selectinload(Answer.measure).selectinload(Measure.links))
            )
            draft = (await session.scalars(statement)).first()
            if draft is None:
                raise DraftNotFound(public_id)
            history = await history_of(session, draft.id, tz) if fmt == ExportFormat.XLSX else {}
    finally:
        await database.dispose()
    view = DraftView.build(catalog or load_catalog(), draft)
    return export_view(view, fmt, profile=profile, date_line=date_line, history=history, tz=tz)


@dataclass(frozen=True)
class Listed:
    """A stored draft as ``duizhao drafts`` lists it: what tells drafts apart, never their text."""

    public_id: str
    owner: int | None  # the 起草人's user id; None for a draft that has none
    kind: str | None
    year: int | None
    meeting_date: date | None
    updated_at: datetime
    measures: int


async def list_drafts(db_url: str, owner: int | None = None) -> list[Listed]:
    """Every draft (or those ``owner`` drafted), the latest changed first: the public ids
    ``export_draft`` takes. An operator command, like it: no user scoping."""
    statement = (
        select(
            Draft.public_id,
            DraftMember.user_id,
            Draft.kind,
            Draft.year,
            Draft.meeting_date,
            Draft.updated_at,
            func.count(Measure.id),
        )
        .outerjoin(DraftMember, (DraftMember.draft_id == Draft.id) & (DraftMember.role == TeamRole.OWNER))
        .outerjoin(Measure, Measure.draft_id == Draft.id)
        .group_by(Draft.id, DraftMember.user_id)
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    if owner is not None:
        statement = statement.where(DraftMember.user_id == owner)
    database = Database(db_url)
    try:
        async with database.transaction() as session:
            return [Listed(*row) for row in (await session.execute(statement)).all()]
    finally:
        await database.dispose()

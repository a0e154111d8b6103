"""A stored draft as a file (.docx, .md, .txt or the .xlsx ledger), shared by the CLI and the bot.

``export_view`` renders a draft already loaded (the bot has one per update); ``export_draft`` is the
operator's path: it loads any draft by its public id, with no user scoping, and renders it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.catalog import Catalog, load_catalog
from bot.deadlines.parse import Cadence
from bot.document import SectionRole
from bot.draftview import DraftView
from bot.formats import ExportFormat
from bot.render.ledger import KINDS, LedgerRow, Progress, render_ledger_xlsx
from bot.render.official_docx import render_official_docx
from bot.render.profile import Profile
from bot.render.text import render_markdown, render_text
from storage.db import Database
from storage.models import Answer, Draft, Measure, MeasureEvent

DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# Measure.deadline_kind as stored → the ledger's 整改类型.
DEADLINE_KINDS = {"immediate": KINDS[0], "due": KINDS[1], "ongoing": KINDS[2]}
CLOSED = "已销号"
PROGRESS_EVENTS = frozenset({"progress", "done"})  # dated notes worth a line in 整改进展
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


class ExportError(Exception):
    """A draft that cannot be exported; the message is Chinese and fit to show as is."""


class DraftNotFound(ExportError):
    def __init__(self, public_id: str) -> None:
        super().__init__(f"没有编号为 {public_id} 的材料。")


async def progress_of(session: AsyncSession, draft_id: int, tz: tzinfo) -> dict[int, list[Progress]]:
    """Dated 整改进展 entries by measure id, oldest first."""
    events = await session.scalars(
        select(MeasureEvent)
        .join(Measure, Measure.id == MeasureEvent.measure_id)
        .where(Measure.draft_id == draft_id, MeasureEvent.kind.in_(PROGRESS_EVENTS))
        .order_by(MeasureEvent.created_at, MeasureEvent.id)
    )
    progress: dict[int, list[Progress]] = {}
    for event in events:
        entry = Progress(_local_date(event.created_at, tz), event.text)
        progress.setdefault(event.measure_id, []).append(entry)
    return progress


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
    progress: Mapping[int, Sequence[Progress]] | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
) -> tuple[str, bytes]:
    """File name and content; ``progress`` (by measure id) and ``tz`` only matter for the ledger."""
    fmt = ExportFormat(fmt)
    if view.kind is None:
        raise ExportError("这份材料还没有选定类型，暂无内容可导出。")
    stem = filename_stem(view)
    if fmt is ExportFormat.XLSX:
        rows = ledger_rows(view, progress=progress, tz=tz)
        return f"{stem}_整改台账.xlsx", render_ledger_xlsx(rows, title=f"《{view.title}》整改台账")
    doc = view.to_document()
    if fmt is ExportFormat.DOCX:
        content = render_official_docx(doc, profile=profile, date_line=date_line)
    elif fmt is ExportFormat.MD:
        content = render_markdown(doc).encode()
    else:
        content = (render_text(doc) + "\n").encode()
    return f"{stem}.{fmt.value}", content


def ledger_rows(
    view: DraftView,
    *,
    progress: Mapping[int, Sequence[Progress]] | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
) -> list[LedgerRow]:
    """One row per measure answer, in the order the material lists them.

    A measure answer holds the measure only, so 问题, 问题来源 and 整改目标 stay blank for the office;
    销号时间 is the completion time of a measure already marked 已销号. ``answer.measure`` must be loaded.
    """
    order = {s.key: i for i, s in enumerate(view.sections) if s.role is SectionRole.MEASURES}
    answers = sorted(
        (a for a in view.answers if a.section in order),
        key=lambda a: (order[a.section], a.aspect, a.position),
    )
    aspects = view.aspects
    rows = []
    for number, answer in enumerate(answers, start=1):
        aspect = aspects[answer.aspect - 1]["text"] if 0 < answer.aspect <= len(aspects) else ""
        measure = answer.measure
        row = LedgerRow(number=number, aspect=aspect, measure=answer.text)
        if measure is not None:
            row = _with_measure(row, measure, (progress or {}).get(measure.id, ()), tz)
        rows.append(row)
    return rows


def _with_measure(row: LedgerRow, measure: Measure, progress: Sequence[Progress], tz: tzinfo) -> LedgerRow:
    kind = DEADLINE_KINDS.get(measure.deadline_kind or "", "")
    deadline: date | str | None = measure.deadline_date
    if deadline is None:
        cadence = Cadence.from_iso(measure.review_cadence).label if measure.review_cadence else ""
        parts = (measure.deadline_text or (kind if kind == KINDS[2] else ""), cadence)
        deadline = "，".join(p for p in parts if p) or None
    closed = measure.completed_at if measure.status == CLOSED else None
    return replace(
        row,
        owner=measure.owner or "",
        kind=kind,
        deadline=deadline,
        progress=tuple(progress),
        status=measure.status,
        evidence=measure.evidence or "",
        closed_on=_local_date(closed, tz) if closed else None,
    )


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
                .options(selectinload(Draft.answers).selectinload(Answer.measure))
            )
            draft = (await session.scalars(statement)).first()
            if draft is None:
                raise DraftNotFound(public_id)
            progress = await progress_of(session, draft.id, tz) if fmt == ExportFormat.XLSX else {}
    finally:
        await database.dispose()
    view = DraftView.build(catalog or load_catalog(), draft)
    return export_view(view, fmt, profile=profile, date_line=date_line, progress=progress, tz=tz)

"""The reviewer's desk, apart from Telegram and the database: reading a batch's particulars, naming
items, finding copied wording across a batch, and the two exports.

A batch's materials are ``Snapshot``s (``bot.submissions``). The duplicate view compares their
problems, causes and measures with one another and with the shipped stock wording, using the same
measure (``bot.review.similar``) as the review rule ``problems.stock.shared`` that each author sees,
so the desk and the authors' reviews always agree on what is copied.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from rapidfuzz import fuzz, process

from bot.dates import Examples, format_date, read_date
from bot.deadlines import DueDate, parse_deadline
from bot.document import Item, Section, SectionRole
from bot.render import LineKind, OutlineLine, outline
from bot.review import similar
from bot.review.config import load_data
from bot.review.engine import default_config
from bot.review.findings import Severity
from bot.review.rules.problems import SHARED_ROLES
from bot.review.units import short
from bot.submissions import Snapshot
from bot.texts import quoted

MAX_UNIT, MAX_MEETING = 60, 60
ROLES = SHARED_ROLES  # what the desk compares is what each author's review compares
FAMILIES = {
    "structure": "结构",
    "text": "文字",
    "kind": "类型",
    "lastyear": "上年度整改",
    "problems": "问题查摆",
    "causes": "原因剖析",
    "measures": "整改措施",
    "length": "篇幅",
}
_ITEM_WORDS = 14


# -- a batch's particulars --------------------------------------------------------------------------


@dataclass(frozen=True)
class Particulars:
    unit: str
    meeting: str
    due: date


def example(today: date) -> str:
    """``县财政局党组 2026年度民主生活会 2027年1月10日``: what /batch asks for, its dates to come."""
    dates = Examples(today)
    return f"县财政局党组 {dates.year}年度民主生活会 {format_date(dates.due)}"


def read_particulars(text: str, today: date) -> Particulars | str:
    """单位, 会议 and 截止日期 on three lines, or separated by ；/; or by spaces (one line, as most
    people type it), or what is wrong, in Chinese."""
    parts = [p.strip() for p in re.split(r"[\n；;]+", text) if p.strip()]
    if len(parts) == 1:
        parts = parts[0].split()
    if len(parts) != 3:
        return f"请依次写单位、会议和截止日期，用空格隔开或分三行，例如：{example(today)}"
    unit, meeting, due_text = parts
    if len(unit) > MAX_UNIT or len(meeting) > MAX_MEETING:
        return f"单位和会议名称请各不超过{MAX_UNIT}字。"
    due = read_due_date(due_text, today)
    if isinstance(due, str):
        return due
    return Particulars(unit, meeting, due)


_NAMED_TITLE = re.compile(r"^(\S{2,4}?)同志")


def identity(title: str | None, byline: str | None) -> tuple[str, str]:
    """Whose an uploaded file is, as it says: the name and post of its byline (单位　职务　姓名, as
    the bot writes it, or in brackets as many files do), else the name its title gives (张三同志…);
    empty where it says nothing."""
    parts = (
        (byline or "")
        .strip()
        .removeprefix("（")
        .removeprefix("(")
        .removesuffix("）")
        .removesuffix(")")
        .split()
    )
    if len(parts) >= 2 and len(parts[-1]) <= 4:
        return parts[-1], parts[-2] if len(parts) >= 3 else ""
    found = _NAMED_TITLE.match(title or "")
    return (found.group(1), "") if found else ("", "")


_DUE_WORDS = re.compile(r"^(?:截止|截至|于)(?:日期|时间)?[：:\s]*|\s*(?:之|以)?前$")


def read_due_date(text: str, today: date) -> date | str:
    """A due date from today on, or what is wrong with it, in Chinese: ``2027年1月10日``, also
    ``截止2027年1月10日前`` as deadlines are written, ``1月10日`` (its next occurrence), and a period
    as 整改时限 name them (``明年一季度``, ``一季度末``, ``上半年``, ``年底前``, ``下周五``): its last day."""
    due = read_date(_DUE_WORDS.sub("", text.strip()), today) or _period_end(text, today)
    if due is None:
        dates = Examples(today)
        return (
            f"没有读出截止日期，请写具体日期，如“{format_date(dates.due)}”，"
            f"或“{dates.month_end}”“一季度末”这样的说法。"
        )
    if not isinstance(due, date):
        return due.message
    if due < today:
        return f"截止日期{format_date(due)}已经过去，请核对。"
    return due


def _period_end(text: str, today: date) -> date | None:
    """The day a period written as a deadline ends, counted from today: a batch has no meeting, and
    its 年底 is this year's (the deadline parser's December meeting would make it next year's)."""
    found = parse_deadline(text, meeting=today.replace(month=1, day=1), today=today)
    return found.due if isinstance(found, DueDate) else None


# -- naming items -----------------------------------------------------------------------------------


def item_labels(snapshot: Snapshot) -> dict[int, str]:
    """``二（一）一是“理论学习不够系统”`` for every item, numbered as the material prints it."""
    return {
        item.id: f"{place}{quoted(_first_words(item.headline))}"
        for item, place in _items(snapshot)
        if item.id is not None
    }


def item_places(snapshot: Snapshot) -> dict[int, str]:
    """``二（一）一是`` for every item: its place in the material as printed, named alike wherever
    an item is (``item_labels`` adds its first words)."""
    return {item.id: place for item, place in _items(snapshot) if item.id is not None}


def _items(snapshot: Snapshot) -> Iterator[tuple[Item, str]]:
    for line, place in placed(snapshot):
        if line.kind is LineKind.ITEM and isinstance(line.owner, Item):
            yield line.owner, item_place(line, place)


def item_place(line: OutlineLine, place: str) -> str:
    """The place of the item ``line``, below the headings numbered ``place``: ``二（一）一是``, or
    for a list of one point its part (``二（三）``, ``第一部分`` directly under a level-1 heading)."""
    if line.marker:
        return f"{place}{line.marker}"
    return place if "（" in place else f"第{place}部分"


def placed(snapshot: Snapshot) -> Iterator[tuple[OutlineLine, str]]:
    """Each line of the material with the numbers of the headings above it (``二（一）``); a
    heading with those of the headings above it alone."""
    markers: dict[int, str] = {}
    for line in outline(snapshot.document):
        if line.kind is LineKind.HEADING:
            markers = {level: m for level, m in markers.items() if level < line.level}
            yield line, "".join(markers[level] for level in sorted(markers))
            markers[line.level] = line.marker.rstrip("、.")
        else:
            yield line, "".join(markers[level] for level in sorted(markers) if level <= line.level)


def _first_words(text: str) -> str:
    return short(text.strip().rstrip("。"), _ITEM_WORDS)


# -- copied wording across a batch ------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A problem, cause or measure of one material: an item, or a paragraph of a section or aspect
    written as running text (``item_id`` None, ``place`` the numbers of its heading)."""

    material: int
    role: SectionRole
    item_id: int | None
    text: str
    place: str = ""


@dataclass(frozen=True)
class Pair:
    left: Unit
    right: Unit
    score: float


@dataclass(frozen=True)
class StockHit:
    unit: Unit
    stock: str
    score: float


@dataclass(frozen=True)
class Duplicates:
    pairs: list[Pair]
    stock: list[StockHit]

    def count_for(self, material: int) -> int:
        """Items of this material copied from, or into, another material of the batch."""
        copied = {p.left for p in self.pairs} | {p.right for p in self.pairs}
        return sum(1 for unit in copied if unit.material == material)


def units_of(snapshots: Sequence[Snapshot]) -> list[Unit]:
    """Problems, causes and measures of each material (by its index in ``snapshots``); a section or
    aspect without items counts each of its paragraphs (an uploaded aspect of one problem, a
    cause written as running text)."""
    found: list[Unit] = []
    for index, snapshot in enumerate(snapshots):
        found.extend(Unit(index, s.role, i.id, i.text) for s, i in snapshot.items() if s.role in ROLES)
        for line, place in placed(snapshot):
            section = line.owner
            if (
                line.kind is LineKind.PARAGRAPH
                and isinstance(section, Section)
                and section.role in ROLES
                and not section.items
                and not section.subsections
            ):
                found.append(Unit(index, section.role, None, line.text, place))
    return found


def running_text(snapshot: Snapshot) -> list[str]:
    """The problems, causes and measures written as paragraphs, by their numbers (``一（三）``, or
    ``第二部分`` for a level-1 section): the parts a comment cannot be attached to item by item."""
    places = dict.fromkeys(u.place for u in units_of([snapshot]) if u.item_id is None and u.place)
    return [place if "（" in place else f"第{place}部分" for place in places]


def shared_cutoff() -> float:
    return default_config().params("problems.stock.shared").number("shared_similarity")


def stock_cutoff() -> float:
    return default_config().params("problems.stock.generic").number("stock_similarity")


@cache
def stock_lines() -> tuple[str, ...]:
    lines = (line.strip() for line in load_data("stock.txt").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def duplicates(units: Sequence[Unit]) -> Duplicates:
    """Pairs of near-identical items of the same role in different materials, and items that are
    stock wording (their judgement sentence close to a line of the shipped list)."""
    pairs: list[Pair] = []
    cutoff = shared_cutoff()
    for role in ROLES:
        chosen = [u for u in units if u.role is role]
        for i, j, score in similar.pairs([u.text for u in chosen], [u.material for u in chosen], cutoff):
            pairs.append(Pair(chosen[i], chosen[j], score))
    hits: list[StockHit] = []
    for unit in units:
        if unit.role is not SectionRole.PROBLEMS:
            continue
        headline = re.split(r"(?<=[。！？])", unit.text, maxsplit=1)[0].rstrip("。！？")
        if len(similar.normalise(unit.text)) > 2 * len(similar.normalise(headline)):
            continue  # specifics follow the judgement: stock wording with substance is no stock problem
        found = process.extractOne(
            headline, stock_lines(), scorer=fuzz.ratio, score_cutoff=100 * stock_cutoff()
        )
        if found is not None:
            hits.append(StockHit(unit, found[0], found[1] / 100))
    pairs.sort(key=lambda p: (p.left.material, p.right.material, -p.score))
    return Duplicates(pairs, hits)


# -- exports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One member of the batch in the .xlsx: his latest submission, or none."""

    name: str
    position: str
    status: str
    version: int | None
    submitted: datetime | None
    decided: datetime | None
    errors: int
    warnings: int
    copied: int
    families: dict[str, dict[str, int]]


MUST, SHOULD = Severity.ERROR.label, Severity.WARNING.label  # the words of every review
HEADERS = ("序号", "姓名", "职务", "状态", "版本", "提交时间", "审核时间", MUST, SHOULD, "雷同条目")


def batch_xlsx(rows: Sequence[Row], *, title: str, local: tuple[str, ...] = ()) -> bytes:
    """The batch as one sheet: who, where each stands, counts of findings in all and per rule family."""
    # openpyxl is imported here: the workbook is written in the worker, the bot never needs it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    del local
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "审核情况"
    headers = [*HEADERS, *(f"{label}（{MUST}/{SHOULD}）" for label in FAMILIES.values())]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(1, 1, title).font = Font(name="方正小标宋简体", size=16)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    fill = PatternFill("solid", fgColor="D9E1F2")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(2, column, header)
        cell.font, cell.fill = Font(name="黑体", bold=True), fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = (
            12 if column > 3 else (6 if column == 1 else 14)
        )
    for number, row in enumerate(rows, start=1):
        values: list[object] = [
            number,
            row.name,
            row.position,
            row.status,
            row.version,
            _naive(row.submitted),
            _naive(row.decided),
            row.errors,
            row.warnings,
            row.copied,
        ]
        for family in FAMILIES:
            counts = row.families.get(family, {})
            values.append(f"{counts.get('error', 0)}/{counts.get('warning', 0)}" if row.version else "")
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number + 2, column, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "B3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(len(rows), 1) + 2}"
    book.properties.title, book.properties.creator = title, ""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _naive(value: datetime | None) -> datetime | None:
    """Excel has no time zones: the local time as written."""
    return value.replace(tzinfo=None) if value is not None else None


def approved_zip(materials: Sequence[tuple[str, dict[str, object]]]) -> bytes:
    """The approved materials as official .docx files, one per ``(file name, snapshot JSON)``;
    runs in the worker (``bot.replies.Rendering``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, raw in materials:
            archive.writestr(filename, docx_of(raw))
    return buffer.getvalue()


def docx_of(raw: dict[str, object]) -> bytes:
    """One submission as the official .docx (in the worker)."""
    from bot.render.official_docx import render_official_docx  # in the worker

    snapshot = Snapshot.from_json(dict(raw))
    dated = snapshot.dated or snapshot.meeting_date  # a file's own date, a draft's meeting
    return render_official_docx(snapshot.document, signature=snapshot.signature, date_line=dated)


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_stem(text: str) -> str:
    """``text`` fit for a file name on every system: no separators, wildcards or spaces."""
    return _UNSAFE.sub("_", text)[:120]


def filename(number: int, name: str, title: str | None) -> str:
    """``03_李四_2025年度民主生活会个人对照检查材料.docx``: sortable, and safe on every system."""
    stem = safe_stem(f"{number:02d}_{name or '未署名'}_{title or '对照检查材料'}")
    return f"{stem}.docx"


def due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return f"截止{format_date(due)}（还有{days}天）"
    if days == 0:
        return f"截止{format_date(due)}（今天）"
    return f"截止{format_date(due)}（已过{-days}天）"

"""The rectification ledger (整改台账) as an .xlsx workbook, in the columns offices keep (DOMAIN.md §5).

One row per problem and measure: a problem with two measures takes two rows whose problem cells are
merged. The sheet is meant to be maintained by hand after export: the header stays frozen and
filterable, the enumerated columns carry drop-down lists so later edits stay within the vocabulary the
bot reads back, and dates are real date cells so Excel sorts and filters them. A second sheet counts
the rows by 方面 and 完成情况 for the office's report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING

from bot.dates import format_date
from bot.measure_fields import without_columns
from bot.measure_status import MeasureStatus
from bot.owners import committee_member

# openpyxl (about 10 MB resident) is imported where a workbook is written, which is the worker
# process: the bot itself only builds the rows.
if TYPE_CHECKING:
    from openpyxl.styles import Border
    from openpyxl.worksheet.worksheet import Worksheet

SOURCES = ("自己查摆", "征求意见", "谈心谈话", "相互批评", "上级点评", "巡视巡察")
KINDS = ("立行立改", "限期整改", "长期坚持")
STATUSES = tuple(MeasureStatus)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # no zero padding, as official dates are written

FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADER_FONT = "黑体"
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3
LAST_VALIDATED_ROW = 1000  # drop-downs also cover rows an office adds by hand


@cache
def _border() -> Border:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


@dataclass(frozen=True)
class Progress:
    """One dated entry of 整改进展."""

    on: date
    text: str


CHANGE_ARROW = " → "
"""Between the old and the new deadline (or cadence) in a stored postponement: ``A → B``."""
ONGOING_PREFIX = "长期坚持，"
IMMEDIATE_PREFIX = "立行立改，"
"""What opens a deadline kept in words (a postponement's ends, 原定时限) of those kinds."""


@dataclass(frozen=True)
class Postponement:
    """One entry of 延期记录: when, from which deadline to which, and why."""

    on: date
    change: str
    reason: str = ""

    @property
    def ends(self) -> tuple[str, str] | None:
        """The deadline (or cadence) before and after, as stored; ``None`` for a change in other words."""
        before, arrow, after = self.change.partition(CHANGE_ARROW)
        return (before, after) if arrow else None


Deadline = date | str | None
"""A date, or text where there is none (``长期坚持，每季度``, ``年底前`` not yet resolved)."""


@dataclass(frozen=True)
class LedgerRow:
    """One problem and one of its measures; empty strings leave a cell blank for the office to fill.

    Consecutive rows with the same ``number`` belong to one problem and share its merged cells.
    ``problem_full`` (the item with its elaboration) goes into a note on the 问题 cell.
    """

    number: int
    aspect: str = ""
    problem: str = ""
    problem_full: str = ""
    source: str = ""
    measure: str = ""
    goal: str = ""
    owner: str = ""
    department: str = ""
    kind: str = ""
    original_deadline: Deadline = None
    deadline: Deadline = None
    postponements: Sequence[Postponement] = field(default_factory=tuple)
    progress: Sequence[Progress] = field(default_factory=tuple)
    status: str = STATUSES[0]
    evidence: str = ""
    closed_on: date | None = None
    guessed: bool = False  # the measure is the problem's by the links proposal's aspect order alone

    def __post_init__(self) -> None:
        for value, allowed, name in (
            (self.source, SOURCES, "source"),
            (self.kind, KINDS, "kind"),
            (self.status, STATUSES, "status"),
        ):
            if value and value not in allowed:
                raise ValueError(
                    f"ledger row {self.number}: {name} {value!r} is not one of {', '.join(allowed)}"
                )


@dataclass(frozen=True)
class _Column:
    header: str
    width: float
    choices: tuple[str, ...] = ()
    centred: bool = False
    per_problem: bool = False  # merged over the rows of one problem


def columns(team: bool) -> tuple[_Column, ...]:
    """A team's ledger names 责任领导 and 责任部门 apart; a person's has one 责任人."""
    owners = (_Column("责任领导", 11, centred=True), _Column("责任部门", 11, centred=True))
    return (
        _Column("序号", 5, centred=True, per_problem=True),
        _Column("所属方面", 14, per_problem=True),
        _Column("问题", 28, per_problem=True),
        _Column("问题来源", 9, SOURCES, centred=True, per_problem=True),
        _Column("整改措施", 32),
        _Column("整改目标", 18),
        *(owners if team else (_Column("责任人", 10, centred=True),)),
        _Column("整改类型", 9, KINDS, centred=True),
        _Column("原定时限", 13, centred=True),
        _Column("现时限", 13, centred=True),
        _Column("延期记录", 24),
        _Column("整改进展", 28),
        _Column("完成情况", 11, STATUSES, centred=True),
        _Column("佐证材料", 16),
        _Column("销号时间", 13, centred=True),
    )


GUESSED_MARK = "（对应待确认）"
GUESSED_NOTE = f"注：标“{GUESSED_MARK}”的整改措施，与该行问题的对应仅按顺序推定，尚未确认。"


def _measure_cell(row: LedgerRow) -> str:
    """The measure without the labelled 责任人/时限 closing it (an imported table's columns) when the
    row's own columns show them (its owner cells name each owner it gives, a 时限 is set), marked
    when its pairing with the row's problem is only a guess."""
    kept, tail = without_columns(row.measure)
    cells = f"{row.owner}、{row.department}"
    owners_shown = tail.owner is None or all(_shown_in(part, cells) for part in tail.owner.split("、"))
    shown = kept if owners_shown and (tail.deadline is None or row.deadline is not None) else row.measure
    return shown + GUESSED_MARK if row.guessed else shown


def _shown_in(owner: str, cells: str) -> bool:
    """Whether ``owner``, as a measure's label gives it, is in its row's owner ``cells``: as written,
    or as the 支委 it names is stored (王建华（支部书记） → 支部书记王建华)."""
    member = committee_member(owner)
    return owner in cells or (isinstance(member, str) and member in cells)


def _cells(row: LedgerRow, team: bool) -> tuple[object, ...]:
    progress = "\n".join(f"{format_date(p.on)}：{p.text}" for p in row.progress)
    postponed = "\n".join(
        f"{format_date(p.on)}：{p.change}" + (f"；原因：{p.reason}" if p.reason else "")
        for p in row.postponements
    )
    owners = (row.owner, row.department) if team else (row.owner,)
    return (
        row.number,
        row.aspect,
        row.problem,
        row.source,
        _measure_cell(row),
        row.goal,
        *owners,
        row.kind,
        row.original_deadline,
        row.deadline,
        postponed,
        progress,
        row.status,
        row.evidence,
        row.closed_on,
    )


def _groups(rows: list[LedgerRow]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` offsets of each run of rows belonging to one problem."""
    start = 0
    for offset in range(1, len(rows) + 1):
        if offset == len(rows) or rows[offset].number != rows[start].number:
            yield start, offset - 1
            start = offset


def render_ledger_xlsx(rows: list[LedgerRow], *, title: str, team: bool = False) -> bytes:
    """The ledger sheet (title row, frozen filterable header, landscape A4 fitted to width) and a
    summary sheet of counts."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "整改台账"
    cols = columns(team)
    _ledger_sheet(sheet, rows, cols, title, team)
    _summary_sheet(book.create_sheet("完成情况汇总"), rows, title)
    book.properties.title = title
    book.properties.creator = ""
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ledger_sheet(
    sheet: Worksheet, rows: list[LedgerRow], cols: tuple[_Column, ...], title: str, team: bool
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last_column = get_column_letter(len(cols))
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    title_cell = sheet.cell(TITLE_ROW, 1, title)
    title_cell.font = Font(name=TITLE_FONT, size=18)
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = 36

    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for index, column in enumerate(cols, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.header)
        cell.font = Font(name=HEADER_FONT, size=11, bold=True)
        cell.fill = header_fill
        cell.border = _border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 30

    body_font = Font(name=FONT, size=11)
    aligned = {
        centred: Alignment(horizontal="center" if centred else "left", vertical="top", wrap_text=True)
        for centred in (False, True)
    }
    problem_column = next(i for i, c in enumerate(cols, start=1) if c.header == "问题")
    for offset, row in enumerate(rows):
        for index, (column, value) in enumerate(zip(cols, _cells(row, team), strict=True), start=1):
            cell = sheet.cell(FIRST_ROW + offset, index, value if value != "" else None)
            cell.font = body_font
            cell.border = _border()
            cell.alignment = aligned[column.centred]
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
        if row.problem_full and row.problem_full != row.problem:
            sheet.cell(FIRST_ROW + offset, problem_column).comment = Comment(row.problem_full, "问题全文")
    for first, last in _groups(rows):
        if last > first:
            for index, column in enumerate(cols, start=1):
                if column.per_problem:
                    sheet.merge_cells(
                        start_row=FIRST_ROW + first,
                        end_row=FIRST_ROW + last,
                        start_column=index,
                        end_column=index,
                    )

    for index, column in enumerate(cols, start=1):
        if column.choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1='"{}"'.format(",".join(column.choices)),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"请从下拉列表中选择：{'、'.join(column.choices)}",
            )
            validation.add(f"{letter}{FIRST_ROW}:{letter}{LAST_VALIDATED_ROW}")
            sheet.add_data_validation(validation)

    last_row = FIRST_ROW + max(len(rows), 1) - 1
    if any(row.guessed for row in rows):
        note = sheet.cell(last_row + 2, 1, GUESSED_NOTE)  # a blank row below the table, outside its filter
        note.font = Font(name=FONT, size=10)
        sheet.merge_cells(start_row=note.row, end_row=note.row, start_column=1, end_column=len(cols))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    sheet.freeze_panes = f"A{FIRST_ROW}"
    _print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}")


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


SHARED_MEASURES_NOTE = "注：一条措施对应几个方面的问题，在各方面分别计入，合计中只计一次。"
GUESSED_ASPECTS_NOTE = (
    f"注：标“{GUESSED_MARK}”的方面，计入的整改措施有的与该方面问题的对应仅按顺序推定，尚未确认，"
    "见整改台账中同样标注的行。"
)


def _aspect(row: LedgerRow) -> str:
    return row.aspect or "其他"


def status_counts(rows: list[LedgerRow]) -> dict[str, dict[str, int]]:
    """Measures by 所属方面 then 完成情况, aspects in ledger order: a measure serving two problems of
    an aspect fills two rows of the ledger but counts once, as the office reports 整改措施N项 (a
    problem without a measure counts as one line too, under its status)."""
    counts: dict[str, dict[str, int]] = {}
    for aspect, row in _once(rows, _aspect):
        by_status = counts.setdefault(aspect, dict.fromkeys(STATUSES, 0))
        by_status[row.status] = by_status.get(row.status, 0) + 1
    return counts


def guessed_aspects(rows: list[LedgerRow]) -> set[str]:
    """The aspects a measure is counted under only by a guessed pairing: none of its problems there
    is paired with it by the user (or by shared words), just by the aspect order."""
    sure = {(_aspect(row), row.measure) for row in rows if not row.guessed}
    return {_aspect(row) for row in rows if row.guessed and (_aspect(row), row.measure) not in sure}


def status_totals(rows: list[LedgerRow]) -> dict[str, int]:
    """Measures by 完成情况, each once however many aspects it serves: the 合计 that matches the
    number of measures the material has."""
    totals: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for _, row in _once(rows, lambda row: ""):
        totals[row.status] = totals.get(row.status, 0) + 1
    return totals


def _once(rows: list[LedgerRow], group: Callable[[LedgerRow], str]) -> Iterator[tuple[str, LedgerRow]]:
    """The first row of each measure (or measureless problem) within each group."""
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (group(row), row.measure or f"#{row.number}")
        if key not in seen:
            seen.add(key)
            yield key[0], row


def _summary_sheet(sheet: Worksheet, rows: list[LedgerRow], title: str) -> None:
    """方面 down, 完成情况 across, totals both ways: what an office reports upwards."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    counts = status_counts(rows)
    guessed = guessed_aspects(rows)
    headers = ["所属方面", *STATUSES, "合计"]
    sheet.cell(1, 1, f"{title}完成情况汇总（按整改措施计）").font = Font(name=TITLE_FONT, size=14)
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(headers))
    table: list[list[str | int]] = [list(headers)]
    table += [
        [aspect + (GUESSED_MARK if aspect in guessed else ""), *by.values(), sum(by.values())]
        for aspect, by in counts.items()
    ]
    by_status = status_totals(rows)
    totals = [by_status[s] for s in STATUSES]
    table.append(["合计", *totals, sum(totals)])
    shared = sum(sum(by.values()) for by in counts.values()) > sum(totals)
    notes = [note for note, due in ((SHARED_MEASURES_NOTE, shared), (GUESSED_ASPECTS_NOTE, guessed)) if due]
    for r, values in enumerate(table, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(r, c, value)
            cell.border = _border()
            cell.font = Font(name=HEADER_FONT if r == 2 or values[0] == "合计" else FONT, size=11)
            cell.alignment = Alignment(
                horizontal="left" if c == 1 else "center", vertical="center", wrap_text=True
            )
    for row, text in enumerate(notes, start=len(table) + 3):  # below a blank row under the table
        note = sheet.cell(row, 1, text)
        note.font = Font(name=FONT, size=10)
        sheet.merge_cells(start_row=row, end_row=row, start_column=1, end_column=len(headers))
    sheet.column_dimensions["A"].width = 30
    for c in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12
    sheet.freeze_panes = "B3"
    _print_setup(sheet, "2:2")

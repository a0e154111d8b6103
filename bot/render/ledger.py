"""The rectification ledger (整改台账) as an .xlsx workbook, in the columns offices keep (DOMAIN.md §5).

The sheet is meant to be maintained by hand after export: the header stays frozen, the enumerated
columns carry drop-down lists so later edits stay within the vocabulary the bot reads back, and dates
are real date cells so Excel sorts and filters them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.dates import format_date

SOURCES = ("自己查摆", "征求意见", "谈心谈话", "相互批评", "上级点评", "巡视巡察")
KINDS = ("立行立改", "限期整改", "长期坚持")
STATUSES = ("未启动", "推进中", "已完成待销号", "已销号", "持续推进")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # no zero padding, as official dates are written

FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADER_FONT = "黑体"
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3
LAST_VALIDATED_ROW = 1000  # drop-downs also cover rows an office adds by hand


@dataclass(frozen=True)
class Progress:
    """One dated entry of 整改进展."""

    on: date
    text: str


@dataclass(frozen=True)
class LedgerRow:
    """One problem with its rectification; empty strings leave a cell blank for the office to fill.

    ``deadline`` is a date, or text where there is none (``长期坚持``, ``年底前`` not yet resolved).
    """

    number: int
    aspect: str = ""
    problem: str = ""
    source: str = ""
    measure: str = ""
    goal: str = ""
    owner: str = ""
    kind: str = ""
    deadline: date | str | None = None
    progress: Sequence[Progress] = field(default_factory=tuple)
    status: str = STATUSES[0]
    evidence: str = ""
    closed_on: date | None = None

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


COLUMNS = (
    _Column("序号", 6, centred=True),
    _Column("所属方面", 16),
    _Column("问题", 36),
    _Column("问题来源", 11, SOURCES, centred=True),
    _Column("整改措施", 40),
    _Column("整改目标", 22),
    _Column("责任人", 12, centred=True),
    _Column("整改类型", 11, KINDS, centred=True),
    _Column("整改时限", 15, centred=True),
    _Column("整改进展", 34),
    _Column("完成情况", 13, STATUSES, centred=True),
    _Column("佐证材料", 20),
    _Column("销号时间", 15, centred=True),
)


def _cells(row: LedgerRow) -> tuple[object, ...]:
    progress = "\n".join(f"{format_date(p.on)}：{p.text}" for p in row.progress)
    return (
        row.number,
        row.aspect,
        row.problem,
        row.source,
        row.measure,
        row.goal,
        row.owner,
        row.kind,
        row.deadline,
        progress,
        row.status,
        row.evidence,
        row.closed_on,
    )


def render_ledger_xlsx(rows: list[LedgerRow], *, title: str) -> bytes:
    """One sheet: title row, frozen header, one row per problem; landscape A4, fit to page width."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "整改台账"
    last_column = get_column_letter(len(COLUMNS))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    title_cell = sheet.cell(TITLE_ROW, 1, title)
    title_cell.font = Font(name=TITLE_FONT, size=18)
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = 36

    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.header)
        cell.font = Font(name=HEADER_FONT, size=11, bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 30

    body_font = Font(name=FONT, size=11)
    aligned = {
        centred: Alignment(horizontal="center" if centred else "left", vertical="top", wrap_text=True)
        for centred in (False, True)
    }
    for offset, row in enumerate(rows):
        for index, (column, value) in enumerate(zip(COLUMNS, _cells(row), strict=True), start=1):
            cell = sheet.cell(FIRST_ROW + offset, index, value if value != "" else None)
            cell.font = body_font
            cell.border = border
            cell.alignment = aligned[column.centred]
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT

    for index, column in enumerate(COLUMNS, start=1):
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

    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    book.properties.title = title
    book.properties.creator = ""

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()

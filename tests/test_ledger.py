"""The rectification ledger workbook, reopened with openpyxl, and its export from a stored draft."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot import links
from bot.catalog import load_catalog
from bot.draftview import DraftView
from bot.formats.cli import register
from bot.formats.export import History, goal_of, ledger_rows, source_of
from bot.measure_fields import split_owner
from bot.render.ledger import (
    KINDS,
    SOURCES,
    STATUSES,
    LedgerRow,
    Postponement,
    Progress,
    render_ledger_xlsx,
)
from storage import repo
from storage.db import Database
from storage.models import Answer, Draft, Measure
from tests.conftest import Chat
from tests.test_followup import _draft_with_deadlines

HEADERS = [
    "序号",
    "所属方面",
    "问题",
    "问题来源",
    "整改措施",
    "整改目标",
    "责任人",
    "整改类型",
    "原定时限",
    "现时限",
    "延期记录",
    "整改进展",
    "完成情况",
    "佐证材料",
    "销号时间",
]


def rows() -> list[LedgerRow]:
    return [
        LedgerRow(
            number=1,
            aspect="带头强化政治忠诚、提高政治能力",
            problem="理论学习不够系统。",
            source="征求意见",
            measure="每月精读一篇原著，每季度交流发言一次。",
            goal="形成学用结合的长效机制",
            owner="孙七",
            kind="限期整改",
            original_deadline="2026年3月31日前",
            deadline=date(2026, 6, 30),
            postponements=(
                Postponement(date(2026, 3, 20), "2026年3月31日前 → 2026年6月30日前", "等上级文件。"),
            ),
            progress=(
                Progress(date(2026, 3, 2), "制定了学习计划。"),
                Progress(date(2026, 4, 8), "完成两次研讨。"),
            ),
            status="已销号",
            evidence="学习笔记、研讨记录",
            closed_on=date(2026, 7, 3),
        ),
        LedgerRow(
            number=1,
            aspect="带头强化政治忠诚、提高政治能力",
            problem="理论学习不够系统。",
            source="征求意见",
            measure="每季度讲一次专题党课。",
            status="推进中",
        ),
        LedgerRow(
            number=2,
            problem="谈心谈话不经常。",
            problem_full="谈心谈话不经常。今年只谈了3次。",
            measure="经常性开展谈心谈话。",
            kind="长期坚持",
            deadline="长期坚持，每季度",
            status="持续推进",
        ),
    ]


def open_sheet(tmp_path: Path, title: str = "孙七同志整改台账") -> Worksheet:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(render_ledger_xlsx(rows(), title=title))
    sheet = openpyxl.load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_title_row_headers_and_frozen_filtered_header(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    assert sheet["A1"].value == "孙七同志整改台账"
    assert "A1:O1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == HEADERS
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9E1F2") for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:O5"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width


def test_a_team_ledger_names_leader_and_department_apart(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    row = LedgerRow(number=1, measure="建立台账。", owner="王五", department="办公室")
    path.write_bytes(render_ledger_xlsx([row], title="班子整改台账", team=True))
    sheet = openpyxl.load_workbook(path)["整改台账"]
    assert [c.value for c in sheet[2]][6:8] == ["责任领导", "责任部门"]
    assert [sheet["G3"].value, sheet["H3"].value] == ["王五", "办公室"]
    assert split_owner("王五（分管副局长）、办公室") == ("王五（分管副局长）", "办公室")
    assert split_owner("李四") == ("李四", "")
    assert split_owner("县商务局办公室") == ("", "县商务局办公室")  # a department, not a leader


def test_rows_hold_the_values_with_wrapped_text(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    first = [c.value for c in sheet[3]]
    assert first[:8] == [
        1,
        "带头强化政治忠诚、提高政治能力",
        "理论学习不够系统。",
        "征求意见",
        "每月精读一篇原著，每季度交流发言一次。",
        "形成学用结合的长效机制",
        "孙七",
        "限期整改",
    ]
    assert first[8] == "2026年3月31日前"
    assert first[10] == "2026年3月20日：2026年3月31日前 → 2026年6月30日前；原因：等上级文件。"
    assert first[11] == "2026年3月2日：制定了学习计划。\n2026年4月8日：完成两次研讨。"
    assert first[12:14] == ["已销号", "学习笔记、研讨记录"]
    assert sheet["J5"].value == "长期坚持，每季度"
    assert all(c.alignment.wrap_text for c in sheet[3])
    assert sheet.max_row == 5


def test_a_problem_with_two_measures_merges_its_cells(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:D4"} <= merged
    assert not any(r.startswith("E3") for r in merged)
    assert sheet["E4"].value == "每季度讲一次专题党课。"
    assert sheet["C5"].comment is not None and sheet["C5"].comment.text == "谈心谈话不经常。今年只谈了3次。"
    assert sheet["C3"].comment is None  # the judgement sentence is the whole item


def test_the_summary_sheet_counts_by_aspect_and_status(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(render_ledger_xlsx(rows(), title="台账"))
    summary = openpyxl.load_workbook(path)["完成情况汇总"]
    assert [c.value for c in summary[2]] == ["所属方面", *STATUSES, "合计"]
    assert [c.value for c in summary[3]] == ["带头强化政治忠诚、提高政治能力", 0, 1, 0, 1, 0, 2]
    assert [c.value for c in summary[4]] == ["其他", 0, 0, 0, 0, 1, 1]
    assert [c.value for c in summary[5]] == ["合计", 0, 1, 0, 1, 1, 3]
    assert summary.page_setup.orientation == "landscape"


def test_the_summary_counts_a_measure_serving_two_problems_once(tmp_path: Path) -> None:
    """Two problems of an aspect answered by one measure fill two ledger rows: one measure to report."""
    shared = "每季度开展一次财务审核。"
    pair = [LedgerRow(number=n, aspect="差旅费报销是否合规", measure=shared) for n in (1, 2)]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(render_ledger_xlsx(pair, title="台账"))
    book = openpyxl.load_workbook(path)
    assert book["整改台账"].max_row == 4
    summary = book["完成情况汇总"]
    assert summary["A1"].value == "台账完成情况汇总（按整改措施计）"
    assert [c.value for c in summary[3]] == ["差旅费报销是否合规", 1, 0, 0, 0, 0, 1]


def test_the_total_counts_a_measure_serving_two_aspects_once(tmp_path: Path) -> None:
    """One measure answers a problem in each of two aspects: each aspect counts it, the 合计 counts
    the material's measures (as the bot says 共N条措施), and a note says why the rows add up to more."""
    shared = "坚持每周自学不少于4小时。"
    rows_ = [
        LedgerRow(number=1, aspect="带头强化政治忠诚、提高政治能力", measure=shared),
        LedgerRow(number=2, aspect="带头固本培元、增强党性", measure=shared),
        LedgerRow(number=3, aspect="带头固本培元、增强党性", measure="每季度谈心谈话一次。"),
    ]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(render_ledger_xlsx(rows_, title="台账"))
    summary = openpyxl.load_workbook(path)["完成情况汇总"]
    assert [c.value for c in summary[3]][-1] == 1 and [c.value for c in summary[4]][-1] == 2
    assert [c.value for c in summary[5]] == ["合计", 2, 0, 0, 0, 0, 2]
    assert "合计中只计一次" in str(summary["A7"].value)


def test_an_aspect_is_marked_only_where_a_measure_counts_by_a_guess(tmp_path: Path) -> None:
    """A measure paired with one problem of an aspect by the user and with another there only by
    the aspect order counts there for sure: only an aspect a measure reaches by guesses alone is
    marked, with the note saying what the mark means."""
    shared = "坚持每周自学不少于4小时。"
    rows_ = [
        LedgerRow(number=1, aspect="带头强化政治忠诚、提高政治能力", measure=shared),
        LedgerRow(number=2, aspect="带头强化政治忠诚、提高政治能力", measure=shared, guessed=True),
        LedgerRow(number=3, aspect="带头固本培元、增强党性", measure=shared, guessed=True),
    ]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(render_ledger_xlsx(rows_, title="台账"))
    summary = openpyxl.load_workbook(path)["完成情况汇总"]
    assert [summary["A3"].value, summary["A4"].value] == [
        "带头强化政治忠诚、提高政治能力",
        "带头固本培元、增强党性（对应待确认）",
    ]
    assert "合计中只计一次" in str(summary["A7"].value) and "仅按顺序推定" in str(summary["A8"].value)


def test_dates_are_date_cells_in_chinese_format(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    for ref, expected in (("J3", datetime(2026, 6, 30)), ("O3", datetime(2026, 7, 3))):
        cell = sheet[ref]
        assert cell.is_date and cell.value == expected
        assert cell.number_format == 'yyyy"年"m"月"d"日"'
    assert not sheet["J5"].is_date


def test_drop_down_lists_cover_source_kind_and_status(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists == {
        "D3:D1000": '"{}"'.format(",".join(SOURCES)),
        "H3:H1000": '"{}"'.format(",".join(KINDS)),
        "M3:M1000": '"{}"'.format(",".join(STATUSES)),
    }


def test_prints_landscape_a4_fitted_to_width(tmp_path: Path) -> None:
    sheet = open_sheet(tmp_path)
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$2:$2"


def test_the_source_of_a_problem_follows_its_wording() -> None:
    assert source_of("群众反映办事效率不高。") == "征求意见"
    assert source_of("巡察指出财务管理不规范。") == "巡视巡察"
    assert source_of("学习不够系统。") == "自己查摆"
    assert source_of("督导组指出，调研不够深入。") == "上级点评"
    # the cadre's own 督导 and 反映 are his own finding, not a superior's or the public's remark
    assert source_of("贯彻上级决策部署有时打折扣，推进督导不够及时。") == "自己查摆"
    assert source_of("向上级反映情况不及时。") == "自己查摆"
    assert source_of("对企业反映的用地审批慢问题，只是转交相关部门，没有跟踪督办。") == "自己查摆"
    assert source_of("对群众反映的问题回应不及时，群众反映本人接访少。") == "征求意见"
    # a meeting where opinions are heard is a source only when something was raised there
    assert source_of("与班子成员谈心谈话不够经常，全年只有4次。") == "自己查摆"
    assert source_of("开展相互批评辣味不足，征求意见不够广泛。") == "自己查摆"
    assert source_of("在谈心谈话中，有同志指出我抓落实不够有力。") == "谈心谈话"
    assert source_of("征求意见中干部职工提出会议偏多。") == "征求意见"
    assert source_of("相互批评时同志们认为我调研不深。") == "相互批评"


def test_the_goal_of_a_measure_is_its_outcome_clause() -> None:
    assert goal_of("建立台账，每月调度1次，确保件件有回音。") == "确保件件有回音"
    # a rate to reach is an outcome, taken with the whole of its clause
    rate = "2027年6月底前窗口满意率不低于99%"
    assert goal_of(f"每月回访1次不满意的群众，{rate}。") == rate
    assert goal_of("每季度开展1次排查，年底前整改完成率达到100％。") == "年底前整改完成率达到100％"
    # what is done and how often is no outcome
    assert goal_of("每周自学不少于2小时，每月写1篇学习体会。") == ""


@pytest.mark.parametrize("field", ["source", "kind", "status"])
def test_a_row_outside_the_vocabulary_is_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        LedgerRow(number=1, **{field: "随便写"})  # type: ignore[arg-type]


def test_ledger_rows_follow_the_problems_and_their_proposed_measures() -> None:
    draft = Draft(kind="personal_dsh", theme_label="2025年度", meta={"name": "孙七"}, extra_matters=[])
    draft.aspects = [{"text": "带头干事创业、担当作为", "heading": "在带头干事创业、担当作为方面"}]
    done = datetime(2026, 7, 2, 18, 30, tzinfo=UTC)  # 3 July in Shanghai, not its 销号时间

    def problem(position: int, text: str) -> Answer:
        return Answer(id=10 + position, section="problems", aspect=1, position=position, text=text)

    draft.answers = [
        problem(1, "理论学习不够系统。只读了2本原著。"),
        problem(2, "联系群众不够紧密。下基层调研少。"),
        Answer(
            section="measures",
            aspect=0,
            position=1,
            text="每月到联系点走访群众一次，确保群众反映的问题件件有回音。",
            measure=Measure(
                id=1,
                deadline_kind="ongoing",
                deadline_text="长期坚持，每季度",  # the user's words name the cadence already
                review_cadence="P3M",
                status="持续推进",
            ),
        ),
        Answer(
            section="measures",
            aspect=0,
            position=2,
            text="每月精读一篇原著，系统学习理论。",
            measure=Measure(
                id=2,
                deadline_kind="due",
                deadline_date=date(2026, 6, 30),
                rectify_type="立行立改",
                original_deadline="2026年3月31日前",
                status="已销号",
                evidence="读书笔记",
                completed_at=done,
            ),
        ),
        Answer(section="causes", aspect=0, position=1, text="不是措施。", measure=None),
    ]
    view = DraftView.build(load_catalog(), draft)
    moved = Postponement(date(2026, 3, 20), "2026年3月31日前 → 2026年6月30日前", "等上级文件。")
    signed = date(2026, 7, 10)  # signed off a week after it was completed: that is its 销号时间
    history = {
        2: History(
            progress=(Progress(date(2026, 2, 1), "已起草。"),), postponements=(moved,), closed_on=signed
        )
    }
    got = ledger_rows(view, history=history)
    assert [(r.number, r.problem, r.measure[:6], r.aspect) for r in got] == [
        (1, "理论学习不够系统。", "每月精读一篇", "带头干事创业、担当作为"),
        (2, "联系群众不够紧密。", "每月到联系点", "带头干事创业、担当作为"),
    ]
    first, second = got
    assert first.problem_full == "理论学习不够系统。只读了2本原著。"
    assert (first.kind, first.original_deadline, first.deadline) == (
        "立行立改",
        date(2026, 3, 31),  # kept in words when postponed, a date again in the ledger
        date(2026, 6, 30),
    )
    assert (first.owner, first.source, first.evidence, first.status) == (
        "孙七",
        "自己查摆",
        "读书笔记",
        "已销号",
    )
    assert (first.closed_on, first.postponements, len(first.progress)) == (signed, (moved,), 1)
    assert (second.kind, second.deadline, second.closed_on) == ("长期坚持", "长期坚持，每季度", None)
    assert second.goal == "确保群众反映的问题件件有回音"
    assert second.source == "自己查摆"


# -- the export command, shared with test_official_docx -------------------------------------------


async def seed_draft(database_url: str) -> str:
    """A completed personal material with two measures (one with follow-up) in a migrated database."""
    theme = load_catalog().theme("dsh-2025")
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            user = await repo.lock_user(session, 777)
            draft = await repo.create_draft(session, user, cursor="done")
            draft.kind, draft.theme_key, draft.theme_label, draft.year = (
                "personal_dsh",
                theme.key,
                theme.label,
                2025,
            )
            draft.aspects = [{"text": a.text, "heading": a.heading} for a in theme.aspects]
            draft.meta = {"name": "孙七", "unit": "市审计局", "position": "副局长"}
            add = repo.add_answer
            add(
                draft,
                "preamble",
                0,
                1,
                "会前认真学习，现报告如下：",
                author_id=None,
                source=None,
                is_measure=False,
            )
            add(
                draft,
                "problems",
                1,
                1,
                "学习不够系统。比如只读了2本。",
                author_id=None,
                source=None,
                is_measure=False,
            )
            first = add(
                draft,
                "measures",
                0,
                1,
                "坚持每月精读一篇原著。",
                author_id=None,
                source=None,
                is_measure=True,
            )
            add(draft, "measures", 0, 2, "经常谈心谈话。", author_id=None, source=None, is_measure=True)
            await session.flush()
            assert first.measure is not None
            first.measure.deadline_kind, first.measure.deadline_date = "due", date(2026, 6, 30)
            first.measure.owner, first.measure.status = "孙七", "推进中"
            repo.record_event(session, first.measure, "progress", "制定了年度学习计划。", None)
            repo.record_event(session, first.measure, "evidence", "学习笔记", None)
            return draft.public_id
    finally:
        await database.dispose()


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = args.handler(args)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def db_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DUIZHAO_DATABASE_URL", database_url)
    return database_url


def test_cli_exports_the_ledger_of_a_stored_draft(db_env: str, tmp_path: Path) -> None:
    public_id = asyncio.run(seed_draft(db_env))
    status, out, err = run_cli(["export", public_id, "--format", "xlsx", "--out", str(tmp_path)])
    assert (status, err) == (0, "")
    path = tmp_path / "孙七_2025年度民主生活会个人对照检查材料_整改台账.xlsx"
    assert str(path) in out
    sheet = openpyxl.load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    assert sheet["A1"].value == "《孙七同志2025年度民主生活会个人对照检查材料》整改台账"
    assert [sheet[f"{c}3"].value for c in "ACEGHM"] == [
        1,
        "学习不够系统。",
        "坚持每月精读一篇原著。",
        "孙七",
        "限期整改",
        "推进中",
    ]
    assert sheet["J3"].value == datetime(2026, 6, 30)
    assert sheet["L3"].value.endswith("：制定了年度学习计划。")
    # the one problem's second measure: its problem cells are merged with the row above
    assert [sheet[f"{c}4"].value for c in "AEGM"] == [None, "经常谈心谈话。", "孙七", "未启动"]
    assert "C3:C4" in {str(r) for r in sheet.merged_cells.ranges}


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_cli_exports_text_formats(db_env: str, tmp_path: Path, fmt: str) -> None:
    public_id = asyncio.run(seed_draft(db_env))
    target = tmp_path / f"material.{fmt}"
    assert run_cli(["export", public_id, "--format", fmt, "--out", str(target)])[0] == 0
    text = target.read_text(encoding="utf-8")
    # the aspect's one point carries no 一是
    assert "\n学习不够系统。比如只读了2本。" in text and "（二）经常谈心谈话。" in text


def test_cli_refuses_an_unknown_draft_in_one_chinese_line(db_env: str, tmp_path: Path) -> None:
    status, out, err = run_cli(["export", "nope", "--out", str(tmp_path / "x.docx")])
    assert (status, out) == (2, "")
    assert err == "没有编号为 nope 的材料。各份材料的编号可用 duizhao drafts 查看。\n"
    assert not (tmp_path / "x.docx").exists()


def test_cli_refuses_a_bad_profile_or_date(db_env: str, tmp_path: Path) -> None:
    status, _, err = run_cli(["export", "x", "--out", "x.docx", "--profile", "nosuch"])
    assert status == 1 and "排版方案有误" in err and "nosuch" in err
    status, _, err = run_cli(["export", "x", "--out", "x.docx", "--date", "明天"])
    assert status == 2 and "日期“明天”无法识别" in err


async def test_links_survive_deleting_a_problem_or_a_measure(database_url: str) -> None:
    """A deleted item takes its links with it (database cascade); the rest stay as confirmed."""
    public_id = await seed_draft(database_url)
    database = Database(database_url)
    catalog = load_catalog()
    try:
        async with database.transaction() as session:
            draft = await repo.draft_by_public_id(session, 777, public_id)
            assert draft is not None
            view = DraftView.build(catalog, draft)
            extra = repo.add_answer(
                draft, "problems", 1, 2, "调查研究不够深入。", author_id=None, source=None, is_measure=False
            )
            await session.flush()
            links.confirm(view)
            assert len(links.problems(view)) == 2 and links.unlinked(view) == []
        async with database.transaction() as session:
            draft = await repo.draft_by_public_id(session, 777, public_id)
            assert draft is not None
            gone = next(a for a in draft.answers if a.id == extra.id)
            repo.remove_answer(session, draft, gone, None)
            measure_answer = next(a for a in draft.answers if a.text == "经常谈心谈话。")
            repo.remove_answer(session, draft, measure_answer, None)
        async with database.transaction() as session:
            draft = await repo.draft_by_public_id(session, 777, public_id)
            assert draft is not None
            view = DraftView.build(catalog, draft)
            assert [
                (p.headline, links.measures_of_problem(links.current(view), p.answer.id))
                for p in links.problems(view)
            ] == [("学习不够系统。", [view.measures()[0][1].id])]
            assert [r.measure for r in ledger_rows(view)] == ["坚持每月精读一篇原著。"]
    finally:
        await database.dispose()


async def test_the_operator_finds_a_users_draft_by_his_id_and_exports_it(
    chat: Chat, db_env: str, tmp_path: Path
) -> None:
    """``duizhao export`` takes a public id the chat never shows: ``duizhao drafts`` lists them, by
    user id (which /users gives an admin), without a word of the material."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度回顾"])
    await chat.say("/new")
    await chat.press("个人对照检查材料")

    status, out, err = await asyncio.to_thread(run_cli, ["drafts", "--user", str(chat.user_id)])
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("共2份。导出其中一份：duizhao export 编号")
    latest, written = lines[0].split("  "), lines[1].split("  ")
    assert latest[1:3] == ["起草人4242", "个人对照检查材料"] and latest[-1] == "整改措施0项"
    assert written[1:5] == ["起草人4242", "组织生活会发言提纲", "2025年度", "会议2026-01-15"]
    assert written[-1] == "整改措施2项"
    assert "每周自学" not in out and "组织生活会个人发言提纲" not in out  # no material text, no title

    status, out, err = await asyncio.to_thread(
        run_cli, ["export", written[0], "--format", "xlsx", "--out", str(tmp_path)]
    )
    assert (status, err) == (0, "") and "整改台账.xlsx" in out
    assert (await asyncio.to_thread(run_cli, ["drafts", "--user", "1"]))[1] == (
        "共0份。导出其中一份：duizhao export 编号 --format docx|pdf|md|txt|xlsx --out 路径\n"
    )

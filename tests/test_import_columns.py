"""A material imported with its measures tabulated (序号 | 整改措施 | 责任领导 | 牵头部门 | 完成时限), or
written with their 责任人 and 时限 after labels: those are the measures' owners and deadlines, read as
the deadline step reads them, and what cannot be read is left for its question."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from bot.measure_fields import Columns, columns_of
from tests.conftest import Chat
from tests.test_review_chat import CLEAN_ENOUGH
from tests.word_files import p, table, word

TEAM_TITLE = "县发改局领导班子2025年度民主生活会对照检查材料"
MEASURES = (
    ("建立项目论证会商机制，每月会商一次", "王强（局长）", "办公室", "2026年3月底前"),
    ("班子成员每季度走访联系企业不少于1次", "李华", "党政办", "长期坚持"),
    ("完善政府采购内控制度，堵塞管理漏洞", "张伟", "规划科", "按上级要求"),
)


def _team_docx() -> bytes:
    columns = ("责任领导", "牵头部门", "完成时限")
    return _tabled_docx(TEAM_TITLE, "（一）在带头强化政治忠诚、提高政治能力方面", columns, MEASURES)


def _tabled_docx(
    title: str, aspect: str, columns: tuple[str, ...], measures: tuple[tuple[str, ...], ...]
) -> bytes:
    """A material titled ``title`` with one problem under ``aspect``, whose measures are a table
    (序号 | 整改措施 | ``columns``), each of ``measures`` a row (the measure, then its columns)."""
    header = [p("序号"), p("整改措施"), *(p(name) for name in columns)]
    rows = [[p(str(n)), *(p(cell) for cell in row)] for n, row in enumerate(measures, start=1)]
    return word(
        p(title),
        p("按照通知要求，会前认真学习，广泛征求意见，现将对照检查情况报告如下："),
        p("一、存在的主要问题"),
        p(aspect),
        p("一是调研不深。比如全年到企业调研只有5次，对项目论证听取意见不够。"),
        p("二、产生问题的原因"),
        p("一是理想信念有所松懈。二是宗旨意识有所淡化。"),
        p("三、整改措施"),
        table(header, *rows),
    )


async def test_a_tables_owners_and_deadlines_become_the_measures_own(chat: Chat) -> None:
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "班子对照检查.docx", _team_docx(), "application/octet-stream")
    overview = await chat.press("导入为新材料，继续修改")
    assert "措施中写明的责任人和时限已一并带入（3条）" in overview
    assert "措施中第3条的时限没能识别，没有带入，请点“设定整改时限”补上。" in overview
    # The first measure lacks nothing; the second its 长期坚持 cadence, the third its deadline.
    assert "还有2条整改措施没有设定时限或责任人" in overview
    reply = await chat.press("设定整改时限")
    assert "第2/3条措施" in reply and "回顾频次" in reply
    reply = await chat.press("每季度")
    assert "第3/3条措施" in reply and "请写明这条措施的整改时限" in reply
    reply = await chat.say("2026年6月底前")
    assert "各条整改措施的时限都已设定" in reply  # no owner was asked for

    await chat.say("/ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))["整改台账"]
    header = [c.value for c in sheet[2]]
    measure, leader, department, due = (
        header.index(name) for name in ("整改措施", "责任领导", "责任部门", "现时限")
    )
    rows = {
        str(r[measure])[:6]: (r[leader], r[department], r[due])
        for r in sheet.iter_rows(min_row=3, values_only=True)
        if r[measure]
    }
    first, second, third = (rows[text[:6]] for text, *_ in MEASURES)
    assert first[:2] == ("王强（局长）", "办公室") and first[2].date() == date(2026, 3, 31)
    assert second == ("李华", "党政办", "长期坚持，每季度")
    assert third[:2] == ("张伟", "规划科") and third[2].date() == date(2026, 6, 30)


async def test_a_text_files_labelled_owner_and_deadline_are_taken_over(chat: Chat) -> None:
    """A .txt writes them after the measure (（责任人：…，完成时限：…）); a deadline already past is
    left for the question, as one typed there would be queried."""
    material = CLEAN_ENOUGH.replace(
        "一是每周自学不少于4小时，2026年6月底前完成。\n",
        "一是每周自学不少于4小时（责任人：张三，完成时限：2026年6月底前）。\n"
        "二是每月到联系点走访一次（责任人：张三，完成时限：2025年6月底前）。\n",
    )
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "材料.txt", material.encode(), "text/plain")
    overview = await chat.press("导入为新材料，继续修改")
    assert "已一并带入（2条）" in overview and "措施中第2条的时限已经过去，没有带入" in overview
    assert "还有1条整改措施没有设定时限" in overview
    listing = await chat.say("/deadlines")
    assert "2026年6月30日" in listing


async def test_a_branch_tables_owner_is_one_committee_member(chat: Chat) -> None:
    """A 党支部班子's 责任人 column is taken over as its 支委 is typed at the question: one 支委,
    post before name; a cell naming two is left for the question, which asks for one."""
    measures = (
        ("每月组织一次集中学习，每季度开展一次专题研讨", "王建华（支部书记）", "2026年3月底前"),
        ("每月核对党费交纳情况，每季度通报一次", "组织委员、宣传委员", "2026年6月底前"),
    )
    title = "机关第一党支部委员会2025年度组织生活会对照检查材料"
    material = _tabled_docx(title, "（一）政治合格方面", ("责任人", "完成时限"), measures)
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "支部对照检查.docx", material, "application/octet-stream")
    overview = await chat.press("导入为新材料，继续修改")
    assert "措施中第2条的责任人不是一位支委，没有带入" in overview
    assert "还有1条整改措施没有设定时限或责任人" in overview
    reply = await chat.press("设定整改时限")
    assert "第2/2条措施" in reply and "负责的支委" in reply
    assert "各条整改措施的时限都已设定" in await chat.say("宣传委员")
    await chat.say("/ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))["整改台账"]
    header = [c.value for c in sheet[2]]
    owner, measure = header.index("责任人"), header.index("整改措施")
    rows = [(r[measure], r[owner]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[measure]]
    assert [owner for _, owner in rows] == ["支部书记王建华", "宣传委员"]
    # the first row's 责任人 column says what its labels said: not repeated in its 整改措施
    assert str(rows[0][0]).startswith(f"{measures[0][0]}。") and "责任人" not in str(rows[0][0])
    assert "责任人：组织委员、宣传委员" in str(rows[1][0])  # no longer what its column says


def test_labelled_columns_are_read_from_a_measures_text() -> None:
    assert columns_of("建立会商机制。责任领导：王强；牵头部门：办公室；完成时限：2027年3月底前。") == Columns(
        "王强、办公室", "2027年3月底前"
    )
    assert columns_of("加强学习（责任人：王五（分管副局长），时限：6月底前）") == Columns(
        "王五（分管副局长）", "6月底前"
    )
    assert columns_of("严格落实时限：要求。") == Columns()  # 时限 inside the measure's own words
    assert columns_of("每周自学不少于4小时，2026年6月底前完成。") == Columns()
    assert columns_of("责任人：；完成时限：") == Columns()

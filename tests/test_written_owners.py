"""A measure of a kind that asks no 责任人 often names its owner in its own words (由办公室负责,
责任人：组织委员): the ledger's 责任人 shows it, as the measure reads now; ordinary prose names none.
An imported measure's labelled 责任领导/时限 closing it is not repeated beside its own columns."""

from __future__ import annotations

import pytest

from bot.measure_fields import MAX_OWNER_CHARS, Columns, without_columns, written_owner
from tests.conftest import Chat
from tests.test_import_columns import MEASURES, _team_docx
from tests.test_rectification_chain import _ledger, _rows


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("由办公室负责，2027年3月底前完成。", "办公室"),
        ("每季度由组织委员牵头组织一次专题学习。", "组织委员"),
        ("由财务科具体负责，6月底前完成。", "财务科"),
        ("由党政办（组织办）牵头负责", "党政办（组织办）"),
        ("由办公室、财务科负责清理台账。", "办公室、财务科"),
        ("建立台账（责任人：组织委员）。", "组织委员"),
        ("牵头部门：财务科；完成时限：年底前。", "财务科"),
        ("责任领导：王强；责任部门：办公室。由财务科负责。", "王强、办公室"),  # the labels first
        ("严格落实“三会一课”制度，责任人：支部书记，每季度检查一次。", "支部书记"),
        # ordinary prose names nobody
        ("由于学习不够深入，负责的工作推进不力。", None),
        ("负责同志带头深入基层调研。", None),
        ("由被动应付向主动负责转变。", None),
        ("由我负责抓好落实。", None),
        ("由本人牵头。", None),
        ("理由是分管领导负责。", None),
        ("由于对分管科室负责不够，要加强督促。", None),
        ("由点及面推动整改，各科室负责同志带头。", None),
        ("由支部书记带头，组织委员负责。", None),
        ("由张三负责。", None),  # a bare name could be any two characters
        ("", None),
        (f"责任人：{'办' * (MAX_OWNER_CHARS + 1)}", None),
        (f"由{'综合' * 9}办负责", "综合" * 9 + "办"),
    ],
)
def test_the_owner_a_measure_names_in_its_words(text: str, owner: str | None) -> None:
    assert written_owner(text) == owner


def test_the_labelled_fields_closing_a_measure() -> None:
    text = "建立会商机制。责任领导：王强；牵头部门：办公室；完成时限：2027年3月底前。"
    assert without_columns(text) == ("建立会商机制。", Columns("王强、办公室", "2027年3月底前"))
    assert without_columns("每周自学不少于4小时（责任人：张三，完成时限：6月底前）。") == (
        "每周自学不少于4小时。",
        Columns("张三", "6月底前"),
    )
    # an owner's value ends at a comma; what follows it is the measure's own, and stays in it
    text = "严格落实“三会一课”制度，责任人：支部书记，每季度检查一次。"
    assert without_columns(text) == (text, Columns())
    assert without_columns("按月调度（完成时限：长期坚持，每月）。") == (
        "按月调度。",
        Columns(None, "长期坚持，每月"),
    )
    # a label that does not close it, or the whole text a label: kept as it is
    assert without_columns("责任人：张三。加强学习。") == ("责任人：张三。加强学习。", Columns())
    assert without_columns("责任人：张三") == ("责任人：张三", Columns())
    assert without_columns("严格落实时限：要求。") == ("严格落实时限：要求。", Columns())


MEASURES_BLOCK = (
    "一是由办公室负责，2027年1月底前修订公务接待管理办法。\n"
    "二是2027年2月底前完成公车管理自查，责任人：财务科。\n"
    "三是负责同志带头，每季度开展一次廉政谈话。"
)


async def test_a_self_inspections_ledger_names_the_owners_its_measures_write(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 公务接待是否严格执行标准\n2. 公车使用管理是否规范")
    await chat.press("2025年度")
    await chat.press("暂不确定")
    await chat.press("跳过")  # a unit's report, no name: no author to stand as the 责任人
    await chat.say("县交通运输局")
    await chat.press("跳过")
    await chat.say("根据县纪委通知要求，我局对财经纪律执行情况开展了自查。现将自查自纠情况报告如下：")
    await chat.say("接待手续不全。有3批次接待未附公函，已于12月10日补齐。")
    await chat.press("本方面填写完毕")
    await chat.say("公车使用登记不全。5月有2次派车未登记事由。")
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "整改措施" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say(MEASURES_BLOCK)
    sent = chat.last_user_message_id()
    await chat.press("本部分填写完毕")
    await chat.press("确认对应")

    await chat.say("/ledger")
    rows = [r for r in _rows(_ledger(chat)) if r["整改措施"]]
    assert [r["责任人"] for r in rows] == ["办公室", "财务科", None]
    # the label closing the second is in its 责任人 column: not repeated in its 整改措施
    assert rows[1]["整改措施"] == "2027年2月底前完成公车管理自查。"
    assert rows[0]["整改措施"] == "由办公室负责，2027年1月底前修订公务接待管理办法。"

    # The measure's words are the owner's one source: edited, the ledger follows them.
    await chat.edit(sent, MEASURES_BLOCK.replace("由办公室负责", "由财务科牵头"))
    await chat.say("/ledger")
    rows = [r for r in _rows(_ledger(chat)) if r["整改措施"]]
    assert [r["责任人"] for r in rows] == ["财务科", "财务科", None]


async def test_an_imported_tables_columns_are_not_repeated_in_its_measures(chat: Chat) -> None:
    """Each row of a measures table reads as the measure followed by its labelled columns; in the
    ledger the measure stands alone beside them, unless a column was not taken over."""
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "班子对照检查.docx", _team_docx(), "application/octet-stream")
    await chat.press("导入为新材料，继续修改")
    await chat.say("/ledger")
    rows = [r for r in _rows(_ledger(chat)) if r["整改措施"]]
    first, second, third = (text for text, *_ in MEASURES)
    assert [r["整改措施"] for r in rows[:2]] == [f"{first}。", f"{second}。"]
    assert rows[0]["责任领导"] == "王强（局长）" and rows[0]["责任部门"] == "办公室"
    # its 时限 (按上级要求) could not be read and is not set: the words keep saying it
    assert str(rows[2]["整改措施"]).startswith(third) and "完成时限：按上级要求" in str(rows[2]["整改措施"])

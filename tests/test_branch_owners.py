"""A 党支部班子 material gives each measure to one 支委 (支部书记, 组织委员…, with or without his
name): asked after its 时限, said back, shown in /deadlines and its reminders, and the ledger's
责任人. An owner typed at the 时限 question is kept, not answered with a date that could not be
read, for any kind that asks one; a 发言提纲 asks none."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.settings import Settings
from handlers.followup import dispatch_once
from storage.db import Database
from storage.models import Measure
from tests.conftest import Chat
from tests.test_followup import _pending, _services
from tests.test_rectification_chain import _ledger, _rows

BRANCH = "党支部班子对照检查材料"
UNIT = "市水务局机关第二党支部"
MEASURES = [
    "丰富学习形式。每季度组织1次专题研讨，由支部书记负责。",
    "严格党员教育管理。每月核对党费交纳情况。",
    "主动服务群众。每季度到社区报到服务1次。",
]


async def _branch_at_its_deadlines(chat: Chat) -> None:
    await chat.write_measures(BRANCH, MEASURES, identity=[UNIT])
    if "确认对应" in chat.labels():
        await chat.press("确认对应")


async def _owners(chat: Chat) -> list[object]:
    """The ledger's 责任人 of each measure, in the order of the measures (a measure answering
    several problems has a row for each)."""
    await chat.say("/ledger")
    owner_of = {row["整改措施"]: row["责任人"] for row in _rows(_ledger(chat)) if row["整改措施"]}
    return [owner_of[measure] for measure in MEASURES]


async def test_each_measure_of_a_branch_gets_one_committee_member(chat: Chat, settings: Settings) -> None:
    await _branch_at_its_deadlines(chat)
    reply = await chat.say("2026年3月底前")
    assert "整改时限：2026年3月31日" in reply and "负责的支委" in reply and "责任领导" not in reply
    assert "责任人 · 第1/3条措施" in reply  # the heading names what is asked
    assert "按原文：支部书记" in chat.labels()  # the measure's own 由支部书记负责
    assert "责任人：支部书记。" in await chat.press("按原文：支部书记")

    # the second measure's 责任人 typed at its 时限 question: kept, and the 时限 asked again
    reply = await chat.say("支部书记 王建华")
    assert "已记下责任人：支部书记王建华。" in reply and "没能识别" not in reply
    assert "第2/3条措施" in reply and "请写明这条措施的整改时限" in reply
    reply = await chat.say("6月底前")
    assert "第3/3条措施" in reply and "请写明这条措施的整改时限" in reply  # its 责任人 is known

    await chat.say("2026年12月底前")
    reply = await chat.say("支部书记、组织委员")
    assert "每条措施由一名支委负责，请只写一位" in reply and "第3/3条措施" in reply
    reply = await chat.say("王建华")
    assert "请写明负责这条措施的支委" in reply
    reply = await chat.say("组织委员 李明")
    assert "责任人：组织委员李明。" in reply and "各条整改措施的时限都已设定" in reply

    reply = await chat.say("/deadlines")
    assert "2026年3月31日（周二）前 · 未启动 · 责任人：支部书记" in reply
    assert "责任人：组织委员李明" in reply
    reply = await chat.press("3. 办理")
    assert "时限：2026年12月31日（周四）前\n责任人：组织委员李明\n状态：未启动" in reply

    first = next(r for r in await _pending(settings) if r.measure_id is not None)
    await dispatch_once(chat.harness.application.bot, _services(chat), now=first.due_at)
    assert "丰富学习形式" in chat.last_text() and "\n责任人：支部书记\n" in chat.last_text()

    await chat.say("/ledger")
    sheet = _ledger(chat)
    header = [cell.value for cell in sheet[2]]
    assert "责任人" in header and "责任领导" not in header and "责任部门" not in header
    assert await _owners(chat) == ["支部书记", "支部书记王建华", "组织委员李明"]


async def test_a_branch_measure_stored_without_its_member_is_asked_and_shown_as_unfilled(
    chat: Chat, settings: Settings
) -> None:
    """A draft whose measures got no 责任人 (written before it was asked): the ledger says 未填
    (or the 支委 the measure's words name), /check advises naming the 支委, and the deadlines step
    asks for the ones missing."""
    await _branch_at_its_deadlines(chat)
    await chat.fill_until(lambda c: "各必填部分都已完成" in c.last_text())
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        await session.execute(update(Measure).values(owner=None))
    await db.dispose()

    assert await _owners(chat) == ["支部书记", "未填", "未填"]
    reply = await chat.say("/check")
    assert "没有写明负责的支委" in reply and "每条措施写明负责的支委" in reply
    assert "责任领导" not in reply

    await chat.say("/start")
    reply = await chat.press("继续填写")
    assert "还有3条整改措施没有设定时限或责任人" in reply
    reply = await chat.press("设定整改时限")
    assert "第1/3条措施" in reply and "负责的支委" in reply
    await chat.say("组织委员李明")
    await chat.say("宣传委员")
    reply = await chat.say("纪检委员张强")
    assert "各条整改措施的时限都已设定" in reply
    assert await _owners(chat) == ["组织委员李明", "宣传委员", "纪检委员张强"]
    reply = await chat.say("/check")
    assert "负责的支委" not in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert all((await session.scalars(select(Measure.owner))).all())
    await db.dispose()


async def test_a_leaders_owner_typed_at_the_deadline_question_is_kept(chat: Chat) -> None:
    """A 领导班子's 责任领导 and 责任部门 typed where the 时限 is asked: kept as its 责任人, then
    the 时限 asked again, and not asked twice."""
    await chat.write_measures(
        "领导班子对照检查材料",
        ["每季度召开一次专题会研究营商环境问题。"],
        identity=["县商务局"],
        theme="2024年度民主生活会（4个方面）",
        meeting="2025年1月20日",
    )
    reply = await chat.say("王五（分管副局长）、办公室")
    assert "已记下责任人：王五（分管副局长）、办公室。" in reply and "请写明这条措施的整改时限" in reply
    reply = await chat.say("2025年12月底前")
    assert "请写明责任人" not in reply and "各条整改措施的时限都已设定" in reply
    await chat.say("/ledger")
    row = _rows(_ledger(chat))[0]
    assert (row["责任领导"], row["责任部门"]) == ("王五（分管副局长）", "办公室")


async def test_a_members_speech_asks_no_owner(chat: Chat) -> None:
    await chat.write_measures("组织生活会发言提纲", ["每周自学不少于2小时。"])
    reply = await chat.say("支部书记 王建华")
    assert "没能识别整改时限" in reply
    reply = await chat.say("2026年6月底前")
    assert "负责的支委" not in reply and "各条整改措施的时限都已设定" in reply

"""A 班子 material written together, through the real PTB stack: four users on one draft."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from docx import Document as open_docx
from openpyxl import Workbook
from sqlalchemy import select, update

from bot.botapi import BotHarness, InProcessBotApi, TranscriptEntry
from bot.flows import approval, notices, proposals, team_leaders
from bot.flows.approval import summary_line
from bot.settings import Settings
from bot.submission_status import Status
from bot.submissions import Snapshot, review_snapshot, summarize
from bot.team import department_written, leader_named
from handlers.common import SEND_ATTEMPTS
from handlers.followup import dispatch_once
from storage.db import Database
from storage.models import Answer, Comment, DraftMember, Proposal, Submission, User
from tests.conftest import TEST_NOW, Chat, killed_after_commit, killed_before_then, start_bot
from tests.test_access import unlimited
from tests.test_followup import _pending, _services
from tests.test_rectification_chain import _ledger, _rows

OWNER, LI, WANG, SECRETARY, STRANGER = 1001, 1002, 1003, 1004, 1005
settings = unlimited  # four people through a whole material: more updates than one user's burst
LINK = re.compile(r"start=(tm_[A-Za-z0-9_-]{22})")


async def _team_draft(owner: Chat, unit: str = "青山镇") -> None:
    await owner.say("/new")
    await owner.press("领导班子对照检查材料")
    await owner.press("2024年度民主生活会（4个方面）")
    await owner.meeting_date("2025年1月20日")
    await owner.say(unit)
    await owner.say("青山镇领导班子按照县委要求，会前集中学习4次，广泛征求意见。现报告如下：")
    await owner.say("上年度查摆问题6条，已完成5条，持续整改1条。")
    assert "姓名和职务" in await owner.say("/team")  # asked once, as members are on joining
    await owner.say("张三 党政办主任")


async def _invite(owner: Chat, role_label: str) -> str:
    await owner.say("/team")
    await owner.press(role_label)
    found = LINK.search(owner.last_text())
    assert found, owner.last_text()
    assert re.search(r"20[0-9]{2}年[1-9][0-9]?月[1-9][0-9]?日前有效", owner.last_text()), owner.last_text()
    return found.group(1)


async def _join(chat: Chat, link: str, name: str, *, consent: bool = True) -> None:
    reply = await chat.say(f"/start {link}")
    assert "青山镇" in reply
    labels = chat.labels()
    await chat.press(labels[-1] if consent else labels[0])
    assert "姓名和职务" in chat.last_text()
    await chat.say(name)


async def _propose(member: Chat, text: str) -> str:
    """``text`` proposed by a member for the first aspect of his team draft; the bot's reply."""
    await member.say("/team")
    await member.press(member.labels()[0])
    return await member.say(text)


async def _collecting(owner: Chat, opinions: str) -> str:
    """A new team draft whose owner enters the opinions collected before the meeting; the reply."""
    await _team_draft(owner)
    await _enter_opinions(owner)
    return await owner.say(opinions)


async def _enter_opinions(owner: Chat) -> None:
    await owner.say("/team")
    await owner.press("录入征求意见")


@asynccontextmanager
async def _owner_and_member(
    settings: Settings,
) -> AsyncIterator[tuple[Chat, Chat]]:
    """The bot running, with the owner's team draft that 李四 has joined as 班子成员."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _team_draft(owner)
        await _join(li, await _invite(owner, "邀请班子成员"), "李四 镇长")
        yield owner, li


async def test_members_contribute_and_the_owner_decides(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang, secretary = (Chat(harness, u) for u in (OWNER, LI, WANG, SECRETARY))
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长", consent=False)
        assert "李四 镇长已加入" in api_texts(api, OWNER)
        approver_link = await _invite(owner, "邀请审定人")
        await _join(secretary, approver_link, "赵六 党委书记")

        board = await owner.say("/team")
        assert "班子成员：李四 镇长" in board and "审定人：赵六 党委书记" in board

        await li.say("/team")
        await li.press(li.labels()[0])  # the first aspect
        await wang.say("/team")
        await wang.press(wang.labels()[1])
        await asyncio.gather(
            li.say("一是政治理论学习不够系统。全年集中学习只有4次。\n二是请示报告不够及时。"),
            wang.say("联系群众不够紧密。全年下村调研不到10次。"),
        )
        # The owner hears of them once, a few minutes later, per aspect (never at night).
        waiting = [r for r in await _pending(settings) if r.kind == "team_proposals"]
        assert [r.user_id for r in waiting] == [OWNER]
        await dispatch_once(harness.application.bot, _services(owner), now=waiting[0].due_at)
        told = owner.last_text()
        assert "有3条问题建议待处理" in told and "：2条" in told and "：1条" in told
        assert "处理建议（3）" in owner.labels()
        digest = await owner.say("/team")
        assert "待处理的建议和意见：3条" in digest
        await owner.press("处理建议（3）")
        text = owner.last_text()
        assert "政治理论学习不够系统" in text and "（李四 镇长）" in text and "（王五 副镇长）" in text
        await owner.press("1 采纳")
        assert "已采纳" in owner.last_text()
        assert "已被起草人采纳" in api_texts(api, LI)
        await owner.press("不采纳")
        await owner.say("与第一条重复，已合并表述。")
        assert "未被采纳：与第一条重复" in api_texts(api, LI)


async def test_an_adopted_proposal_is_named_by_the_lists_own_marker(settings: Settings) -> None:
    """采纳 says where the item went as the list numbers it (二是; its one point none), in the words
    a move to another aspect uses, not as a 第2条 of its own."""
    async with _owner_and_member(settings) as (owner, li):
        await _propose(li, "一是政治理论学习不够系统。全年集中学习只有4次。\n二是请示报告不够及时。")
        await owner.say("/team")
        await owner.press("处理建议（2）")
        first = await owner.press("1 采纳")
        assert "已采纳，写入（一）" in first and "记为其中" not in first  # the list's one point
        second = await owner.press("1 采纳")
        assert "，记为其中的二是。" in second and "第2条" not in second


async def test_an_owner_hears_of_the_proposals_to_each_of_his_drafts(settings: Settings) -> None:
    """Members of two of the owner's team drafts send problems at the same time: when the digests
    go out, he is told of each draft's, each with its own button."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang = (Chat(harness, u) for u in (OWNER, LI, WANG))
        await _team_draft(owner)
        await _join(li, await _invite(owner, "邀请班子成员"), "李四 镇长")
        await _team_draft(owner, "绿水镇")
        reply = await wang.say(f"/start {await _invite(owner, '邀请班子成员')}")
        assert "绿水镇" in reply
        await wang.press(wang.labels()[-1])
        await wang.say("王五 副镇长")
        for member, problem in ((li, "政治理论学习不够系统。"), (wang, "联系群众不够紧密。")):
            await _propose(member, problem)
        waiting = [r for r in await _pending(settings) if r.kind == "team_proposals"]
        assert len(waiting) == 2
        await dispatch_once(harness.application.bot, _services(owner), now=max(r.due_at for r in waiting))
    told = [m for m in api.bot_messages(OWNER) if "问题建议待处理" in str(m.get("text", ""))]
    assert sorted("绿水镇" in str(m["text"]) for m in told) == [False, True], told
    buttons = {b["callback_data"] for m in told for row in m["reply_markup"]["inline_keyboard"] for b in row}
    assert len(buttons) == 2


def api_texts(api: InProcessBotApi, user_id: int) -> str:
    return "\n".join(str(m.get("text", "")) for m in api.bot_messages(user_id))


OPINIONS = """1. 有的班子成员执行政治纪律不够严格，请示报告不够及时
2. 谈心谈话：作风不够扎实，深入基层调研少，砥砺作风有差距
3. 上级点评：履行全面从严治党政治责任有差距，压力传导层层递减
4. 遇到难题怕担责，创新办法不多"""


async def test_collected_opinions_are_sorted_into_aspects_and_keep_their_source(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner = Chat(harness, OWNER)
        reply = await _collecting(owner, OPINIONS)
        assert "收到4条意见" in reply
        sections = reply.split("）带头")  # by the keywords of each aspect's wording (jieba)
        assert "政治纪律不够严格，请示报告不够及时（征求意见）" in sections[1]
        assert "砥砺作风有差距（谈心谈话）" in sections[2]
        assert "怕担责" in sections[3]
        assert "从严治党政治责任有差距，压力传导层层递减（上级点评）" in sections[4]
        await owner.press("调整第3条")  # the owner moves one by hand
        await owner.press(owner.labels()[1])
        assert "怕担责" in owner.last_text().split("）带头")[2]
        await owner.press("确认归类")
        assert "4条意见成为候选问题" in owner.last_text()
        await owner.press("1 采纳")
        await owner.say("/ledger")
        rows = _rows(_ledger(owner))
        assert [(r["问题"], r["问题来源"]) for r in rows] == [
            ("有的班子成员执行政治纪律不够严格，请示报告不够及时", "征求意见")
        ]


async def test_an_opinion_matching_no_aspect_waits_for_the_owner_to_choose_one(settings: Settings) -> None:
    """会风文风 shares no word with any aspect: it is not filed under （一） unsaid, but listed as in
    no aspect, with the button to choose one; 确认归类 waits for that choice."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner = Chat(harness, OWNER)
        reply = await _collecting(owner, "会风文风不够实，文件会议偏多\n有的班子成员执行政治纪律不够严格")
        assert "未归入方面\n1. 会风文风不够实，文件会议偏多（征求意见）" in reply
        assert "第1条与各方面的表述都对不上，还没有归入方面，请点“调整第1条”选择方面后再确认归类。" in reply
        assert "确认归类" not in owner.labels()
        await owner.press("调整第1条")
        reply = await owner.press(owner.labels()[1])
        assert "已调整" in reply and "未归入方面" not in reply
        assert "会风文风不够实" in reply.split("）带头")[2]
        await owner.press("确认归类")
        assert "2条意见成为候选问题" in owner.last_text()


async def test_collected_opinions_lose_the_numbers_typed_before_them(settings: Settings) -> None:
    """Whatever device numbers a collected opinion (一是, ②, 第三，), the item is numbered once."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner = Chat(harness, OWNER)
        reply = await _collecting(
            owner,
            "一是执行政治纪律不够严格，请示报告不够及时\n"
            "②谈心谈话：深入基层调研少，砥砺作风有差距\n"
            "第三，遇到难题怕担责，创新办法不多",
        )
        assert "收到3条意见" in reply
        assert "一是执行" not in reply and "②" not in reply and "第三，" not in reply
        assert "深入基层调研少，砥砺作风有差距（谈心谈话）" in reply
        await owner.press("确认归类")
        for _ in range(3):
            await owner.press("1 采纳")
        lines = (await _docx_of(owner)).splitlines()
        # each the one point of its aspect, so without 一是 (and ended with 。, as the file prints it)
        assert "执行政治纪律不够严格，请示报告不够及时。" in lines
        assert "深入基层调研少，砥砺作风有差距。" in lines
        assert "遇到难题怕担责，创新办法不多。" in lines


async def test_a_proposal_accepted_in_the_owners_words_loses_the_number_he_typed(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _propose(li, "调查研究不够深入。全年到村调研不足10次。")
        await _propose(li, "联系群众不够紧密。群众反映的3件事未及时回应。")
        await _propose(li, "为民服务意识不强。")
        await owner.say("/team")
        await owner.press("处理建议（3）")
        await owner.press("修改后采纳")
        await owner.say("（3）、调查研究不够深入。全年到村调研不足10次，调研报告仅1篇。")
        await owner.press("合并")
        await owner.press(owner.labels()[0])
        await owner.say("二是联系服务群众不够。群众反映的3件事未及时回应。")
        lines = (await _docx_of(owner)).splitlines()
        assert "一是调查研究不够深入。全年到村调研不足10次，调研报告仅1篇。" in lines
        assert "二是联系服务群众不够。群众反映的3件事未及时回应。" in lines


async def test_a_member_hears_that_the_lead_of_his_block_is_not_proposed(settings: Settings) -> None:
    async with _owner_and_member(settings) as (_, li):
        reply = await _propose(li, "班子仍存在以下问题：\n①调查研究不够深入。\n②联系群众不够紧密。")
        assert "已提交2条" in reply
        assert "开头一段“班子仍存在以下问题：”是引言，不是问题，没有提交" in reply


async def test_a_member_s_question_to_the_bot_is_not_proposed(settings: Settings) -> None:
    async with _owner_and_member(settings) as (_, li):
        reply = await _propose(li, "这里写什么？")
        assert "“这里写什么？”像是在问我，不是材料内容，我先不记录" in reply and "/help" in reply
        assert "看示例" not in reply  # a member's screen has no example to show
        assert "您提出的" not in await li.say("/team")


async def test_a_member_who_leaves_takes_his_data_and_leaves_his_contribution(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        api = owner.api
        await _propose(li, "调查研究不够深入。全年到村调研不足10次。")
        await owner.say("/team")
        await owner.press("处理建议（1）")
        await owner.press("1 采纳")

        await li.say("/export_my_data")
        with zipfile.ZipFile(io.BytesIO(api.documents(LI)[-1].data)) as archive:
            data = json.loads(archive.read("data.json"))
        assert [p["text"] for p in data["team_proposals"]] == ["调查研究不够深入。全年到村调研不足10次。"]
        assert [a["text"] for a in data["team_items"]] == ["调查研究不够深入。全年到村调研不足10次。"]

        reply = await li.say("/forget")
        assert "留在班子材料里，但不再显示您的姓名" in reply
        await li.press("确认全部删除")
        board = await owner.say("/team")
        assert "李四" not in board
        assert "调查研究不够深入" in await _docx_of(owner)
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Proposal.author_id))).all() == [None]
        assert LI not in (await session.scalars(select(Answer.author_id))).all()
    await db.dispose()


async def _docx_of(chat: Chat) -> str:
    """The .docx /report gives, past the list of 必须修改 findings if there is one."""
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    data = chat.api.documents(chat.user_id)[-1].data
    return "\n".join(p.text for p in open_docx(io.BytesIO(data)).paragraphs)


async def _to_measures(owner: Chat) -> None:
    """From the problems on, the owner writes the rest up to the measures section."""
    await owner.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())


async def test_a_measure_led_by_a_member_reminds_him_and_the_owner_sees_what_he_did(
    settings: Settings,
) -> None:
    async with _owner_and_member(settings) as (owner, li):
        api = owner.api
        harness = owner.harness
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("每季度召开一次专题会研究营商环境问题。")
        reply = await owner.press("本部分填写完毕")
        assert "没有写明责任领导" not in reply  # what the next questions ask for is no fault yet
        await owner.say("2027年6月底前")
        assert "责任领导：李四 镇长" in owner.labels()
        reply = await owner.press("责任领导：李四 镇长")
        assert "到期提醒将发给他本人" in reply and "请写明责任部门" in reply
        await owner.say("党政办")
        await owner.say("/ledger")
        rows = _rows(_ledger(owner))
        assert {(r["责任领导"], r["责任部门"]) for r in rows} == {("李四 镇长", "党政办")}

        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {LI}
        await dispatch_once(harness.application.bot, _services(owner), now=planned[0].due_at)
        assert "整改时限临近" in api_texts(api, LI) and "营商环境" in li.last_text()
        await li.press("报告进展")
        await li.say("已召开第一次专题会，梳理问题12条。")
        assert "李四 镇长办理整改措施" in owner.last_text() and "梳理问题12条" in owner.last_text()
        await owner.say("/ledger")
        assert "梳理问题12条" in str(_rows(_ledger(owner))[0]["整改进展"])

        # A member who leaves the team (removed, or by /forget) no longer hears of the measure: its
        # reminders come back to the owner.
        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：李四 镇长")
        await owner.press("移出")
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {OWNER}


async def test_a_member_named_as_the_owner_of_a_measure_leads_it(settings: Settings) -> None:
    """The office types the 责任人 as the example shows (李四（镇长）、党政办) instead of pressing the
    member's button: 李四 leads the measure and gets its reminders, 党政办 is its 责任部门; a text
    naming no member, or two, stays the 责任人 as written."""
    async with _owner_and_member(settings) as (owner, _):
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("一是每季度召开一次专题会研究营商环境问题。二是每月开展一次谈心谈话。")
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        reply = await owner.say("李四（镇长）、党政办")
        assert "责任领导：李四 镇长，到期提醒将发给他本人。\n责任部门：党政办。" in reply
        await owner.say("2027年9月底前")
        reply = await owner.say("县商务局办公室")
        assert "责任部门：县商务局办公室。" in reply  # only a department: said as the ledger files it
        await owner.say("/ledger")
        leads = {(r["责任领导"], r["责任部门"]) for r in _rows(_ledger(owner)) if r["整改措施"]}
        assert leads == {("李四 镇长", "党政办"), (None, "县商务局办公室")}  # a department, not a leader
    planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
    assert {r.user_id for r in planned} == {LI, OWNER}


async def test_a_member_typed_alone_as_the_owner_leads_it_and_the_department_is_asked(
    settings: Settings,
) -> None:
    """Only the member's name typed: he leads the measure as if picked, and its 责任部门 is what
    the step asks next (no 责任人 is stored from his name)."""
    async with _owner_and_member(settings) as (owner, _):
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("一是每季度召开一次专题会研究营商环境问题。")
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        reply = await owner.say("李四")
        assert "责任领导：李四 镇长，到期提醒将发给他本人。" in reply
        assert "请写明责任部门" in reply and "责任人：" not in reply
        reply = await owner.say("党政办")
        assert "责任部门：党政办。" in reply and "各条整改措施的时限都已设定" in reply
    planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
    assert {r.user_id for r in planned} == {LI}


async def test_the_owner_a_measure_names_is_offered_and_stored_as_if_typed(settings: Settings) -> None:
    """A measure naming its 责任领导 and 责任部门 in its own words offers them as 按原文 at its 责任人
    question, and pressing it stores what typing them stores; with a member picked by his button,
    what is left to ask (the 责任部门) is offered; a measure naming no owner offers none."""
    async with _owner_and_member(settings) as (owner, _):
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say(
            "一是每季度召开一次专题会研究营商环境问题（责任领导：李四；责任部门：党政办）。"
            "二是建立企业诉求台账，逐件跟踪办理（责任领导：李四；责任部门：党政办）。"
            "三是每月开展一次谈心谈话，由组织办负责。"
            "四是建立问题清单动态管理机制。"
        )
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        assert {"按原文：李四、党政办", "责任领导：李四 镇长"} <= set(owner.labels())
        reply = await owner.press("按原文：李四、党政办")
        assert "责任领导：李四 镇长，到期提醒将发给他本人。\n责任部门：党政办。" in reply
        await owner.say("2027年6月底前")
        reply = await owner.say("李四、党政办")  # the same, typed
        assert "责任领导：李四 镇长，到期提醒将发给他本人。\n责任部门：党政办。" in reply
        await owner.say("2027年9月底前")
        assert "按原文：组织办" in owner.labels()
        await owner.press("责任领导：李四 镇长")
        assert "请写明责任部门" in owner.last_text() and "按原文：组织办" in owner.labels()
        reply = await owner.press("按原文：组织办")
        assert "责任部门：组织办。" in reply
        await owner.say("2027年12月底前")
        assert "请写明责任人" in owner.last_text()
        assert not any(label.startswith("按原文") for label in owner.labels())
        reply = await owner.say("县商务局办公室")
        assert "责任部门：县商务局办公室。" in reply and "各条整改措施的时限都已设定" in reply
        await owner.say("/ledger")
        leads = [(r["责任领导"], r["责任部门"]) for r in _rows(_ledger(owner)) if r["整改措施"]]
        assert leads == [
            ("李四 镇长", "党政办"),
            ("李四 镇长", "党政办"),
            ("李四 镇长", "组织办"),
            (None, "县商务局办公室"),  # a department, not a leader
        ]
    planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
    assert {r.user_id for r in planned} == {LI, OWNER}


@pytest.mark.parametrize(
    ("written", "department"),
    [
        ("李四、党政办", "党政办"),
        ("李四镇长牵头，党政办", "党政办"),
        ("党政办", "党政办"),  # names no member: all of it
        ("李四", None),  # only the one who leads it: nothing left to offer
        ("王五、党政办", None),  # another member: the words disagree with the pick
    ],
)
def test_what_a_written_owner_leaves_once_a_member_leads(written: str, department: str | None) -> None:
    seats = [DraftMember(display_name=name, role="member") for name in ("李四 镇长", "王五 副镇长")]
    assert department_written(written, seats, seats[0]) == department


@pytest.mark.parametrize(
    ("typed", "led"),
    [
        ("李四（镇长）、党政办", ("李四 镇长", "党政办")),
        ("李四镇长、党政办", ("李四 镇长", "党政办")),
        ("王五 副镇长，经济发展办", ("王五 副镇长", "经济发展办")),
        ("赵六书记牵头，党政办", ("赵六 党委书记", "党政办")),
        ("李四", ("李四 镇长", "")),
        ("李四、王五、党政办", None),  # two lead it together: as written
        ("张三、党政办", None),  # the office leads nothing
        ("由李四牵头", None),
        ("党政办", None),
    ],
)
def test_the_leader_named_in_a_typed_owner(typed: str, led: tuple[str, str] | None) -> None:
    seats = [
        DraftMember(display_name=name, role=role)
        for name, role in (("张三 党政办主任", "owner"), ("李四 镇长", "member"), ("王五 副镇长", "member"))
    ]
    seats.append(DraftMember(display_name="赵六 党委书记", role="approver"))
    found = leader_named(typed, seats)
    assert (None if found is None else (found[0].display_name, found[1])) == led


async def test_the_owner_signs_off_what_the_leader_of_a_measure_reports_done(settings: Settings) -> None:
    """销号 is the 起草人's, who keeps the ledger and verifies: the member who leads a measure reports
    it done and is told who signs it off; the owner's notice of the completion carries the button."""
    async with _owner_and_member(settings) as (owner, li):
        await _write_a_measure_li_leads(owner)

        await li.on_first_measure("已完成")
        await li.say("已召开专题会4次，解决问题12个。")
        reply = await li.press("跳过")
        assert "起草人核实整改到位后会办理销号" in reply and li.labels() == []
        listing = await li.say("/deadlines")
        assert "待起草人销号：每季度召开一次专题会" in listing and "1. 销号" not in li.labels()
        measure = re.search(r"fu:close:(\d+)", json.dumps(owner.api.bot_messages(OWNER)[-1]))
        assert measure is not None  # the owner's notice of the completion, with its 销号 button
        told = owner.last_text()
        assert "李四 镇长办理整改措施" in told and "经核实整改到位后，点“销号”" in told
        refused = await owner.harness.forge(LI, f"fu:close:{measure.group(1)}")
        assert "销号由起草人（张三 党政办主任）核实整改到位后办理" in "\n".join(e.text or "" for e in refused)
        assert "已销号，销号时间已记入整改台账" in await owner.press("销号")


async def _back_to_kind(owner: Chat) -> None:
    """The owner walks his team draft back to the step where its kind is chosen."""
    await owner.say("/start")
    await owner.press("继续填写")
    for _ in range(6):
        if "请选择要写的材料类型" in owner.last_text():
            return
        await owner.press("上一步")


async def test_a_team_draft_others_joined_does_not_turn_personal_until_they_are_removed(
    settings: Settings,
) -> None:
    """A personal material is its author's alone: a team draft with a member stays one when its owner
    picks a personal kind, and says why and what to do; once the member is removed it turns, and its
    invitations stop working, so an old link joins nobody to a personal material."""
    async with _owner_and_member(settings) as (owner, li):
        link = await _invite(owner, "邀请班子成员")
        await _back_to_kind(owner)
        reply = await owner.press("个人对照检查材料")
        assert "这份班子材料已有1人参与（李四 镇长），改为个人材料后成员仍能看到它，所以没有改" in reply
        assert "请先在 /team 的“成员管理”中移出全部成员" in reply
        assert "青山镇领导班子" in await li.say("/team")

        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：李四 镇长")
        await owner.press("移出")
        await _back_to_kind(owner)
        reply = await owner.press("个人对照检查材料")
        assert "好的，写个人对照检查材料" in reply
        assert "这份材料不再是班子材料，已撤销它的2个邀请链接" in reply
        wang = Chat(owner.harness, WANG)
        assert "邀请链接已失效" in await wang.say(f"/start {link}")


async def test_a_leaders_reminders_come_at_his_own_hours(settings: Settings) -> None:
    """李四 is abroad (his time zone is Tokyo's): the measure he leads reminds him at 09:30 there,
    not at the owner's 09:30 in Beijing."""
    async with _owner_and_member(settings) as (owner, _li):
        db = Database(settings.effective_database_url)
        async with db.transaction() as session:
            await session.execute(update(User).where(User.id == LI).values(timezone="Asia/Tokyo"))
        await db.dispose()
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("每季度召开一次专题会研究营商环境问题。")
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        await owner.press("责任领导：李四 镇长")
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {LI}
        local = {r.due_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") for r in planned}
        assert local == {"09:30"}, local


async def test_a_leader_who_forgets_hands_his_reminders_back_to_the_owner(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _write_a_measure_li_leads(owner)
        await li.say("/forget")
        await li.press("确认全部删除")
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {OWNER}


MEASURE_LI = "坚持每月召开一次理论学习中心组学习，2027年6月底前形成调研报告2篇。"
MEASURE_WANG = "每季度组织班子成员下村调研，确保全年走访群众不少于200户。"


async def test_a_whole_team_material_with_four_users(settings: Settings) -> None:
    """Owner, two members and the secretary: invitations, contributions at the same time, opinions
    sorted, proposals decided, 审定 returned with comments and approved, the .docx, and a ledger
    whose measures remind the members who lead them."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang, secretary = (Chat(harness, u) for u in (OWNER, LI, WANG, SECRETARY))
        await _team_draft(owner)
        member_link = await _invite(owner, "邀请班子成员")
        await _join(li, member_link, "李四 镇长")
        await _join(wang, member_link, "王五 副镇长", consent=False)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")

        # Two members contribute at the same time; neither loses anything.
        await li.say("/team")
        await li.press(li.labels()[0])
        await wang.say("/team")
        await wang.press(wang.labels()[1])
        await asyncio.gather(
            li.say("一是理论学习不够系统。中心组学习全年只有4次。\n二是请示报告有时不及时。"),
            wang.say("联系群众不够紧密。全年下村调研不到10次。"),
        )
        # The opinions collected before the meeting, sorted into the aspects and confirmed.
        await _enter_opinions(owner)
        await owner.say(OPINIONS)
        await owner.press("确认归类")
        assert "待处理的建议和意见（共7条）" in owner.last_text()

        # The owner decides: accepts, declines with a word, merges two, accepts edited.
        await owner.press("1 采纳")  # 李四's first
        await owner.press("不采纳")  # 李四's second
        await owner.say("已在第一条中体现。")
        assert "1. 有的班子成员执行政治纪律不够严格，请示报告不够及时（征求意见）" in owner.last_text()
        await owner.press("1 采纳")  # the opinion on 政治纪律
        await owner.press("合并")  # 王五's, with the 谈心谈话 opinion of the same aspect
        await owner.press(owner.labels()[0])
        await owner.say("联系服务群众不够紧密，作风不够扎实。全年下村调研不到10次。")
        await owner.press("修改后采纳")
        await owner.say("担当作为不够。遇到难题怕担责，创新办法不多。")
        await owner.press("1 采纳")
        assert "目前没有待处理的建议" in owner.last_text()
        mine = await li.press("我的建议及处理结果")
        assert "已采纳" in mine and "未采纳：已在第一条中体现" in mine
        assert "已合并采纳" in await wang.press("我的建议及处理结果")
        assert "已被起草人与另一条合并后采纳" in api_texts(api, WANG)

        # The owner writes the rest, measures led by the two members.
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say(MEASURE_LI)
        await owner.say(MEASURE_WANG)
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        await owner.press("责任领导：李四 镇长")
        await owner.say("党政办")
        await owner.say("2027年9月底前")
        await owner.press("责任领导：王五 副镇长")
        await owner.say("经济发展办")
        assert "青山镇领导班子2024年度民主生活会对照检查材料" in owner.last_text()

        # 审定: submitted, commented, returned, changed, resubmitted, approved.
        await owner.say("/team")
        reply = await owner.press("报送审定")
        assert "已报送审定（第1版）" in reply and "审核摘要" in reply and "还没有内容" not in reply
        assert "第1版已报送审定" in secretary.last_text() and "审核摘要" in secretary.last_text()
        page = await secretary.press("阅读并批注")
        assert "审核摘要" in page
        # Each item is read in its place, as the material numbers it, and named so on its button.
        assert "二、存在的主要问题\n（一）在带头严守政治纪律" in page
        assert "二是有的班子成员执行政治纪律不够严格" in page
        assert "请发送对二（一）二是的批注" in await secretary.press("批注：二（一）二是")
        await secretary.say("请补充具体事例和时间。")
        assert "【批注】请补充具体事例和时间。" in secretary.last_text()
        await secretary.press("退回修改")
        await secretary.say("问题要具体，请按批注修改。")
        assert "被退回修改：问题要具体" in owner.last_text()

        await owner.say("/team")
        notes = await owner.press("查看批注")
        assert "【批注】请补充具体事例和时间。" in notes and "总体意见：问题要具体" in notes
        assert "· 二（一）二是“有的班子成员执行政治纪律不够严格" in notes
        await owner.say("/start")
        await owner.press("继续填写")
        await owner.press("修改某一部分")
        await owner.press(next(label for label in owner.labels() if label.startswith("（一）")))
        await owner.press("修改条目")
        await owner.press(owner.labels()[1])
        await owner.press("修改")
        await owner.say("执行政治纪律不够严格。2024年5月项目调整时先办后报。")
        await owner.say("/team")
        notes = await owner.press("查看批注")
        assert "退回以来的修改" in notes and "先办后报" in notes
        await owner.press("再次报送审定")
        resubmitted = secretary.last_text()
        assert "第2版已报送审定" in resubmitted and "与第1版（退回修改）相比" in resubmitted
        assert "修改二（一）二是：执行政治纪律不够严格。2024年5月" in resubmitted  # the item commented on
        await secretary.press("审定通过")
        assert "第2版已审定通过" in owner.last_text()
        await owner.say("/team")
        history = await owner.press("报送记录")
        assert "第1版" in history and "退回修改" in history and "第2版" in history and "已通过" in history
        # dates as Chinese prose writes them (12月6日, never 12月06日), each decision with who and when
        day, moment = r"[1-9][0-9]?月[1-9][0-9]?日", r" [0-2][0-9]:[0-5][0-9]"
        assert re.search(rf"第1版：{day}{moment}报送，退回修改（赵六 党委书记，{day}）", history), history
        assert re.search(rf"第2版：{day}{moment}报送，已通过（赵六 党委书记，{day}）", history), history

        # The .docx, the ledger, and reminders that go to the members who lead the measures.
        text = await _docx_of(owner)
        assert "2024年5月项目调整时先办后报" in text and "联系服务群众不够紧密" in text
        assert "请示报告有时不及时" not in text  # declined
        await owner.say("/ledger")
        rows = _rows(_ledger(owner))
        assert {(r["责任领导"], r["责任部门"]) for r in rows if r["整改措施"]} == {
            ("李四 镇长", "党政办"),
            ("王五 副镇长", "经济发展办"),
        }
        assert {r["问题来源"] for r in rows} >= {"自己查摆", "征求意见", "上级点评"}
        # the 整改落实情况报告 is the team's, named as its material is, not a person's
        reply = await owner.say("/rectify_report")
        assert "青山镇领导班子2024年度民主生活会查摆问题整改落实情况报告" in reply
        await owner.press("修改某一部分")  # its 署名, taken over from the material, is the office's to word
        await owner.press("署名")
        await owner.say("中共青山镇委员会")
        assert (await _docx_of(owner)).rstrip().splitlines()[-2:][0] == "中共青山镇委员会"
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert {r.user_id for r in planned} == {LI, WANG}
        first = min(planned, key=lambda r: r.due_at)
        await dispatch_once(harness.application.bot, _services(owner), now=first.due_at)
        assert "整改时限临近" in api_texts(api, LI) and "整改时限临近" not in api_texts(api, OWNER)

        # The status board: only the member who agreed, and only a status.
        await owner.say("/team")
        board = await owner.press("成员个人材料进度")
        assert "李四 镇长：未开始" in board and "王五 副镇长：未同意显示" in board
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:  # each version keeps the counts of its review
        kept = (await session.scalars(select(Submission.summary).order_by(Submission.version))).all()
        assert len(kept) == 2 and all("warning" in summary for summary in kept)
    await db.dispose()


async def test_the_approver_reads_the_counts_a_killed_hand_in_never_stored(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies between 报送审定's commit and the short transaction keeping the review's
    counts: after a restart the 审定人 still reads the version with its summary, which it keeps."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _team_draft(owner)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
        monkeypatch.setattr(approval, "submit", killed_before_then(approval.submit))
        await owner.say("/team")
        await owner.press("报送审定")
        assert "已报送审定" not in api_texts(api, SECRETARY)  # the notice died with the process
    monkeypatch.undo()
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        submission = (await session.scalars(select(Submission))).one()
        assert submission.summary == {}  # handed in, its counts never stored
    # Restarted on the same database: the 审定人 finds the version on his board and reads it.
    async with start_bot(settings, api) as harness:
        secretary = Chat(harness, SECRETARY)
        await secretary.say("/team")
        page = await secretary.press("审阅第1版")
        counts = summarize(review_snapshot(Snapshot.of(submission), _services(secretary).catalog))
    assert counts["error"] + counts["warning"] > 0
    assert summary_line(counts) in page
    async with db.transaction() as session:  # and from now on the version keeps them
        kept = await session.scalar(select(Submission.summary))
        assert kept == counts
    await db.dispose()


async def test_the_approver_can_cancel_a_comment_or_a_return_he_began(settings: Settings) -> None:
    """Pressing 批注 or 退回修改 and then thinking better of it records nothing and tells nobody."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "“基层减负”问题已完成整改，全年精简会议文件三成。")
        await secretary.press(next(label for label in secretary.labels() if label.startswith("批注：")))
        page = await secretary.press("取消")
        assert "已取消，没有记录" in page and "审定通过" in secretary.labels()
        await secretary.say("这句话不是批注。")
        await secretary.press("退回修改")
        page = await secretary.press("取消")
        assert "已取消，没有记录" in page
        await secretary.say("这句话也不是退回意见。")
    assert not any("退回" in text for text in api_texts(api, OWNER))
    await _no_comment_and_still_submitted(settings)


async def _before_the_approver(owner: Chat, secretary: Chat, last_year: str) -> None:
    """A team draft with ``last_year`` written, handed to the 审定人, who opens it to read."""
    await _team_draft(owner)
    await owner.say("/start")
    await owner.press("继续填写")
    await owner.say(last_year)
    await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
    await owner.say("/team")
    reply = await owner.press("报送审定")  # handed in unfinished, which the owner is told
    assert "请留意：存在的主要问题、产生问题的原因、努力方向和整改措施还没有内容" in reply
    told = "请留意：存在的主要问题、产生问题的原因、努力方向和整改措施还没有内容，这是一份未写完的材料。"
    assert told in secretary.last_text()  # the 审定人 hears it too
    await secretary.press("阅读并批注")


async def test_a_comment_written_as_a_label_of_the_page_is_the_comment(settings: Settings) -> None:
    """The 审定人 asked for his 批注 on 一（一） writes it as “批注：…”, as on paper: it is his
    批注, not the words of a 批注 button typed; typed with no question open it stores nothing."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "一是精简会议文件三成。二是建立联系村制度。")
        assert "请发送对一（一）的批注" in await secretary.press("批注：一（一）")
        page = await secretary.say("批注：请写明精简了哪些文件。")
        assert "【批注】批注：请写明精简了哪些文件。" in page
        reply = await secretary.say("批注：一（一）")
        assert "没有记入材料" in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Comment.text))).all() == ["批注：请写明精简了哪些文件。"]
    await db.dispose()


async def _no_comment_and_still_submitted(settings: Settings) -> None:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Comment))).all() == []
        assert (await session.scalars(select(Submission.status))).one() == Status.SUBMITTED
    await db.dispose()


async def _job_rounds(harness: BotHarness) -> None:
    """The reminder job's rounds when notices meant to go at once fall to it, and an hour later."""
    found = harness.application.bot_data["services"]
    for later in (notices.FALLBACK, timedelta(hours=1)):
        await dispatch_once(harness.application.bot, found, TEST_NOW + later)


def _once(api: InProcessBotApi, user_id: int, text: str) -> str:
    """The one message to ``user_id`` that says ``text``."""
    told = [str(m.get("text", "")) for m in api.bot_messages(user_id) if text in str(m.get("text", ""))]
    assert len(told) == 1, told
    return told[0]


async def test_the_approval_notices_outlive_a_process_killed_after_the_commit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each 审定 step is committed with its notice to the other side: the process dies right after
    the commit, and after a restart on the same database the reminder job tells him, once — the
    审定人 of the version handed in (with its summary), the owner of the return and of the approval."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _team_draft(owner)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
        await owner.say("/team")
        monkeypatch.setattr(approval, "submit", killed_after_commit(approval.submit))
        await owner.press("报送审定")
    monkeypatch.undo()
    assert "已报送审定" not in api_texts(api, SECRETARY) + api_texts(api, OWNER)  # nothing was sent
    async with start_bot(settings, api) as harness:  # restarted on the same database
        await _job_rounds(harness)
        asked = _once(api, SECRETARY, "第1版已报送审定，请审阅。")
        db = Database(settings.effective_database_url)
        async with db.transaction() as session:
            snapshot = Snapshot.of((await session.scalars(select(Submission))).one())
        await db.dispose()
        assert summary_line(summarize(review_snapshot(snapshot, _services(Chat(harness)).catalog))) in asked
        await Chat(harness, SECRETARY).press("退回修改")  # on the notice
        monkeypatch.setattr(approval, "on_question", killed_after_commit(approval.on_question))
        await Chat(harness, SECRETARY).say("问题要具体，请补充事例。")
    monkeypatch.undo()
    assert "被退回修改" not in api_texts(api, OWNER)
    async with start_bot(settings, api) as harness:
        await _job_rounds(harness)
        assert "第1版被退回修改：问题要具体，请补充事例。" in _once(api, OWNER, "被退回修改")
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await owner.say("/team")
        await owner.press("查看批注")
        await owner.press("再次报送审定")  # nothing killed: the 审定人 is told at once
        assert "与第1版（退回修改）相比" in _once(api, SECRETARY, "第2版已报送审定")
        monkeypatch.setattr(approval, "approve", killed_after_commit(approval.approve))
        await secretary.press("审定通过")
    monkeypatch.undo()
    assert "审定通过" not in api_texts(api, OWNER)
    async with start_bot(settings, api) as harness:
        await _job_rounds(harness)
    _once(api, OWNER, "第2版已审定通过")
    _once(api, SECRETARY, "第2版已报送审定")


async def test_a_proposers_outcome_outlives_a_process_killed_after_the_commit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner's decision on a proposal is committed with the word to its proposer: the process
    dies right after the commit, and after a restart the reminder job tells him, once."""
    async with _owner_and_member(settings) as (owner, li):
        await _propose(li, "一是政治理论学习不够系统。\n二是请示报告不够及时。")
        await owner.say("/team")
        await owner.press("处理建议（2）")
        monkeypatch.setattr(proposals, "accept", killed_after_commit(proposals.accept))
        await owner.press("1 采纳")
        await owner.say("/team")
        await owner.press("处理建议（1）")
        await owner.press("不采纳")
        monkeypatch.setattr(proposals, "decision_text", killed_after_commit(proposals.decision_text))
        await owner.say("已在第一条中体现。")
        api = owner.api
    monkeypatch.undo()
    assert "您提出的" not in api_texts(api, LI)  # nothing was sent
    async with start_bot(settings, api) as harness:  # restarted on the same database
        await _job_rounds(harness)
    _once(api, LI, "您提出的“政治理论学习不够系统。”已被起草人采纳，写入（一）")
    _once(api, LI, "您提出的“请示报告不够及时。”未被采纳：已在第一条中体现。")


async def test_an_approval_notice_that_fails_to_send_is_sent_again(settings: Settings) -> None:
    """Telegram fails the notice to the owner every time the update tries (a 502): the 审定人's own
    reply is not lost for it, and the reminder job sends the notice when it retries."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _team_draft(owner)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
        await owner.say("/team")
        await owner.press("报送审定")

        def fail_the_notice(entry: TranscriptEntry) -> None:  # the calls after the 审定人's reply
            if entry.chat_id == SECRETARY and "已审定通过第1版" in (entry.text or ""):
                api.fail_next("sendMessage", error_code=502, description="Bad Gateway", count=SEND_ATTEMPTS)

        api.add_listener(fail_the_notice)
        assert "已审定通过第1版，已通知起草人。" in await secretary.press("审定通过")
        assert "已审定通过" not in api_texts(api, OWNER)
        await _job_rounds(harness)
    _once(api, OWNER, "第1版已审定通过")


async def test_opinions_from_a_spreadsheet_and_aspects_opened_to_members(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        harness = owner.harness
        await owner.say("/team")
        await owner.press("向成员开放的方面")
        await owner.press(owner.labels()[1])  # close the second aspect
        assert "已关闭（二）" in owner.last_text()
        board = await li.say("/team")
        assert "（一）带头严守政治纪律" in str(li.labels()) and "（二）" not in str(li.labels()), board

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["序号", "意见内容", "来源"])
        sheet.append([1, "个别班子成员执行政治纪律不够严格", "群众座谈会征求意见"])
        sheet.append([2, "履行全面从严治党政治责任有差距", "上级点评"])
        # sources as offices write them, each the 问题来源 it is
        sheet.append([3, "对村级组织日常监督偏软", "县委第二巡察组反馈"])
        sheet.append([4, "落实主体责任压力传导层层递减", "县委督导组"])
        sheet.append([5, "班子成员之间交心谈心不够", "个别谈话"])
        buffer = io.BytesIO()
        book.save(buffer)
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        reply = _joined(await harness.upload(OWNER, "意见.xlsx", buffer.getvalue(), xlsx))
        assert "只用于录入征求意见" in reply  # not while no list of opinions is being entered
        await _enter_opinions(owner)
        reply = _joined(await harness.upload(OWNER, "意见.xlsx", buffer.getvalue(), xlsx))
        assert "收到5条意见" in reply
        assert "政治纪律不够严格（征求意见）" in reply and "政治责任有差距（上级点评）" in reply
        assert "日常监督偏软（巡视巡察）" in reply and "层层递减（上级点评）" in reply
        assert "交心谈心不够（谈心谈话）" in reply
        broken = _joined(await harness.upload(OWNER, "坏表.xlsx", b"not a workbook", xlsx))
        assert "无法打开这个表格" in broken


def _joined(entries: list[TranscriptEntry]) -> str:
    return "\n".join(e.text or "" for e in entries)


async def test_the_owner_manages_members_and_hands_the_draft_over(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang = Chat(harness, OWNER), Chat(harness, LI), Chat(harness, WANG)
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长")
        await li.say("/drafts")
        assert "青山镇" not in li.last_text()  # a member's own materials only: the team draft is on /team

        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：王五 副镇长")
        reply = await owner.press("移出")
        assert "已将王五 副镇长移出" in reply and "起草人已将您移出" in wang.last_text()
        assert "青山镇" not in await wang.say("/team")

        await li.say("/team")  # 李四 leaves and is invited again
        await li.press("退出这份班子材料")
        assert "已退出" in await li.press("确认退出") and "李四 镇长已退出" in owner.last_text()
        await _join(li, await _invite(owner, "邀请班子成员"), "李四 镇长")
        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：李四 镇长")
        await owner.press("改为审定人")
        assert "身份已改为审定人" in li.last_text()
        await owner.press("审定人：李四 镇长")
        await owner.press("转交起草人")
        reply = await owner.press("确认转交")
        assert "李四 镇长现在是起草人" in reply and "您已成为" in li.last_text()
        assert "您的身份：班子成员" in await owner.say("/team")
        await owner.say("/start")
        assert "继续填写" not in owner.labels()  # no longer his to edit
        assert "青山镇领导班子" in await li.say("/drafts")
        await li.press("1. 打开")
        assert "上年度民主生活会查摆问题整改落实情况" in li.last_text()


async def test_an_owner_who_forgets_takes_the_team_draft_with_him(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _propose(li, "调查研究不够深入。全年到村调研不足10次。")
        warning = await owner.say("/forget")  # told what it takes from the team, and how to keep it
        assert "领导班子" in warning and "另有1位成员" in warning and "转交起草人" in warning
        assert "请注意" not in await li.say("/forget")  # a member takes nothing from the others
        await li.press("保留")
        await owner.press("确认全部删除")
        assert "还没有参与班子材料" in await li.say("/team")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Proposal.id))).all() == []
    await db.dispose()


async def test_the_status_board_shows_a_members_own_material_without_its_text(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await li.say("/new")
        await li.press("个人对照检查材料")
        await li.press("2024年度民主生活会（4个方面）")
        await li.meeting_date("2025年1月20日")
        for answer in ("李四", "青山镇", "镇长"):
            await li.say(answer)
        await owner.say("/team")
        assert "李四 镇长：填写中" in await owner.press("成员个人材料进度")
        await li.say("按照XX通知要求，对照检查如下：")  # a placeholder: 必须修改
        await li.fill_until(lambda c: "生成Word文档" in c.labels())
        assert re.search(r"审核意见：必须修改1处", await li.say("/check"))
        await owner.say("/team")
        board = await owner.press("成员个人材料进度")
        # his own review's count, in its words, never what it is about
        assert "李四 镇长：已完成，必须修改1处" in board and "学习不够深入" not in board
        await li.say("/check")
        await li.press(next(label for label in li.labels() if label.startswith("忽略：")))
        await owner.say("/team")
        board = await owner.press("成员个人材料进度")
        assert "李四 镇长：已完成，没有必须修改的地方" in board  # what he dismissed is not counted
        assert "错误" not in board


async def _write_a_measure_li_leads(owner: Chat) -> None:
    """The owner writes the material on to one measure, led by 李四 for the 党政办, due 2027年6月底前."""
    await owner.say("/start")
    await owner.press("继续填写")
    await _to_measures(owner)
    await owner.say("每季度召开一次专题会研究营商环境问题。")
    await owner.press("本部分填写完毕")
    await owner.say("2027年6月底前")
    await owner.press("责任领导：李四 镇长")
    await owner.say("党政办")


async def _measure_led_by_li(owner: Chat) -> None:
    """The owner writes a measure that 李四 leads and opens its card in /deadlines."""
    await _write_a_measure_li_leads(owner)
    await owner.say("/deadlines")
    await owner.press("1. 办理")


async def test_a_change_of_leader_is_told_after_a_process_killed_after_the_commit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner changes who leads a measure and the process dies right after the commit: after a
    restart the reminder job tells the new leader and the old one, once each."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang = Chat(harness, OWNER), Chat(harness, LI), Chat(harness, WANG)
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长")
        await _measure_led_by_li(owner)
        monkeypatch.setattr(team_leaders, "change", killed_after_commit(team_leaders.change))
        await owner.press("改由王五 副镇长牵头")
    monkeypatch.undo()
    assert "指定您为整改措施" not in api_texts(api, WANG) and "不再提醒您" not in api_texts(api, LI)
    async with start_bot(settings, api) as harness:
        await _job_rounds(harness)
    _once(api, WANG, "起草人指定您为整改措施“每季度召开一次专题会研究营商环境问题。”的责任领导")
    _once(api, LI, "整改措施“每季度召开一次专题会研究营商环境问题。”已改由他人牵头，不再提醒您。")


async def test_the_owner_changes_who_leads_a_measure(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang = Chat(harness, OWNER), Chat(harness, LI), Chat(harness, WANG)
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长")
        await _measure_led_by_li(owner)
        reply = await owner.press("改由王五 副镇长牵头")
        assert "已改由王五 副镇长牵头" in reply
        assert "指定您为整改措施" in wang.last_text() and "不再提醒您" in li.last_text()
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {WANG}
        await li.say("/deadlines")
        assert "营商环境" not in li.last_text()
        await harness.forge(LI, f"fu:lead:{planned[0].measure_id}:{LI}")  # only the owner may
        assert "只能由起草人" in li.last_text()
        assert {r.user_id for r in await _pending(settings) if r.measure_id is not None} == {WANG}


async def test_a_leader_who_sets_a_measures_first_deadline_is_heard_by_the_owner(settings: Settings) -> None:
    """The deadline was left for later and 李四 was made to lead the measure: he sets it from its card,
    it is his to be reminded of, and the owner hears what he set, as of his other actions."""
    async with _owner_and_member(settings) as (owner, li):
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("每季度召开一次专题会研究营商环境问题。")
        await owner.press("本部分填写完毕")
        await owner.press("稍后再设")
        await owner.say("/deadlines")
        await owner.press("1. 办理")
        await owner.press("改由李四 镇长牵头")

        await li.on_first_measure("设定时限")
        assert "整改时限：2027年6月30日（周三）" in await li.say("2027年6月底前")
        told = owner.last_text()
        assert "李四 镇长办理整改措施“每季度召开一次专题会研究营商环境问题。”" in told
        assert "设定了整改时限：2027年6月底前" in told
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {LI}


async def test_a_proposal_with_an_ampersand_reads_as_typed(settings: Settings) -> None:
    """Messages escape user text once and buttons not at all: "A&B" never shows as "A&amp;B"."""
    async with _owner_and_member(settings) as (owner, li):
        api = owner.api
        await _propose(li, "一是请示报告不够及时。\n二是R&D项目经费审核把关不严。")
        await owner.say("/team")
        await owner.press("处理建议（2）")
        assert "2. R&D项目经费审核把关不严。（李四 镇长）" in owner.last_text()
        await owner.press("合并")
        assert "R&D项目经费审核把关不严。" in owner.labels()
        for waiting in (2, 1):  # the first proposal, then the R&D one, which is then the first
            await owner.say("/team")
            await owner.press(f"处理建议（{waiting}）")
            await owner.press("不采纳")
            await owner.say("已有同类表述。")
        told = api_texts(api, LI)
        assert "R&D项目经费审核把关不严" in told and "&amp;" not in told


async def test_the_owner_is_named_in_the_member_list_once_he_gives_his_name(settings: Settings) -> None:
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _team_draft(owner)
        board = await owner.say("/team")  # answered once: not asked again
        assert "姓名和职务" not in board
        assert "· 起草人：张三 党政办主任" in board
        await _join(li, await _invite(owner, "邀请班子成员"), "李四 镇长")
        assert "· 起草人：张三 党政办主任" in li.last_text()
        assert "张三 党政办主任已加入" not in owner.last_text()  # no news to himself of himself


async def test_an_owner_who_skips_the_name_is_not_asked_again(settings: Settings) -> None:
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner = Chat(harness, OWNER)
        await owner.say("/new")
        await owner.press("领导班子对照检查材料")
        await owner.press("2024年度民主生活会（4个方面）")
        await owner.say("2025年1月20日")
        await owner.say("青山镇")
        assert "姓名和职务" in await owner.say("/team")
        board = await owner.press("跳过，打开班子材料")
        assert "· 起草人\n" in board and "邀请班子成员" in owner.labels()
        assert "姓名和职务" not in await owner.say("/team")
        # What he types next goes into the material, not into his name.
        await owner.say("/start")
        await owner.say("青山镇领导班子按照县委要求，会前集中学习4次，广泛征求意见。现报告如下：")
        assert "· 起草人\n" in await owner.say("/team")


async def _asked_for_his_name(owner: Chat, member: Chat) -> None:
    """A team draft, and a member who opened its invitation and is asked his 姓名和职务."""
    await _team_draft(owner)
    await member.say(f"/start {await _invite(owner, '邀请班子成员')}")
    await member.press(member.labels()[0])


async def test_problems_pasted_before_the_name_are_not_taken_for_it(settings: Settings) -> None:
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _asked_for_his_name(owner, li)
        reply = await li.say("一是理论学习不够系统，中心组学习全年只有4次。\n二是请示报告有时不及时。")
        assert "没有记下" in reply and "姓名和职务" in reply
        assert "理论学习" not in await owner.say("/team")
        await li.say("李四 镇长")
        assert "· 班子成员：李四 镇长" in await owner.say("/team")


async def test_a_name_copied_with_a_web_pages_tags_is_not_stored(settings: Settings) -> None:
    """A name pasted from a page's source would print its tags in the member list and the ledger:
    it is refused with the plain words to send, and the name sent then is the one shown."""
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _asked_for_his_name(owner, li)
        reply = await li.say("<b>李四</b> 镇长")
        assert "网页排版标记，没有记下" in reply and "如：李四 镇长" in reply
        assert "<b>" not in await owner.say("/team")
        await li.say("李四 镇长")
        assert "· 班子成员：李四 镇长" in await owner.say("/team")


async def test_a_member_who_gave_no_name_is_offered_by_his_role_not_his_user_id(settings: Settings) -> None:
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _asked_for_his_name(owner, li)
        await li.say("/team")  # the name question closes unanswered
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("每季度召开一次专题会研究营商环境问题。")
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        assert "责任领导：班子成员（未留姓名）" in owner.labels()
        assert not any(str(LI) in label for label in owner.labels())
        reply = await owner.press("责任领导：班子成员（未留姓名）")
        assert "责任领导：班子成员（未留姓名），到期提醒将发给他本人" in reply


async def test_the_approver_who_types_a_return_while_asked_for_a_comment_returns(settings: Settings) -> None:
    """退回修改 typed under a 批注 button's question: the return is what he means, and his next words
    are its note, not a second 批注 on the item."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "“基层减负”问题已完成整改，全年精简会议文件三成。")
        await secretary.press(next(label for label in secretary.labels() if label.startswith("批注：")))
        assert "写明退回修改的意见" in await secretary.say("退回修改")
        assert "已退回第1版" in await secretary.say("问题要具体，请按批注修改。")
    assert "被退回修改：问题要具体" in api_texts(api, OWNER)
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert [c.item_id for c in (await session.scalars(select(Comment))).all()] == [None]
    await db.dispose()


async def test_an_approval_after_comments_tells_the_owner_to_read_them(settings: Settings) -> None:
    """The 审定人 writes 批注 and approves all the same: the owner's notice of the approval says how
    many there are and where to read them, as a return's does."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "“基层减负”问题已完成整改，全年精简会议文件三成。")
        await secretary.press(next(label for label in secretary.labels() if label.startswith("批注：")))
        await secretary.say("<b>请补充</b>精简会议的具体数字 & 时间。")
        assert "已审定通过第1版，已通知起草人。" in await secretary.press("审定通过")
        told = _once(api, OWNER, "第1版已审定通过")
        assert (
            "已审定通过。审定人留了1条批注，发送 /team 后点“查看批注”查看。发送 /report 生成Word文档。"
            in told
        )
        await owner.say("/team")
        reply = await owner.press("查看批注")
        assert (
            "第1版的批注（已通过）" in reply and "【批注】<b>请补充</b>精简会议的具体数字 & 时间。" in reply
        )


async def test_the_owner_is_told_when_the_material_changed_since_its_approval(settings: Settings) -> None:
    """Approved, then changed: the board says the text now differs from what the 审定人 approved
    (how many changes), so that an unapproved text is not taken for the approved one."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "“基层减负”问题已完成整改，全年精简会议文件三成。")
        await secretary.press("审定通过")
        reply = await owner.say("/team")
        assert "审定：第1版已通过" in reply and "未经审定" not in reply
        await owner.say("/start")
        await owner.press("继续填写")
        await owner.say("调研不深的问题持续整改，已建立班子成员联系村制度。")
        reply = await owner.say("/team")
        assert (
            "审定：第1版已通过\n（报送后材料又改动了1处，现在的内容未经审定；需要时请再次报送审定。）"
            in reply
        )


async def test_cancel_closes_the_question_of_a_comment(settings: Settings) -> None:
    """/cancel under a 批注 button's question closes it: what the 审定人 sends next is no 批注."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "“基层减负”问题已完成整改，全年精简会议文件三成。")
        await secretary.press(next(label for label in secretary.labels() if label.startswith("批注：")))
        assert "已取消刚才的提问" in await secretary.say("/cancel")
        assert "这条消息没有记下" in await secretary.say("这句话不是批注。")
    await _no_comment_and_still_submitted(settings)


async def test_a_comment_on_the_second_page_shows_that_page(settings: Settings) -> None:
    """The 审定人 reading page 2 who comments on an item there sees it with his 批注 under it, on
    the page he was reading, not page 1 again; 取消 instead of a 批注 goes back to the item's page."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        last_year = "\n".join(f"{n}. 第{n}项整改已完成，全年精简会议文件{n}成。" for n in range(1, 10))
        await _before_the_approver(owner, secretary, f"上年度查摆问题9条，已完成9条。\n{last_year}")
        page = await secretary.press("下一页")
        # the page goes on under the part it continues, named as the material numbers it
        assert "第2/2页" in page and "批注：一（九）" in secretary.labels()
        assert "一、上年度民主生活会查摆问题整改落实情况\n（九）第9项整改已完成" in page
        await secretary.press("批注：一（九）")
        page = await secretary.say("请写明精简的是哪些会议。")
        assert "第2/2页" in page and "（九）第9项整改已完成" in page
        assert "【批注】请写明精简的是哪些会议。" in page
        # 一（八） (page 1 holds 1–8) then 取消 on page 2 of the reading: back to page 1, nothing kept
        await secretary.press("上一页")
        await secretary.press("批注：一（八）")
        page = await secretary.press("取消")
        assert "已取消，没有记录" in page and "第1/2页" in page
        await secretary.press("下一页")
        await secretary.press("批注：一（九）")
        page = await secretary.press("取消")
        assert "已取消，没有记录" in page and "第2/2页" in page


async def test_a_proposal_sent_twice_reaches_the_owner_once(settings: Settings) -> None:
    """A member who sends the same problem again (a double tap, a block pasted again with one more)
    is told it is already with the owner, who gets it once."""
    async with _owner_and_member(settings) as (owner, li):
        first = "政治理论学习不够系统。全年集中学习只有4次。"
        await _propose(li, first)
        assert "这一条您已经提交过，正等起草人处理，没有重复提交。" in await li.say(first)
        reply = await li.say(f"1. {first}\n2. 请示报告不够及时。5月项目调整时事后才报告。")
        assert "已提交1条" in reply and "另有1条您已经提交过" in reply
        await owner.say("/team")
        assert "处理建议（2）" in owner.labels()


async def test_a_member_sent_the_approvers_link_is_told_who_changes_his_role(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        reply = await li.say(f"/start {await _invite(owner, '邀请审定人')}")
        assert "您已经以班子成员身份参与" in reply
        assert "请起草人在“成员管理”中调整您的身份" in reply
        assert li.labels() == []  # no accept button: one seat per member


async def test_a_member_who_pastes_all_aspects_at_once_proposes_each_under_its_aspect(
    settings: Settings,
) -> None:
    async with _owner_and_member(settings) as (owner, li):
        reply = await _propose(
            li,
            "（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面\n"
            "一是理论学习不够系统。二是请示报告有时不及时。\n"
            "（二）在带头增强党性、严守纪律、砥砺作风方面\n"
            "联系群众不够紧密。全年下村调研不到10次。",
        )
        assert "已按方面标题分开提交3条：（一）2条、（二）1条" in reply
        await owner.say("/team")
        await owner.press("处理建议（3）")
        digest = owner.last_text()
        first, second = digest.split("（二）带头增强党性")
        assert "1. 理论学习不够系统。（李四 镇长）" in first
        assert "2. 请示报告有时不及时。（李四 镇长）" in first
        assert "3. 联系群众不够紧密。全年下村调研不到10次。（李四 镇长）" in second
        assert "方面\n一是" not in digest


async def test_the_approver_the_teams_secretary_may_lead_a_measure(settings: Settings) -> None:
    """The 书记 who approves the material often leads its first measures: he is offered as their
    责任领导 beside the members, and their reminders and /deadlines are his."""
    async with _owner_and_member(settings) as (owner, _):
        secretary = Chat(owner.harness, SECRETARY)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
        await owner.say("/start")
        await owner.press("继续填写")
        await _to_measures(owner)
        await owner.say("每月召开一次理论学习中心组学习。")
        await owner.press("本部分填写完毕")
        await owner.say("2027年6月底前")
        assert {"责任领导：李四 镇长", "责任领导：赵六 党委书记"} <= set(owner.labels())
        reply = await owner.press("责任领导：赵六 党委书记")
        assert "责任领导：赵六 党委书记，到期提醒将发给他本人" in reply
        await owner.say("党政办")
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert planned and {r.user_id for r in planned} == {SECRETARY}
        assert "理论学习中心组" in await secretary.say("/deadlines")
        await owner.say("/ledger")
        assert {r["责任领导"] for r in _rows(_ledger(owner))} == {"赵六 党委书记"}


async def test_a_problem_accepted_after_the_links_were_settled_is_said_to_have_no_measure(
    settings: Settings,
) -> None:
    """A member who answers late: his problem joins a material whose problems and measures were
    already paired, so the owner hears that it has no measure yet, and where to give it one."""
    async with _owner_and_member(settings) as (owner, li):
        await _write_a_measure_li_leads(owner)
        await _propose(li, "督查检查考核过多过频。全年对乡镇开展各类督查11次。")
        await owner.say("/team")
        reply = await owner.press("处理建议（1）")
        reply = await owner.press("1 采纳")
        assert "已采纳" in reply
        assert "这条问题还没有对应的整改措施，请在全文概览的“查看问题与措施的对应”中对应" in reply


async def test_the_approver_reads_the_preamble_and_the_leads_too(settings: Settings) -> None:
    """审定 is of the whole material: the preamble and a list's lead stand on his pages, unnumbered
    and without a 批注 button, among the items he can comment on."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, "一是精简会议文件三成。二是建立联系村制度。")
        page = secretary.last_text()
        preamble = "青山镇领导班子按照县委要求，会前集中学习4次，广泛征求意见。现报告如下："
        lead = "上年度查摆问题6条，已完成5条，持续整改1条。"
        assert preamble in page and lead in page
        assert page.index(preamble) < page.index(lead) < page.index("（一）精简会议文件三成。")
        assert "（二）建立联系村制度。" in page
        assert [label for label in secretary.labels() if label.startswith("批注")] == [
            "批注：一（一）",
            "批注：一（二）",
        ]

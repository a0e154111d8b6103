"""A 班子 material written together, through the real PTB stack: four users on one draft."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile

from docx import Document as open_docx
from sqlalchemy import select

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from storage.db import Database
from storage.models import Answer, Proposal
from tests.conftest import Chat, start_bot
from tests.test_rectification_chain import _ledger, _rows

OWNER, LI, WANG, SECRETARY, STRANGER = 1001, 1002, 1003, 1004, 1005
LINK = re.compile(r"start=(tm_[A-Za-z0-9_-]{22})")


async def _team_draft(owner: Chat) -> None:
    await owner.say("/new")
    await owner.press("领导班子对照检查材料")
    await owner.press("2024年度民主生活会（4个方面）")
    await owner.say("2025年1月20日")
    await owner.say("青山镇")
    await owner.say("青山镇领导班子按照县委要求，会前集中学习4次，广泛征求意见。现报告如下：")
    await owner.say("上年度查摆问题6条，已完成5条，持续整改1条。")


async def _invite(owner: Chat, role_label: str) -> str:
    await owner.say("/team")
    await owner.press(role_label)
    found = LINK.search(owner.last_text())
    assert found, owner.last_text()
    return found.group(1)


async def _join(chat: Chat, link: str, name: str, *, consent: bool = True) -> None:
    reply = await chat.say(f"/start {link}")
    assert "青山镇" in reply
    labels = chat.labels()
    await chat.press(labels[-1] if consent else labels[0])
    assert "姓名和职务" in chat.last_text()
    await chat.say(name)


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
        await _team_draft(owner)
        await owner.say("/team")
        await owner.press("录入征求意见")
        reply = await owner.say(OPINIONS)
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


async def test_a_member_who_leaves_takes_his_data_and_leaves_his_contribution(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li = Chat(harness, OWNER), Chat(harness, LI)
        await _team_draft(owner)
        await _join(li, await _invite(owner, "邀请班子成员"), "李四 镇长")
        await li.say("/team")
        await li.press(li.labels()[0])
        await li.say("调查研究不够深入。全年到村调研不足10次。")
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

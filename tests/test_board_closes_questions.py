"""Leaving a question of a team draft closes it: going back to its board (its button, or 返回班子材料
typed) or to one's own draft, a decision's 返回, any command, and any other screen, such as another
page of the version the 审定人 reads, the member list or 我的建议: the next text is no longer a
contribution, a decline note, a proposal's wording, a 批注 or any other answer to it. Sorting pasted
opinions keeps their question. A question about a measure stays, wherever the user goes meanwhile."""

from __future__ import annotations

from sqlalchemy import select

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers.followup import dispatch_once
from storage.db import Database
from storage.models import Answer, Proposal
from tests.conftest import Chat, start_bot
from tests.test_followup import _pending, _services
from tests.test_team_e2e import (
    OPINIONS,
    OWNER,
    SECRETARY,
    _before_the_approver,
    _no_comment_and_still_submitted,
    _owner_and_member,
    _propose,
    _write_a_measure_li_leads,
    api_texts,
)

PROBLEM = "调查研究不够深入。全年到村调研不足10次。"
SECOND = "批评与自我批评辣味不足。班子会上提意见多是工作建议。"


async def _stored(settings: Settings) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """The proposals (text, state, note) and the answers' texts, in the order written."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        proposals = (await session.execute(select(Proposal.text, Proposal.state, Proposal.note))).all()
        answers = (await session.scalars(select(Answer.text).order_by(Answer.id))).all()
    await db.dispose()
    return [tuple(p) for p in proposals], list(answers)


async def _proposed_to(owner: Chat, member: Chat) -> None:
    """The member proposes PROBLEM for the first aspect; the owner opens his proposals."""
    await _propose(member, PROBLEM)
    await owner.say("/team")
    await owner.press("处理建议（1）")


async def test_back_on_the_board_a_member_contributes_nothing_more(settings: Settings) -> None:
    async with _owner_and_member(settings) as (_, li):
        reply = await _propose(li, PROBLEM)
        assert "已提交1条" in reply
        reply = await li.press("返回班子材料")
        assert "您的身份：班子成员" in reply and "您提出的1条" in reply
        reply = await li.say("刚才那条我再想想。")
        assert "已提交" not in reply and "当前没有正在填写的材料" in reply

        await _propose(li, SECOND)
        reply = await li.say("返回班子材料")  # typed, as the button
        assert "您的身份：班子成员" in reply and "您提出的2条" in reply
        reply = await li.say("这条不用提交。")
        assert "已提交" not in reply

    proposals, _ = await _stored(settings)
    assert [text for text, _, _ in proposals] == [PROBLEM, SECOND]


async def test_any_command_ends_a_members_contributions(settings: Settings) -> None:
    async with _owner_and_member(settings) as (_, li):
        await _propose(li, PROBLEM)
        await li.say("/deadlines")
        reply = await li.say("刚才那条我再想想。")
        assert "已提交" not in reply and "当前没有正在填写的材料" in reply

    proposals, _ = await _stored(settings)
    assert [text for text, _, _ in proposals] == [PROBLEM]


async def test_back_to_his_own_material_a_leader_is_asked_his_measures_question_again(
    settings: Settings,
) -> None:
    """返回我的个人材料 leaves the team draft, not the new deadline a reminder's 申请延期 asked for."""
    async with _owner_and_member(settings) as (owner, li):
        await _write_a_measure_li_leads(owner)
        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        await dispatch_once(owner.harness.application.bot, _services(owner), now=planned[0].due_at)
        await li.press("申请延期")
        await li.say("/team")
        reply = await li.press("返回我的个人材料")
        assert "已回到您自己的材料" in reply and "还有一个问题等您回答" in reply
        reply = await li.say("2027年9月30日前")
        assert "已调整：整改时限：2027年9月30日（周四）" in reply


async def test_back_on_the_board_the_owner_declines_nothing(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _proposed_to(owner, li)
        reply = await owner.press("不采纳")
        assert "请用一句话说明不采纳的原因" in reply
        reply = await owner.press("返回班子材料")  # the digest's button, above the question
        assert "待处理的建议和意见：1条" in reply
        reply = await owner.say("加强调查研究，每月到村不少于2次。")
        assert "已记下。本部分共1条" in reply  # an item of the owner's own step, not a decline note

        await owner.press("处理建议（1）")
        await owner.press("不采纳")
        reply = await owner.say("返回班子材料")  # typed
        assert "待处理的建议和意见：1条" in reply
        reply = await owner.say("落实谈心谈话制度，每季度至少1次。")
        assert "已记下（二）" in reply
        assert "未被采纳" not in owner.api.last_bot_message(li.user_id).get("text", "")

    proposals, answers = await _stored(settings)
    assert proposals == [(PROBLEM, "open", None)]
    assert answers[-2:] == ["加强调查研究，每月到村不少于2次。", "落实谈心谈话制度，每季度至少1次。"]


async def test_back_to_his_own_draft_the_owner_accepts_nothing(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _proposed_to(owner, li)
        reply = await owner.press("修改后采纳")
        assert "请发送修改后的表述" in reply
        await owner.say("/start")
        reply = await owner.press("继续填写")
        assert "接着上次的位置继续" in reply
        reply = await owner.say("加强调查研究，每月到村不少于2次。")
        assert "已记下。本部分共1条" in reply  # an item of the step shown, not the proposal's wording
        assert "已被起草人采纳" not in owner.api.last_bot_message(li.user_id).get("text", "")

    proposals, answers = await _stored(settings)
    assert proposals == [(PROBLEM, "open", None)]
    assert answers[-1] == "加强调查研究，每月到村不少于2次。"


async def test_a_decisions_return_button_closes_its_question(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _proposed_to(owner, li)
        await owner.press("不采纳")
        reply = await owner.press("返回")
        assert "待处理的建议和意见（共1条）" in reply
        reply = await owner.say("加强调查研究，每月到村不少于2次。")
        assert "已记下。本部分共1条" in reply  # not the reason the member would have been told
        assert "未被采纳" not in owner.api.last_bot_message(li.user_id).get("text", "")

    proposals, _ = await _stored(settings)
    assert proposals == [(PROBLEM, "open", None)]


NINE = "\n".join(
    f"{n}.{text}" for n, text in enumerate(
        ["理论学习不够系统", "请示报告不够及时", "调查研究不够深入", "联系群众不够紧密", "担当作为不够",
         "创新办法不多", "执行制度不够严格", "批评自我批评不足", "廉洁自律有差距"], start=1
    )
)  # fmt: skip


async def test_the_approver_reading_on_writes_no_comment_and_no_return(settings: Settings) -> None:
    """The 审定人 presses 批注：一（一） (or 退回修改), then turns a page of the version: what he sends
    next is not stored as a 批注, nor does it return the version."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, secretary = Chat(harness, OWNER), Chat(harness, SECRETARY)
        await _before_the_approver(owner, secretary, NINE)
        assert "请发送对一（一）的批注" in await secretary.press("批注：一（一）")
        assert "第2/" in await secretary.press("下一页")
        reply = await secretary.say("这句话不是批注。")
        assert "【批注】" not in reply
        assert "请用一两句话写明退回修改的意见" in await secretary.press("退回修改")
        assert "第1/" in await secretary.press("上一页")
        reply = await secretary.say("这句话也不是退回意见。")
        assert "已退回" not in reply
    assert "退回" not in api_texts(api, OWNER)
    await _no_comment_and_still_submitted(settings)


async def test_other_team_screens_close_a_question_and_sorting_keeps_the_opinions(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _propose(li, PROBLEM)
        assert "我的建议及处理结果" in await li.press("我的建议及处理结果")
        reply = await li.say("这条先不提交。")
        assert "已提交" not in reply

        await owner.say("/team")
        await owner.press("处理建议（1）")
        await owner.press("不采纳")
        assert "成员管理" in await owner.press("成员管理")  # on the board, above the question
        reply = await owner.say("加强调查研究，每月到村不少于2次。")
        assert "已记下。本部分共1条" in reply  # an item of the owner's own step, not a decline note
        assert "未被采纳" not in api_texts(owner.api, li.user_id)

        await owner.say("/team")
        await owner.press("录入征求意见")
        await owner.say(OPINIONS)
        await owner.press("调整第1条")  # sorting by hand: more opinions can still be pasted
        await owner.press(owner.labels()[1])
        assert "收到1条意见" in await owner.say("会风文风不够实，文件会议偏多")
        await owner.press("向成员开放的方面")
        reply = await owner.say("落实谈心谈话制度，每季度至少1次。")
        assert "收到" not in reply and "已记下" in reply

    proposals, _ = await _stored(settings)
    assert [(text, state) for text, state, _ in proposals][:1] == [(PROBLEM, "open")]
    assert len(proposals) == 1 + 4 + 1

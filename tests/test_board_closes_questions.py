"""Going back to a team draft's board (its button, or 返回班子材料 typed) or to one's own draft closes
any question of the team draft that was open, and so does a decision's 返回: the next text is no longer a
contribution, a decline note, a proposal's wording or any other answer to it."""

from __future__ import annotations

from sqlalchemy import select

from bot.settings import Settings
from storage.db import Database
from storage.models import Answer, Proposal
from tests.conftest import Chat
from tests.test_team_e2e import _owner_and_member, _propose

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


async def test_back_on_the_board_the_owner_declines_nothing(settings: Settings) -> None:
    async with _owner_and_member(settings) as (owner, li):
        await _proposed_to(owner, li)
        reply = await owner.press("不采纳")
        assert "请用一句话说明不采纳的原因" in reply
        reply = await owner.press("返回班子材料")  # the digest's button, above the question
        assert "待处理的建议和意见：1条" in reply
        reply = await owner.say("加强调查研究，每月到村不少于2次。")
        assert "已记下（一）" in reply  # an item of the owner's own step, not a decline note

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
        assert "已记下（一）" in reply  # an item of the step shown, not the proposal's wording
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
        assert "已记下（一）" in reply  # not the reason the member would have been told
        assert "未被采纳" not in owner.api.last_bot_message(li.user_id).get("text", "")

    proposals, _ = await _stored(settings)
    assert proposals == [(PROBLEM, "open", None)]

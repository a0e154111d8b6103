"""A button's label typed as a message is never stored as material: it does what the button does
where that is what the user sees, or the bot says to press the button and shows where he is."""

from __future__ import annotations

from sqlalchemy import select

from bot.settings import Settings
from storage.db import Database
from storage.models import Draft, Measure, Proposal
from tests.conftest import Chat
from tests.test_drafting_e2e import _texts
from tests.test_followup import _draft_with_deadlines
from tests.test_review_chat import _to_preamble
from tests.test_team_e2e import WANG, _invite, _owner_and_member

ITEM = "调研不够深入。今年5月到开发区调研2次，只听了汇报，没有到企业车间看。"


async def _to_problems(chat: Chat) -> None:
    await _to_preamble(chat)
    await chat.say("根据县委要求，会前本人认真学习，征求意见9条。现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    assert "第3/" in chat.last_text() and "本方面填写完毕" in chat.labels()


async def test_typed_finish_finishes_the_list_and_stores_nothing(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say(ITEM)
    reply = await chat.say("填写完毕")
    assert "好的，这一方面共1条" in reply and "·（二）" in reply
    reply = await chat.say("本方面填写完毕。")
    assert "这一部分是必填的" in reply and "·（二）" in reply  # the second aspect, still empty
    assert not any("填写完毕" in text for text in await _texts(settings))


async def test_what_a_phone_user_types_when_a_list_is_done_finishes_it(
    chat: Chat, settings: Settings
) -> None:
    """好了, 写完了, 下一个, 完成: said when the list is done, never a problem of its own."""
    await _to_problems(chat)
    await chat.say(ITEM)
    reply = await chat.say("好了")
    assert "好的，这一方面共1条" in reply and "·（二）" in reply
    await chat.say("党性锻炼有所放松。全年讲党课仅1次。")
    reply = await chat.say("写完了！")
    assert "好的，这一方面共1条" in reply and "·（三）" in reply
    reply = await chat.say("下一个")
    assert "这一部分是必填的" in reply and "·（三）" in reply
    await chat.say("对群众诉求回应不及时。信访件拖了两个多月才协调。")
    reply = await chat.say("完成")
    assert "好的，这一方面共1条" in reply and "·（四）" in reply
    stored = await _texts(settings)
    assert not any(text in stored for text in ("好了", "写完了！", "下一个", "完成"))


async def test_a_label_from_another_screen_shows_the_step_and_loses_nothing(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say(ITEM)
    reply = await chat.say("仍然生成")
    assert "“仍然生成”没有记入材料。这一步没有“仍然生成”这项操作" in reply
    assert "已记下1条" in reply and "调研不够深入" in reply  # the step again, with what is there
    assert chat.labels()[0] == "本方面填写完毕"
    reply = await chat.say("撤销上一条")
    assert (
        "“撤销上一条”没有记入材料。要执行这项操作，请点下面的“撤销最后一条”按钮" in reply
        and "已记下1条" in reply
    )
    reply = await chat.say("填写完毕后才发现，集中学习缺了2次。")  # a sentence, not a label
    assert "已记下二是" in reply
    texts = await _texts(settings)
    assert texts[-2:] == [ITEM, "填写完毕后才发现，集中学习缺了2次。"]
    assert "仍然生成" not in texts and "撤销上一条" not in texts


async def test_text_sections_and_setup_steps_take_labels_as_their_buttons(
    chat: Chat, settings: Settings
) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    reply = await chat.say("跳过")  # the name
    assert "已跳过" in reply and "单位" in reply
    await chat.press("跳过")
    await chat.press("跳过")
    reply = await chat.say("跳过本部分")  # the 导语 is required: no such button here
    assert "“跳过本部分”没有记入材料" in reply and "导语" in reply and "请直接发送这一部分的内容" in reply
    await chat.say("根据县委要求，会前本人认真学习。现将个人对照检查情况报告如下：")
    reply = await chat.say("跳过本部分")  # 上年度整改 is optional
    assert "已跳过这一部分" in reply and "第3/" in reply
    reply = await chat.say("上一步")
    assert "第2/" in reply
    await chat.press("上一步")
    reply = await chat.say("保持不变，下一步")
    assert "保持不变" in reply and "第2/" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft = await session.scalar(select(Draft))
    await db.dispose()
    assert draft is not None and not (draft.meta or {}).get("name")
    assert await _texts(settings) == ["根据县委要求，会前本人认真学习。现将个人对照检查情况报告如下："]


async def test_a_label_answering_an_item_question_keeps_the_item(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say(ITEM)
    await chat.press("修改条目")
    await chat.press(ITEM[:14])  # the list's one point: no 一是
    await chat.press("修改")
    reply = await chat.say("本方面填写完毕")
    assert "没有作为回答记下" in reply and "请发送这一条的新内容" in reply
    assert chat.labels() == ["取消"]
    reply = await chat.say("取消")
    assert "已取消" in reply and "请选择要修改的一条" in reply
    reply = await chat.press("返回继续填写")
    reply = await chat.say("党性锻炼有所放松。全年只讲党课1次。")
    assert "已记下二是" in reply  # the question is closed: text is an item again
    assert await _texts(settings) == [
        "根据县委要求，会前本人认真学习，征求意见9条。现将个人对照检查情况报告如下：",
        ITEM,
        "党性锻炼有所放松。全年只讲党课1次。",
    ]


async def test_a_label_answering_a_measure_question_changes_nothing(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    await chat.on_first_measure("申请延期")
    reply = await chat.say("申请延期")
    assert "没有作为回答记下" in reply and "请发送新的整改时限" in reply and chat.labels() == ["取消"]
    reply = await chat.say("取消")
    assert "已取消" in reply
    await chat.on_first_measure("已完成")
    reply = await chat.say("已完成。")  # a short 完成情况, but an answer
    assert "已标记为“已完成待销号”" in reply
    reply = await chat.say("跳过")  # no evidence
    assert "已取消" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        measures = (await session.scalars(select(Measure).order_by(Measure.id))).all()
    await db.dispose()
    assert [m.original_deadline for m in measures] == [None, None]
    assert measures[0].completion_note == "已完成。" and not measures[0].evidence


async def test_a_measures_button_typed_with_no_measure_open_leads_to_the_list(chat: Chat) -> None:
    """申请延期 typed at the overview names no measure: the reply says where the button is and opens
    the list with one press, instead of saying the overview has no such action."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    reply = await chat.say("申请延期")
    assert "没有记入材料" in reply and "请点“查看整改事项”，在那条措施旁点“办理”" in reply
    assert "未完成的整改事项" in await chat.press("查看整改事项")
    assert "1. 办理" in chat.labels()


async def test_a_member_typing_a_label_contributes_nothing(settings: Settings) -> None:
    async with _owner_and_member(settings) as (_, li):
        await li.say("/team")
        await li.press(li.labels()[0])  # the first aspect
        reply = await li.say("我的建议及处理结果")
        assert "没有作为回答记下" in reply and li.labels() == ["返回班子材料"]
        reply = await li.say("返回班子材料")
        assert "您的身份：班子成员" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        proposals = (await session.scalars(select(Proposal))).all()
    await db.dispose()
    assert proposals == []


async def test_a_label_with_its_number_typed_by_the_owner_is_not_material(settings: Settings) -> None:
    """The board's 处理建议（2） and a 审定人's 批注 button, typed at a step of the owner's draft."""
    async with _owner_and_member(settings) as (owner, _):
        await owner.say("/start")
        for text in ("处理建议（2）", "批注：二（一）一是"):
            reply = await owner.say(text)
            assert f"“{text}”没有记入材料。这一步没有“{text}”这项操作" in reply
    assert not {"处理建议（2）", "批注：二（一）一是"} & set(await _texts(settings))


async def test_a_decision_on_a_proposal_typed_says_to_press_it_beside_the_proposal(
    settings: Settings,
) -> None:
    """不采纳, 合并 (or “1 采纳”) typed by the owner: each proposal in the list has its own, so the
    words say none; nothing is decided or stored, the reply says where to press and how to find the
    list again, and the list's buttons still decide."""
    async with _owner_and_member(settings) as (owner, li):
        await li.say("/team")
        await li.press(li.labels()[0])  # the first aspect
        await li.say("联系群众不够紧密。全年下村调研不到10次。")
        await owner.say("/team")
        listed = await owner.press("处理建议（1）")
        assert "联系群众不够紧密" in listed and "不采纳" in owner.labels()
        for text in ("不采纳", "合并", "1 采纳", "修改后采纳"):
            reply = await owner.say(text)
            assert (
                f"“{text}”没有记入材料。班子成员的建议和征求的意见在“待处理的建议和意见”中逐条列出" in reply
            )
            assert "请点要处理的那条旁的按钮" in reply and "/team" in reply
            assert owner.labels() == []  # nothing opened: the list's buttons stay the last
        reply = await owner.press("不采纳")
        assert "请用一句话说明不采纳的原因" in reply and "联系群众不够紧密" in reply
    assert not {"不采纳", "合并", "1 采纳", "修改后采纳"} & set(await _texts(settings))
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        states = [p.state for p in (await session.scalars(select(Proposal))).all()]
    await db.dispose()
    assert states == ["open"]  # declined once the reason is written


async def test_accepting_an_invitation_by_typing_stores_nothing_in_ones_own_draft(settings: Settings) -> None:
    """A member writing his own material opens the invitation and types 接受: it is no preamble."""
    async with _owner_and_member(settings) as (owner, _):
        wang = Chat(owner.harness, WANG)
        await _to_preamble(wang)
        await wang.say(f"/start {await _invite(owner, '邀请班子成员')}")
        reply = await wang.say("接受")
        assert "“接受”没有记入材料。要加入班子材料，请点邀请消息下面的“接受”按钮" in reply
        assert "接受" not in await _texts(settings)


async def test_typed_confirmation_of_the_problem_measure_pairing_confirms_it(chat: Chat) -> None:
    await _to_problems(chat)
    await chat.fill_until(lambda c: "整改时限 · 第1/" in c.last_text())
    assert "确认对应" in chat.labels()
    reply = await chat.say("确认对应")
    assert "已确认问题与措施的对应" in reply and "没有记入材料" not in reply
    assert "确认对应" not in chat.labels() and "整改时限 · 第1/" in reply  # the deadline question again
    reply = await chat.say("调整对应")
    assert "问题1" in reply and "完成" in chat.labels()  # the pairing editor, one problem a button


async def test_a_message_edited_into_a_label_keeps_what_it_wrote(chat: Chat, settings: Settings) -> None:
    preamble = "根据县委要求，会前本人认真学习，征求意见9条。现将个人对照检查情况报告如下："
    await _to_preamble(chat)
    await chat.say(preamble)
    preamble_message = chat.last_user_message_id()
    await chat.press("跳过本部分")
    await chat.say(ITEM)
    item_message = chat.last_user_message_id()
    await chat.say("党性锻炼有所放松。全年只讲党课1次。")

    reply = await chat.edit(item_message, "填写完毕")
    assert reply == (
        "您把消息改成了“填写完毕”，这是按钮上的文字，没有记入材料，"
        "“在带头强化政治忠诚、提高政治能力方面”中的一是保持原样。"
        "如要删除，请回到这一部分点“修改条目”，选中要删的一条后点“删除”。"
    )
    reply = await chat.edit(preamble_message, "跳过本部分。")
    assert reply == "您把消息改成了“跳过本部分。”，这是按钮上的文字，没有记入材料，“导语”保持原样。"
    assert await _texts(settings) == [preamble, ITEM, "党性锻炼有所放松。全年只讲党课1次。"]

    # a real edit still applies
    reply = await chat.edit(item_message, "调研不够深入。全年到企业车间只有1次。")
    assert "已按您修改后的消息更新" in reply and "一是" in reply
    assert (await _texts(settings))[1] == "调研不够深入。全年到企业车间只有1次。"


async def test_a_label_behind_an_item_marker_is_not_stored_either(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say(ITEM)
    reply = await chat.say("二是填写完毕")
    assert "“填写完毕”是按钮上的文字，不是材料内容" in reply and "本方面填写完毕" in chat.labels()
    assert not any("填写完毕" in text for text in await _texts(settings))


async def test_a_button_number_sent_as_text_is_not_stored(chat: Chat, settings: Settings) -> None:
    """A "7" typed where the keyboard has five buttons: a mis-press, not an item "五是7"."""
    await _to_problems(chat)
    await chat.say(ITEM)
    reply = await chat.say("7")
    assert "没有文字，我先不记录" in reply and "本方面填写完毕" in chat.labels()
    assert "7" not in await _texts(settings)


async def test_an_item_menus_words_typed_are_not_stored_as_items(chat: Chat, settings: Settings) -> None:
    """“删除” or “修改” typed at a list (the item's menu gone, or never opened) is no problem item."""
    await _to_problems(chat)
    await chat.say(ITEM)
    for words in ("删除", "修改", "上移", "改为开头一段"):
        reply = await chat.say(words)
        assert f"“{words}”没有记入材料" in reply and "已记下1条" in reply
    assert [t for t in await _texts(settings) if t in ("删除", "修改", "上移", "改为开头一段")] == []


async def test_a_word_file_asked_for_by_its_label_at_the_deadlines_is_sent_there(chat: Chat) -> None:
    """生成Word文档 remembered from the overview and typed while the deadlines are asked: the file
    comes, and the deadline question is still the one to answer."""
    await _draft_with_deadlines(chat, [])
    assert "整改时限" in chat.last_text()
    before = len(chat.api.documents(chat.user_id))

    reply = await chat.say("生成Word文档")

    assert len(chat.api.documents(chat.user_id)) == before + 1
    assert "没有记入材料" not in reply
    reply = await chat.say("2027年3月31日前")
    assert "整改时限：2027年3月31日" in reply

"""退回修改 on the desk asks the reviewer for a short reason, which the author reads in the notice and
on his submission, and the reviewer finds again when the material comes back. With comments written
it may be skipped; without any, the reason is what the author has to go on, so it is asked for."""

from __future__ import annotations

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from tests.conftest import Chat, start_bot
from tests.test_desk_e2e import (
    ADMIN,
    REVIEWER,
    WANG,
    ZHAO,
    _deliver_notes,
    _join,
    _material,
    _open_batch,
    _upload,
)
from tests.test_desk_e2e import desk_settings as desk_settings

BATCH = "县财政局党组 2025年度民主生活会"
REASON = "问题查摆停留在工作层面，请从思想上剖析，并补充具体事例。"


async def _handed_in(reviewer: Chat, cadres: list[tuple[Chat, str, str]]) -> None:
    admin = Chat(reviewer.harness, ADMIN)
    link = await _open_batch(admin, reviewer, "县财政局党组")
    for chat, name, problem in cadres:
        await _join(chat, link, name)
        await _upload(chat, f"{name}.txt", _material(name, [problem]))
        await chat.press("提交到审核批次：县财政局党组")


async def test_a_return_without_comments_asks_for_its_reason_and_the_author_reads_it(
    desk_settings: Settings,
) -> None:
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        reviewer, wang = Chat(harness, REVIEWER), Chat(harness, WANG)
        await _handed_in(reviewer, [(wang, "王五", "联系服务群众不够深入。今年到联系村走访仅3次。")])
        await reviewer.say("/desk")
        await reviewer.press("1. 王五")
        reply = await reviewer.press("退回修改")
        assert "请用一两句话写明退回原因，作者会在通知里看到" in reply
        assert reviewer.labels() == ["对条目写批注", "取消"]  # no comment yet: no way round the reason

        # Left for another screen, the question is over: a text sent later returns nothing.
        await reviewer.press("取消")
        await reviewer.say("这句话不是退回原因。")
        assert "王五 第1版 待审核" in await reviewer.say("/desk")

        await reviewer.press("1. 王五")
        await reviewer.press("退回修改")
        reply = await reviewer.say("长" * 301)
        assert "退回原因请简短些（300字以内）" in reply and "待审核" in await reviewer.say("/desk")
        await reviewer.press("1. 王五")
        await reviewer.press("退回修改")
        reply = await reviewer.say(REASON)
        assert "王五的材料（第1版）已退回修改，附退回原因。作者会收到通知。" in reply

        await _deliver_notes(harness, desk_settings)
        assert wang.last_text() == (f"您提交到“{BATCH}”的材料（第1版）被退回修改。\n退回原因：{REASON}")
        assert f"退回原因：{REASON}" in await wang.press("查看批注")

        # Handed in again: the reviewer finds the reason he gave above what changed.
        await _upload(
            wang,
            "王五.txt",
            _material("王五", ["联系服务群众不够深入。今年到联系村走访仅3次，思想上有畏难情绪。"]),
        )
        await wang.press("提交到审核批次：县财政局党组")
        await reviewer.say("/desk")
        assert f"上次退回（第1版）的原因：{REASON}" in await reviewer.press("1. 王五")


async def test_with_comments_the_reason_may_be_skipped(desk_settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        reviewer, zhao = Chat(harness, REVIEWER), Chat(harness, ZHAO)
        await _handed_in(reviewer, [(zhao, "赵六", "履职担当不够有力。督促整改只停留在发文层面。")])
        await reviewer.say("/desk")
        await reviewer.press("1. 赵六")
        await reviewer.press("写总体意见")
        await reviewer.say("请写明督促整改的具体项目。")
        reply = await reviewer.press("退回修改")
        assert "已写的1条批注会一并转给作者" in reply
        reply = await reviewer.press("不写原因，直接退回")
        assert "赵六的材料（第1版）已退回修改，附批注1条。作者会收到通知。" in reply
        assert "已是“退回修改”" in await reviewer.press("不写原因，直接退回")  # pressed again: nothing more
        await _deliver_notes(harness, desk_settings)
        assert zhao.last_text() == f"您提交到“{BATCH}”的材料（第1版）被退回修改，审核人写了1条批注。"
        assert "退回原因" not in await zhao.press("查看批注")


async def test_an_approval_with_comments_points_the_author_to_them(desk_settings: Settings) -> None:
    """Approved with a comment written: the author's notice says so and its button opens them;
    approved without one, it only says approved."""
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        reviewer, zhao, wang = Chat(harness, REVIEWER), Chat(harness, ZHAO), Chat(harness, WANG)
        await _handed_in(
            reviewer,
            [
                (zhao, "赵六", "履职担当不够有力。督促整改只停留在发文层面。"),
                (wang, "王五", "联系服务群众不够深入。今年到联系村走访仅3次。"),
            ],
        )
        await reviewer.say("/desk")
        await reviewer.press("1. 赵六")
        await reviewer.press("写总体意见")
        await reviewer.say("<b>下次</b>请写明督促整改的具体项目 & 时间。")
        await reviewer.press("审核通过")
        await reviewer.say("/desk")
        await reviewer.press("2. 王五")
        await reviewer.press("审核通过")
        await _deliver_notes(harness, desk_settings)
        assert zhao.last_text() == (
            f"您提交到“{BATCH}”的材料（第1版）已审核通过。审核人写了1条批注，请点“查看批注”。"
        )
        assert "<b>下次</b>请写明督促整改的具体项目 & 时间。" in await zhao.press("查看批注")
        assert wang.last_text() == f"您提交到“{BATCH}”的材料（第1版）已审核通过。"
        assert wang.labels() == ["查看"]

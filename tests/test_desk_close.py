"""A reviewer closes a batch: its link, the cadre's /desk and an uploaded file no longer hand in to it,
its due-date reminders stop, the desk lists it apart; reopened, it takes materials again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.botapi import BotHarness, InProcessBotApi
from bot.settings import Settings
from handlers.followup import dispatch_once
from storage import reminders
from storage.db import Database
from storage.models import Reminder
from tests.conftest import Chat, start_bot
from tests.test_desk_e2e import (
    ADMIN,
    LI,
    QIAN,
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
CLOSED = f"“{BATCH}”已停止接收材料。如需补交或重新提交，请联系发给您链接的审核人（组织部门）。"


async def _due_reminders(settings: Settings, user_id: int) -> list[str]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        keys = await session.scalars(
            select(Reminder.key).where(
                Reminder.user_id == user_id, Reminder.kind == "desk_due", Reminder.state == "pending"
            )
        )
        found = list(keys.all())
    await db.dispose()
    return found


async def test_a_closed_batch_takes_no_materials_until_reopened(desk_settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        wang, li, zhao, qian = (Chat(harness, uid) for uid in (WANG, LI, ZHAO, QIAN))
        link = await _open_batch(admin, reviewer, "县财政局党组")
        await _open_batch(admin, reviewer, "县教育局党组")
        await _join(wang, link, "王五")
        await _upload(wang, "王五.txt", _material("王五", ["联系服务群众不够深入。今年到联系村走访仅3次。"]))
        assert "（第1版），等待审核" in await wang.press("提交到审核批次：县财政局党组")
        await _join(qian, link, "钱七")
        assert await _due_reminders(desk_settings, QIAN)

        await reviewer.say("/desk")
        await reviewer.press("县财政局党组 2025年度民主生活会")
        reply = await reviewer.press("关闭批次（停止收取）")
        assert "已关闭，不再接收材料" in reply and "已提交的材料仍可审阅" in reply
        assert await _due_reminders(desk_settings, QIAN) == []  # no more 催交 for a closed batch

        # The link says so and whom to ask, and does not join; a member's /desk offers no 提交.
        assert CLOSED in await _join(li, link, "李四")
        assert "您已加入" not in li.last_text()
        reply = await qian.say("/desk")
        assert "县财政局党组 2025年度民主生活会：未提交，已停止接收材料" in reply
        assert not [label for label in qian.labels() if label.startswith("提交材料")]
        await _upload(qian, "钱七.txt", _material("赵六", ["履职担当不够有力。督促整改只停留在发文层面。"]))
        assert "提交到审核批次：县财政局党组" not in qian.labels()

        # The desk lists it apart, and it still opens with what was handed in.
        await reviewer.say("/desk")
        listed = {
            str(m.get("text", "")).split("（")[0]: [b.label for row in api.buttons(m) for b in row]
            for m in api.bot_messages(REVIEWER)[-2:]
        }
        assert listed == {
            "我的审核批次": ["县教育局党组 2025年度民主生活会"],
            "已关闭的批次": ["县财政局党组 2025年度民主生活会"],
        }
        reply = await reviewer.press("县财政局党组 2025年度民主生活会")
        assert "（已关闭，不再接收材料）" in reply and "王五" in reply
        assert not [label for label in reviewer.labels() if label.startswith("提醒未提交")]
        assert "链接不再接收材料" in await reviewer.press("分享链接")

        # Reopened: the link takes materials again and the reminders come back.
        reply = await reviewer.press("重新开放批次")
        assert "已重新开放" in reply and "1位未提交同志的截止提醒已重新安排" in reply
        assert await _due_reminders(desk_settings, QIAN)
        assert "您已加入审核批次" in await _join(zhao, link, "赵六")
        reply = await reviewer.say("/desk")
        assert "已关闭的批次" not in reply


async def test_a_closed_batchs_new_due_date_waits_for_reopening_and_says_so(desk_settings: Settings) -> None:
    """Moving the due date of a closed batch keeps the date and plans no reminder, and the reviewer
    is told so where he asks and where it is done, with the button to reopen; reopening plans them
    by the new date."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, qian = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, QIAN)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        await _join(qian, link, "钱七")
        await reviewer.say("/desk")
        await reviewer.press("关闭批次（停止收取）")
        await reviewer.press("返回批次")
        reply = await reviewer.press("更改截止日期")
        assert "批次已关闭，不接收材料，也不提醒未提交的1位同志；重新开放后，按新的截止日期提醒" in reply
        reply = await reviewer.say("2099年2月10日")
        assert reply.startswith("截止日期已改为2099年2月10日。批次已关闭") and "已按新日期安排" not in reply
        assert reviewer.labels() == ["重新开放批次", "返回批次"]
        assert await _due_reminders(desk_settings, QIAN) == []
        assert "截止2099年2月10日" in await reviewer.press("返回批次")

        assert "1位未提交同志的截止提醒已重新安排" in await reviewer.press("重新开放批次")
        keys = await _due_reminders(desk_settings, QIAN)
        assert keys and all(k.split(":")[-1].startswith("2099-02") for k in keys)


async def _deliver_batch_notices(harness: BotHarness, settings: Settings) -> None:
    """Send the pending notices about a batch's closing or reopening when they are due (they wait
    for working hours)."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        due = await session.scalar(
            select(func.max(Reminder.due_at))
            .where(Reminder.kind == "desk_batch")
            .where(Reminder.state == "pending")
        )
    await db.dispose()
    if due is not None:
        await dispatch_once(harness.application.bot, harness.application.bot_data["services"], now=due)


async def test_closing_tells_those_who_still_owe_a_material_and_reopening_tells_them_again(
    desk_settings: Settings,
) -> None:
    """钱七 never handed in and 王五's material was returned: both learn the batch stopped taking
    materials, and then that it takes them again, with the button to hand in; 赵六, whose material
    waits for review, is not troubled. Closed and reopened before the notices go, nobody hears."""
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        wang, zhao, qian = (Chat(harness, uid) for uid in (WANG, ZHAO, QIAN))
        link = await _open_batch(admin, reviewer, "县财政局党组")
        for chat, name, problem in (
            (wang, "王五", "联系服务群众不够深入。今年到联系村走访仅3次。"),
            (zhao, "赵六", "履职担当不够有力。督促整改只停留在发文层面。"),
        ):
            await _join(chat, link, name)
            await _upload(chat, f"{name}.txt", _material(name, [problem]))
            await chat.press("提交到审核批次：县财政局党组")
        await _join(qian, link, "钱七")
        await reviewer.say("/desk")
        await reviewer.press("1. 王五")
        await reviewer.press("退回修改")
        await reviewer.say("问题查摆不够具体，请补充事例。")
        await reviewer.say("/desk")
        before = {uid: len(api.bot_messages(uid)) for uid in (WANG, ZHAO, QIAN)}

        # Closed and reopened at once: nobody is told either.
        reply = await reviewer.press("关闭批次（停止收取）")
        told = "尚欠材料的2位同志（未提交1人、退回后未重新提交1人）会收到停止接收的通知（工作时间发送）"
        assert told in reply
        reply = await reviewer.press("重新开放批次")
        assert "重新开放的通知" not in reply
        await _deliver_batch_notices(harness, desk_settings)
        assert {uid: len(api.bot_messages(uid)) for uid in (WANG, ZHAO, QIAN)} == before

        await reviewer.press("返回批次")
        await reviewer.press("关闭批次（停止收取）")
        await _deliver_batch_notices(harness, desk_settings)
        assert qian.last_text() == (
            "“县财政局党组 2025年度民主生活会”已停止接收材料，您还没有提交材料。"
            "如需补交，请联系发给您链接的审核人（组织部门）。"
        )
        assert "您被退回修改的材料（第1版）暂不能重新提交。如需重新提交，请联系" in wang.last_text()
        assert len(api.bot_messages(ZHAO)) == before[ZHAO]

        reply = await reviewer.press("重新开放批次")
        assert "尚欠材料的2位同志会收到重新开放的通知" in reply
        await _deliver_batch_notices(harness, desk_settings)
        assert "已重新开放，可以提交材料，截止2099年1月9日" in qian.last_text()
        assert "已重新开放，可以修改后重新提交" in wang.last_text()
        assert len(api.bot_messages(ZHAO)) == before[ZHAO]
        assert "提交的是此刻的版本" in await qian.press("提交材料")  # the batch takes it again


async def test_handing_in_cancels_the_members_due_reminders(desk_settings: Settings) -> None:
    """王五 hands in: the reminders planned for the due date and the 催交 the reviewer asked for are
    gone from the queue (``duizhao reminders list``), not left to be skipped when due; 钱七's stay."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        wang, qian = Chat(harness, WANG), Chat(harness, QIAN)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        await _join(wang, link, "王五")
        await _join(qian, link, "钱七")
        await reviewer.say("/desk")  # his one batch opens at once
        assert "提醒2位同志提交材料" in await reviewer.press("提醒未提交的2人")
        planned = await _due_reminders(desk_settings, WANG)
        assert len(planned) == 5 and any("asked-" in key for key in planned), planned

        await _upload(wang, "王五.txt", _material("王五", ["联系服务群众不够深入。今年到联系村走访仅3次。"]))
        assert "（第1版），等待审核" in await wang.press("提交到审核批次：县财政局党组")
        assert await _due_reminders(desk_settings, WANG) == []
        assert len(await _due_reminders(desk_settings, QIAN)) == 5
        db = Database(desk_settings.effective_database_url)
        async with db.transaction() as session:  # what `duizhao reminders list` lists
            listed = await reminders.due_before(session, datetime.max.replace(tzinfo=UTC))
        await db.dispose()
        assert {r.user_id for r in listed if r.kind == "desk_due"} == {QIAN}


async def test_a_material_returned_while_the_batch_is_closed_hears_of_the_reopening(
    desk_settings: Settings,
) -> None:
    """赵六's material waited for review when the batch was closed (he was not troubled); it is
    returned while closed: the return says the batch takes nothing now and that he will be told,
    and reopening tells him he can hand it in again."""
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        admin, reviewer, zhao = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, ZHAO)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        await _join(zhao, link, "赵六")
        await _upload(zhao, "赵六.txt", _material("赵六", ["履职担当不够有力。督促整改只停留在发文层面。"]))
        await zhao.press("提交到审核批次：县财政局党组")
        await reviewer.say("/desk")
        reply = await reviewer.press("关闭批次（停止收取）")
        assert "会收到停止接收的通知" not in reply  # his material waits for a decision

        await reviewer.press("返回批次")
        await reviewer.press("1. 赵六")
        await reviewer.press("退回修改")
        await reviewer.say("问题查摆不够具体，请补充事例。")
        await _deliver_notes(harness, desk_settings)
        returned = zhao.last_text()
        assert (
            "被退回修改" in returned and "这个批次目前已停止接收材料，重新开放后会通知您重新提交" in returned
        )

        await reviewer.say("/desk")
        if "县财政局党组 2025年度民主生活会" in reviewer.labels():  # listed under 已关闭的批次
            await reviewer.press("县财政局党组 2025年度民主生活会")
        reply = await reviewer.press("重新开放批次")
        assert "尚欠材料的1位同志会收到重新开放的通知" in reply
        await _deliver_batch_notices(harness, desk_settings)
        assert "“县财政局党组 2025年度民主生活会”已重新开放，可以修改后重新提交" in zhao.last_text()
        assert "重新提交" in "".join(zhao.labels()) or "提交材料" in zhao.labels()
